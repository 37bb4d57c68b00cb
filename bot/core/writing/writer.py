"""The writing assistant: ask, examples, draft, outline and revise, each returning a `Result`.

With a chat model the text comes from the LLM over fenced retrieved material; without one (or
when it fails) the offline composer answers. Every draft passes the number guard.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from bot.core.errors import InputError
from bot.core.knowledge.lexical import SynonymTable
from bot.core.knowledge.timewords import TimeFrame
from bot.core.passages import Passage, Searcher
from bot.core.writing import answers, composer
from bot.core.writing.answerguard import CITATION, guard_answer, lost_caveat
from bot.core.writing.finding import Finder
from bot.core.writing.llm import DEFAULT_TIMEOUT, LLM_FAILURES, failure_notice, stream_reply
from bot.core.writing.material import (
    EXAMPLE_KINDS,
    calendar_passage,
    diverse,
    example_places,
    fence_material,
    place_stems,
)
from bot.core.writing.names import extract_official_names
from bot.core.writing.numberguard import GuardResult, guard_text
from bot.core.writing.prompts import PromptSet
from bot.core.writing.rewrite import check_rewrite
from bot.core.writing.sections import Section, SectionCatalog, load_sections, resolve_section

# (question, today) → cards on the key dates it asks about (calendar/date_answers.py).
KeyDates = Callable[[str, dt.date], Sequence[str]]

logger = logging.getLogger(__name__)

Mode = Literal["llm", "offline"]
MAX_INPUT_CHARS = 6000
MAX_QUESTION_CHARS = 500
MATERIAL_PASSAGES = 6
DRAFT_EXAMPLES = 4
DRAFT_EXAMPLE_CHARS = 300
REVISION_LOST_NOTICE = "修改稿中不再有原稿的这些数字：{facts}，请确认是否应当删去。"
REWRITE_LOST_NOTICE = "大模型改写时漏掉了您提供的事实（{facts}），以下为按您的事实组装的离线稿件。"
CAVEAT_LOST_NOTICE = "大模型的概括漏掉了资料中“{caveat}”的说明，以下直接给出资料原文。"


_WORDS_ONLY = re.compile(r"[\W_]+")  # what is left are the letters, digits and characters


@dataclass(frozen=True)
class Result:
    """What every operation returns: text for the user, its sources, how it was made, notices."""

    text: str
    sources: tuple[Passage, ...]
    mode: Mode
    warnings: tuple[str, ...] = ()


def _check_text(value: str, what: str, limit: int, *, allow_empty: bool = False) -> str:
    value = (value or "").strip()
    if not value and not allow_empty:
        raise InputError(f"{what}不能为空。")
    if len(value) > limit:
        raise InputError(f"{what}太长了（{len(value)} 字），请控制在 {limit} 字以内。")
    return value


def _says_nothing(reply: str, question: str, material: Sequence[Passage]) -> bool:
    """A reply that only repeats the question or a heading of the material (the bundled 1.5B
    model answered 「年报要写哪几部分」 with the section's heading)."""
    words = _WORDS_ONLY.sub("", CITATION.sub("", reply))
    repeated = [question, *(p.heading for p in material)]
    return not words or any(words in _WORDS_ONLY.sub("", text) for text in repeated)


class Writer:
    """Grounded answers, section drafts, outlines and revisions over a Searcher."""

    def __init__(
        self,
        searcher: Searcher,
        chat_model: BaseChatModel | None,
        prompts: PromptSet,
        catalog: SectionCatalog | None = None,
        *,
        llm_timeout: float = DEFAULT_TIMEOUT,
        restate_questions: bool = False,
        synonyms: SynonymTable | None = None,
        key_dates: KeyDates | None = None,
    ) -> None:
        """`llm_timeout` bounds the whole wait for one model reply, streaming included.
        `restate_questions`: with a model, also search a question restated in the documents'
        terms (bench/restate_bench.py measures whether that helps; the bot turns it on).
        `synonyms`: the search's table of everyday words; an answer's words are read with it.
        `key_dates(question, today)`: cards on the key dates a question asks about, from the
        reminders' calendar (calendar/date_answers.py); they lead the answer."""
        self.searcher = searcher
        self.chat_model = chat_model
        self.prompts = prompts
        self.catalog = catalog or load_sections()
        self.llm_timeout = llm_timeout
        self.restate_questions = restate_questions
        self.key_dates = key_dates
        self.finder = Finder(searcher, synonyms)

    async def restate(self, question: str) -> str | None:
        """The question in the documents' terms (one line), or None without a usable reply."""
        text, _ = await self._try_llm(self.prompts.render("restate", question=question))
        line = (text or "").strip().splitlines()[0].strip() if text and text.strip() else ""
        if not line or len(line) > MAX_QUESTION_CHARS or line == question:
            return None
        return line

    async def _section_passages(self, section: Section, facts: str) -> list[Passage]:
        """Example passages for a section: its own queries first, then the facts' wording."""
        queries = list(section.queries)
        if facts:
            queries.append(f"{section.name} {facts[:100]}")
        found: dict[str, Passage] = {}
        for query in queries:
            for passage in await self.finder.search(query, MATERIAL_PASSAGES, kind=EXAMPLE_KINDS):
                key = passage.chunk_id or f"{passage.source}:{passage.text[:40]}"
                found.setdefault(key, passage)
        return diverse(list(found.values()), per_source=2)[:MATERIAL_PASSAGES]

    # --- the LLM -----------------------------------------------------------------------
    async def _complete(self, prompt: str) -> str:
        assert self.chat_model is not None
        messages = [SystemMessage(self.prompts.render("system")), HumanMessage(prompt)]
        return await stream_reply(self.chat_model, messages, timeout=self.llm_timeout)

    async def _try_llm(self, prompt: str) -> tuple[str | None, str | None]:
        """(text, None) from the LLM, or (None, a one-line notice) when it is unusable."""
        if self.chat_model is None:
            return None, None
        try:
            return await self._complete(prompt), None
        except LLM_FAILURES as error:
            logger.warning("LLM call failed (%s): %s", type(error).__name__, error)
            return None, failure_notice(error)

    # --- operations --------------------------------------------------------------------
    async def ask(self, question: str, *, when: TimeFrame | None = None) -> Result:
        """Answer a question from the guidance (and laws); say so plainly when nothing fits.
        `when`: the day asked and the asker's report year (for 明年、今年 and the like)."""
        question = _check_text(question, "问题", MAX_QUESTION_CHARS)
        if answers.asks_own_figures(question):  # no section holds them; a model would invent
            own = answers.own_figures_answer()
            return Result(own.text, own.sources, "offline")
        restated = await self.restate(question) if self.restate_questions else None
        found = await self.finder.answering(question, restated, when)
        ranked, relevant = found.ranked, found.relevant
        # A question of two or more sentences (「…能搞行政处罚吗？出去执法有啥要求？」) may
        # need a section for each: each sentence's own best section joins the answer.
        also: list[Passage] = []
        for clause in answers.clauses(question) if ranked else ():
            also += (await self.finder.answering(clause, None, when)).ranked[:1]
        offline = answers.compose_answer(
            found.wording,
            ranked,
            section=self.searcher.section,
            nearby=found.passages,
            lexicon=found.lexicon,
            also=also,
        )
        cards = self.key_dates(question, when.today) if self.key_dates and when else []
        if cards:
            offline = answers.with_key_dates(offline, cards, answered=bool(ranked))
        if self.chat_model is None or not ranked:
            return Result(offline.text, offline.sources, "offline")
        material = list({id(p): p for p in [*ranked, *also, *relevant]}.values())
        material = material[:MATERIAL_PASSAGES]
        material = [*map(calendar_passage, cards), *material]  # the model may use the dates
        prompt = self.prompts.render("ask", question=question, material=fence_material(material))
        text, notice = await self._try_llm(prompt)
        if text is None:
            return Result(offline.text, offline.sources, "offline", (notice or "",))
        guarded = guard_answer(
            text, question, material, fixed_expressions=self.catalog.fixed_expressions
        )
        if answers.NOT_FOUND.rstrip("。") in guarded.text or _says_nothing(
            text, question, material
        ):
            return Result(offline.text, offline.sources, "offline")  # the sections say more
        caveat = lost_caveat(text, [*map(calendar_passage, cards), *offline.sources])
        if caveat:  # stated as settled what the sections say is not: the sections alone
            notice = CAVEAT_LOST_NOTICE.format(caveat=caveat)
            return Result(offline.text, offline.sources, "offline", (notice,))
        # The model's summary leads; the sections it drew on follow in full, so every key fact
        # is there in the source's words (the bundled 1.5B model's own text held them in 14 of
        # 36 answers, the sections in 33; bench/answers_bench.py).
        quoted = offline.text.removeprefix(answers.OFFLINE_ANSWER_LABEL).strip()
        reply = f"{guarded.text}\n\n{answers.QUOTED_LABEL}\n{quoted}"
        return Result(reply, tuple(material), "llm", guarded.warnings)

    async def examples(
        self,
        topic: str,
        *,
        kind: str | None = None,
        year: int | None = None,
        issuer: str | None = None,
        when: TimeFrame | None = None,
    ) -> Result:
        """The best example passages on a topic, de-duplicated, at most two per document."""
        topic = _check_text(topic, "主题", MAX_QUESTION_CHARS)
        found = await self.finder.search(
            topic, 15, kind=kind or EXAMPLE_KINDS, year=year, issuer=issuer, when=when
        )
        chosen = diverse(found, per_source=2)[:5]
        if not chosen:
            return Result(answers.NOT_FOUND, (), "offline")
        blocks = [
            f"{i}. {p.citation}\n{p.text[:300]}{'…' if len(p.text) > 300 else ''}"
            for i, p in enumerate(chosen, 1)
        ]
        return Result("\n\n".join(blocks), tuple(chosen), "offline")

    async def draft(
        self,
        section: str | Section,
        facts: str,
        *,
        org: str | None = None,
        year: int | None = None,
    ) -> Result:
        """A 公文-style draft of one section from the user's facts; figures pass the guard."""
        target = section if isinstance(section, Section) else resolve_section(section, self.catalog)
        facts = _check_text(facts, "事实材料", MAX_INPUT_CHARS, allow_empty=True)
        passages = await self._section_passages(target, facts)
        offline = composer.compose_draft(
            target, facts, passages, org=org, year=year, formal=self.catalog.formal_wording
        )
        notice = None
        if self.chat_model is not None:
            # The model only rewrites the faithful skeleton; the examples are style references.
            skeleton = offline.text.removeprefix(composer.OFFLINE_DRAFT_LABEL).strip()
            prompt = self.prompts.render(
                "draft",
                section=target.name,
                skeleton=skeleton,
                facts=facts or "（用户未提供具体事实）",
                org=org or "本单位",
                year=f"{year}年度" if year else "本年度",
                # Fewer, shorter examples: small models copy long material verbatim.
                material=fence_material(passages[:DRAFT_EXAMPLES], max_chars=DRAFT_EXAMPLE_CHARS),
            )
            llm_text, notice = await self._try_llm(prompt)
            if llm_text is not None:
                # A model also shortens names (法治李庄 for 李庄乡's practice); the stems are
                # checked in its text only, where the skeleton does not use them.
                stems = {stem for stem in place_stems(passages) if stem not in skeleton}
                guarded = self._guard(llm_text, facts, passages, org=org, year=year, stems=stems)
                checked = check_rewrite(
                    guarded.text,
                    skeleton,
                    facts,
                    org=org,
                    fixed_expressions=self.catalog.fixed_expressions,
                )
                if not checked.missing_facts:
                    warnings = guarded.warnings + checked.warnings
                    return Result(checked.text, tuple(passages), "llm", warnings)
                logger.warning("LLM rewrite lost %d user facts", len(checked.missing_facts))
                notice = REWRITE_LOST_NOTICE.format(facts="、".join(checked.missing_facts))
        guarded = self._guard(offline.text, facts, passages, org=org, year=year)
        warnings = ((notice,) if notice else ()) + guarded.warnings
        return Result(guarded.text, tuple(passages), "offline", warnings)

    async def outline(self, *, org: str | None = None, year: int | None = None) -> Result:
        """The report's skeleton: the five parts in order, sub-points, facts to gather."""
        text = composer.compose_outline(self.catalog, org=org, year=year)
        return Result(text, (), "offline")

    async def revise(self, draft: str, instruction: str, *, facts: str | None = None) -> Result:
        """Revise a draft as asked, keeping its facts; offline does what it can and says so."""
        draft = _check_text(draft, "稿件", MAX_INPUT_CHARS)
        instruction = _check_text(instruction, "修改要求", MAX_QUESTION_CHARS)
        facts = _check_text(facts or "", "事实材料", MAX_INPUT_CHARS, allow_empty=True)
        notices: list[str] = []
        text: str | None = None
        mode: Mode = "offline"
        if self.chat_model is not None:
            prompt = self.prompts.render(
                "revise", draft=draft, instruction=instruction, facts=facts or "（无）"
            )
            text, notice = await self._try_llm(prompt)
            if text is not None:
                mode = "llm"
            elif notice:
                notices.append(notice)
        if text is None:
            text, offline_notices = composer.revise_offline(
                draft,
                instruction,
                formal=self.catalog.formal_wording,
                filler=self.catalog.filler,
                protected=self.catalog.fixed_expressions,
            )
            notices += offline_notices
        # The draft's own figures are the user's: they back the revision too.
        guarded = self._guard(text, f"{facts}\n{draft}", (), org=None, year=None)
        warnings = tuple(notices) + guarded.warnings
        if mode == "offline":
            return Result(guarded.text, (), mode, warnings)
        # A model's revision is held to the draft as a rewrite is to its skeleton; a figure it
        # dropped may be what was asked (删去…), so it is pointed out, not refused.
        checked = check_rewrite(
            guarded.text,
            draft,
            f"{facts}\n{draft}",
            org=None,
            fixed_expressions=self.catalog.fixed_expressions,
        )
        lost = (
            (REVISION_LOST_NOTICE.format(facts="、".join(checked.missing_facts)),)
            if checked.missing_facts
            else ()
        )
        return Result(checked.text, (), mode, warnings + checked.warnings + lost)

    # --- the guard ---------------------------------------------------------------------
    def _guard(
        self,
        text: str,
        facts: str,
        passages: Sequence[Passage],
        *,
        org: str | None,
        year: int | None,
        stems: set[str] | None = None,
    ) -> GuardResult:
        names = set().union(*(extract_official_names(p.text) for p in passages))
        names |= extract_official_names(text) - extract_official_names(facts)
        return guard_text(
            text,
            facts,
            year=year,
            org=org,
            forbidden_names=names,
            forbidden_places=example_places(passages) | (stems or set()),
            fixed_expressions=self.catalog.fixed_expressions,
        )


def __getattr__(name: str) -> object:
    # SECTIONS (for the Telegram keyboard) is read from knowledge/sections.toml on first use.
    if name == "SECTIONS":
        return load_sections().sections
    raise AttributeError(name)
