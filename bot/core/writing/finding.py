"""Where the answer to a staff question is: the search over the knowledge base (the question as
asked and, with a model, as restated), then which sections answer it (answers.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.knowledge.catalog import RULE_TEXT_KINDS
from bot.core.knowledge.lexical import SynonymTable
from bot.core.knowledge.timewords import TimeFrame, read_time_words
from bot.core.passages import Passage, Searcher
from bot.core.writing import answers
from bot.core.writing.material import EXAMPLE_KINDS
from bot.core.writing.wording import Lexicon

# Which kinds of documents each use searches. Files an admin uploaded (another township's report,
# a county notice) are the local material staff expect to be used, so they serve both.
RULE_KINDS = (*RULE_TEXT_KINDS, "uploaded")


@dataclass(frozen=True)
class Found:
    """What answers a question: the passages the search found, those relevant, the ones to
    answer from (best first, answers.answer_order), and the wording and lexicon they were
    weighed by."""

    passages: list[Passage]
    relevant: list[Passage]
    ranked: list[Passage]
    wording: str
    lexicon: Lexicon


class Finder:
    """Searches for staff questions over a Searcher, off the event loop."""

    def __init__(self, searcher: Searcher, synonyms: SynonymTable | None = None) -> None:
        """`synonyms`: the search's table of everyday words; an answer's words are read with
        it, and weighed by how many passages hold them (wording.Lexicon)."""
        self.searcher = searcher
        # Read per question (Lexicon.for_one_question: each word looked up once in its context).
        self.lexicon = Lexicon(synonyms.expand if synonyms else None, searcher.word_share)

    async def search(
        self,
        query: str,
        k: int,
        *,
        kind: str | Sequence[str] | None,
        year: int | None = None,
        issuer: str | None = None,
        when: TimeFrame | None = None,
        by_heading: bool = True,
    ) -> list[Passage]:
        return await asyncio.to_thread(
            self.searcher.search,
            query,
            k,
            kind=kind,
            year=year,
            issuer=issuer,
            when=when,
            by_heading=by_heading,
        )

    async def search_question(
        self,
        question: str,
        k: int,
        *,
        kind: str | Sequence[str] | None,
        restated: str | None,
        when: TimeFrame | None = None,
        by_heading: bool = True,
    ) -> list[Passage]:
        """Passages for a staff question; with a restatement (Writer.restate), the question as
        asked and as restated are both searched, and each passage keeps its better score."""
        found = await self.search(question, k, kind=kind, when=when, by_heading=by_heading)
        if not restated:
            return found
        best: dict[str, Passage] = {}
        again = await self.search(restated, k, kind=kind, when=when, by_heading=by_heading)
        for passage in found + again:
            key = passage.chunk_id or f"{passage.source}:{passage.text[:40]}"
            if key not in best or passage.score > best[key].score:
                best[key] = passage
        return sorted(best.values(), key=lambda p: -p.score)[:k]

    async def answering(self, question: str, restated: str | None, when: TimeFrame | None) -> Found:
        """The sections that answer a question: the guidance (and laws, uploads) first, past
        reports when nothing there answers."""
        # The question's words decide relevance, with its time words read as the search reads
        # them (明年的打算 → 下一年度); the restated words too, when there are some.
        read, time_terms = read_time_words(question, when)
        wording = " ".join([read, *time_terms, *([restated] if restated else [])])
        # The heading match is weighed on its own (answers.answer_order), not in the search too:
        # counted twice, it gave sections a search lead that answered questions to decline.
        passages = await self.search_question(
            question, 8, kind=RULE_KINDS, restated=restated, when=when, by_heading=False
        )
        headed = await asyncio.to_thread(
            self.searcher.headings, question, answers.HEADING_CANDIDATES, kind=RULE_KINDS
        )
        lexicon, section = self.lexicon.for_one_question(wording), self.searcher.section
        relevant = answers.relevant_passages(wording, passages, lexicon=lexicon)
        ranked = answers.answer_order(
            wording, passages, relevant, headed, section=section, lexicon=lexicon
        )
        if not ranked:
            practice = await self.search_question(
                question, 8, kind=EXAMPLE_KINDS, restated=restated, when=when
            )
            # Reports match loosely: no search lead makes one an answer.
            ranked = relevant = answers.relevant_passages(
                wording, practice, answers.PRACTICE_THRESHOLD, lead=None, lexicon=lexicon
            )
        return Found(passages, relevant, ranked, wording, lexicon)
