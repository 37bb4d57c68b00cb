"""The offline composer: answers, drafts, outlines and revisions without a large model.

Answers are extracted from retrieved sentences; drafts follow the section's sub-points (ordered by
how strongly the example passages cover them) with the user's facts placed under the sub-point
they belong to and every missing fact as 【待补充：…】. Nothing is copied from other townships.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import jieba

from bot.core.passages import Passage
from bot.core.writing.sections import Point, Section, SectionCatalog

OFFLINE_DRAFT_LABEL = (
    "【离线模式：本稿未使用大模型，由范例结构和您提供的事实自动组装，请补充完善后使用。】"
)
OFFLINE_ANSWER_LABEL = "【离线模式：未使用大模型，以下内容直接摘自知识库。】"
NOT_FOUND = "知识库中没有找到相关内容。"
# Share of the question's content words a passage must contain to count as an answer.
# Measured by bench/drafting_bench.py on the bundled guidance (29 questions): answerable ones
# scored 0.50-1.00, unrelated ones 0.00-0.29.
ANSWER_THRESHOLD = 0.4
# Reports are only a fallback for questions about practice; they match loosely, so ask for more
# (unrelated questions reached 0.50 on reports, practice questions 0.67 and above).
PRACTICE_THRESHOLD = 0.6
MAX_ANSWER_SENTENCES = 4

# Question words that say nothing about the topic.
_QUESTION_WORDS = frozenset(
    [
        "什么",
        "怎么",
        "怎样",
        "如何",
        "哪些",
        "哪个",
        "多少",
        "是否",
        "可以",
        "能否",
        "应该",
        "需要",
        "必须",
        "要求",
        "规定",
        "有关",
        "关于",
        "一下",
        "请问",
        "我们",
        "我乡",
        "我镇",
        "还是",
        "以及",
        "或者",
        "这个",
        "那个",
        "时候",
        "情况",
        "问题",
        "吗",
        "呢",
        "的",
        "了",
        "和",
        "与",
    ]
)
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
_LIST_ITEM = re.compile(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)]|[-•*])")
_HEADING_LINE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_FACT_SPLIT = re.compile(r"[。；;！？!?\n，,]+")
_LIST_MARKER = re.compile(r"(?m)^\s*(?:\d+[.．、)）]|[（(]\d+[）)]|[-•·*])\s*")
_TRAILING_PUNCT = "，,。；;：:、 "


@dataclass(frozen=True)
class Composed:
    """Text assembled offline, with the passages it drew on and any notices."""

    text: str
    sources: tuple[Passage, ...]
    warnings: tuple[str, ...] = ()


def content_terms(text: str) -> set[str]:
    """Words of two or more characters that carry meaning (jieba, question words removed)."""
    return {
        word
        for word in jieba.cut_for_search(text)
        if len(word) >= 2 and word not in _QUESTION_WORDS and not word.isdigit()
    }


def coverage(terms: set[str], passage: Passage) -> float:
    """Share of `terms` that occur in the passage, its heading or its title."""
    if not terms:
        return 0.0
    haystack = f"{passage.title}{passage.heading}{passage.text}"
    return sum(term in haystack for term in terms) / len(terms)


def relevant_passages(
    question: str, passages: Sequence[Passage], threshold: float = ANSWER_THRESHOLD
) -> list[Passage]:
    """Passages that answer enough of the question, best first."""
    terms = content_terms(question)
    scored = [(coverage(terms, p), i, p) for i, p in enumerate(passages)]
    return [p for score, _, p in sorted(scored, key=lambda t: (-t[0], t[1])) if score >= threshold]


def _shield_notes(text: str) -> str:
    """Hide the sentence ends inside (possibly nested) 〔…〕 notes from the sentence splitter."""
    out, depth = [], 0
    for ch in text:
        depth += (ch == "〔") - (ch == "〕" and depth > 0)
        out.append({"；": "\0", "。": "\1"}.get(ch, ch) if depth else ch)
    return "".join(out)


def _sentences(text: str, heading: str = "") -> list[str]:
    """Sentences of a passage: a 〔来源…〕 or 〔未经核实〕 note stays with its sentence, a sentence
    ending in a colon keeps the list that follows it, and bare headings are dropped."""
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph or paragraph.startswith("#") or paragraph.rstrip("。") in heading:
            continue
        if _LIST_ITEM.match(paragraph) and sentences and sentences[-1].endswith(("：", ":")):
            sentences[-1] += "\n   " + paragraph
            continue
        if _HEADING_LINE.match(paragraph) and not paragraph.endswith(("。", "：", "；")):
            continue
        # A 〔来源：…；…〕 note must not be split at its own semicolons.
        for piece in _SENTENCE_END.split(_shield_notes(paragraph)):
            sentence = piece.replace("\0", "；").replace("\1", "。").strip()
            if not sentence:
                continue
            if sentence.startswith("〔") and sentences:
                sentences[-1] += sentence
            else:
                sentences.append(sentence)
    return sentences


def compose_answer(question: str, passages: Sequence[Passage]) -> Composed:
    """The sentences of relevant passages that best match the question, each with its source."""
    relevant = relevant_passages(question, passages)
    if not relevant:
        return Composed(f"{OFFLINE_ANSWER_LABEL}\n{NOT_FOUND}", ())
    terms = content_terms(question)
    candidates: list[tuple[int, int, int, str, Passage]] = []
    for rank, passage in enumerate(relevant):
        for position, sentence in enumerate(_sentences(passage.text, passage.heading)):
            hits = sum(term in sentence for term in terms)
            if hits and len(sentence) >= 8:
                candidates.append((hits, rank, position, sentence, passage))
    best = sorted(candidates, key=lambda c: (-c[0], c[1], c[2]))[:MAX_ANSWER_SENTENCES]
    best.sort(key=lambda c: (c[1], c[2]))  # read in document order, best passage first
    lines = [OFFLINE_ANSWER_LABEL]
    lines += [f"{i}. {c[3]}〔{c[4].citation}〕" for i, c in enumerate(best, 1)]
    used = tuple(dict.fromkeys(c[4] for c in best))
    return Composed("\n".join(lines), used)


def split_facts(facts: str) -> list[str]:
    """The user's facts as short clauses: 「排查纠纷120件，调解成功115件」 gives two."""
    unlisted = _LIST_MARKER.sub("", facts or "")
    clauses = (c.strip(_TRAILING_PUNCT) for c in _FACT_SPLIT.split(unlisted))
    return [c for c in clauses if c]


def _point_score(point: Point, clause: str) -> int:
    return sum(keyword in clause for keyword in point.keywords) * 2 + sum(
        hint_key in clause for hint in point.hints for hint_key in hint.keys
    )


def place_facts(section: Section, clauses: Sequence[str]) -> list[list[str]]:
    """For each sub-point, the clauses that belong under it (unmatched ones go to the first)."""
    placed: list[list[str]] = [[] for _ in section.points]
    for clause in clauses:
        scores = [_point_score(point, clause) for point in section.points]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        placed[best].append(clause)
    return placed


def _example_strength(point: Point, passages: Sequence[Passage]) -> int:
    return sum(any(k in p.text or k in p.heading for k in point.keywords) for p in passages)


def _missing_hints(point: Point, clauses: Sequence[str]) -> list[str]:
    """What the user still has to supply; a point asking one thing is answered by any fact."""
    if clauses and len(point.hints) == 1:
        return []
    return [hint.ask for hint in point.hints if not any(k in c for c in clauses for k in hint.keys)]


CHINESE_ORDINALS = "一二三四五六七八九十"


def _formalise(text: str, formal: Sequence[tuple[str, str]]) -> str:
    for plain, formal_word in formal:
        text = text.replace(plain, formal_word)
    return text


def compose_draft(
    section: Section,
    facts: str,
    passages: Sequence[Passage],
    *,
    org: str | None,
    year: int | None,
    formal: Sequence[tuple[str, str]] = (),
) -> Composed:
    """A 公文-style skeleton: opening, then one paragraph per sub-point with facts or 【待补充】.

    The user's facts are kept word for word except for colloquial words (`formal` pairs)."""
    clauses = [_formalise(c, formal) for c in split_facts(facts)]
    placed = place_facts(section, clauses)
    order = sorted(
        range(len(section.points)),
        key=lambda i: (not placed[i], -_example_strength(section.points[i], passages), i),
    )
    paragraphs = [OFFLINE_DRAFT_LABEL, section.opening_for(year=year, org=org)]
    for number, index in enumerate(order):
        point = section.points[index]
        body = point.lead
        if placed[index]:
            body += "；".join(placed[index]) + "。"
        body += "".join(f"【待补充：{ask}】" for ask in _missing_hints(point, placed[index]))
        paragraphs.append(f"（{CHINESE_ORDINALS[number]}）{point.title}。{body}")
    return Composed("\n".join(paragraphs), tuple(passages))


def compose_outline(catalog: SectionCatalog, *, org: str | None, year: int | None) -> str:
    """The whole report's skeleton: the five parts in order, sub-points and facts to gather."""
    title = f"{org or '×××'}关于{f'{year}年' if year else '本年度'}法治政府建设情况的报告"
    lines = [title, "", "（开头：简述指导思想和总体情况，末句“现将有关情况报告如下：”）"]
    topics: dict[str, list[str]] = {s.parent: [] for s in catalog.sections if s.parent}
    for section in catalog.sections:
        if section.parent:
            topics[section.parent].append(section.name)
    for number, section in enumerate(catalog.required):
        lines.append("")
        lines.append(f"{CHINESE_ORDINALS[number]}、{section.heading_for(year)}")
        for sub, point in enumerate(section.points):
            lines.append(f"  （{CHINESE_ORDINALS[sub]}）{point.title}")
            lines += [f"      需收集：{hint.ask}" for hint in point.hints]
        if section.key in topics:
            lines.append(f"  常见专题：{'、'.join(topics[section.key])}")
    lines += ["", "（落款：单位名称、成文日期；报告中不夹带请示事项）"]
    return "\n".join(lines)


def revise_offline(
    draft: str, instruction: str, *, formal: Sequence[tuple[str, str]], filler: Sequence[str]
) -> tuple[str, list[str]]:
    """Apply what can be done without a model (更简洁, 更正式); say what needs one."""
    text, applied, notices = draft, [], []
    wants_short = any(w in instruction for w in ("简洁", "精简", "简练", "压缩", "缩短", "删减"))
    wants_formal = any(w in instruction for w in ("正式", "规范", "公文"))
    if wants_formal:
        text = _formalise(text, formal)
        applied.append("替换了口语化用词")
    if wants_short:
        for phrase in filler:
            text = text.replace(phrase, "")
        text = re.sub(r"[ \t]+", " ", text)
        applied.append("删去了修饰性套话")
    if not (wants_short or wants_formal):
        notices.append(f"“{instruction}”需要大模型才能完成（当前未使用大模型），已保留原文。")
    elif any(w in instruction for w in ("扩写", "加上", "增加", "补充", "改写", "润色")):
        notices.append("扩写、增加内容或润色需要大模型，离线模式只做了用词替换和删减。")
    summary = "；".join(applied) if applied else "未作修改"
    label = f"【离线模式：未使用大模型，{summary}。】"
    return f"{label}\n{text}", notices
