"""The offline composer: drafts, outlines and revisions without a large model (answers: answers.py).

Drafts follow the section's sub-points (ordered by how strongly the example passages cover them)
with the user's facts placed under the sub-point they belong to and every missing fact as
【待补充：…】. Nothing is copied from other townships.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.passages import Passage
from bot.core.writing.sections import Point, Section, SectionCatalog

OFFLINE_DRAFT_LABEL = (
    "【离线模式：本稿未使用大模型，由范例结构和您提供的事实自动组装，请补充完善后使用。】"
)
_SENTENCE_SPLIT = re.compile(r"[。；;！？!?\n]+")
_CLAUSE_SPLIT = re.compile(r"[，,]+")
_LIST_MARKER = re.compile(r"(?m)^\s*(?:\d+[.．、)）]|[（(]\d+[）)]|[-•·*])\s*")
_TRAILING_PUNCT = "，,。；;：:、 "


@dataclass(frozen=True)
class Composed:
    """Text assembled offline, with the passages it drew on and any notices."""

    text: str
    sources: tuple[Passage, ...]
    warnings: tuple[str, ...] = ()


def split_facts(facts: str) -> list[str]:
    """The user's facts as whole sentences, list markers removed: 「排查纠纷120件，调解成功115件。
    普法12场」 gives two. Commas stay inside a sentence; `group_facts` splits where topics change."""
    unlisted = _LIST_MARKER.sub("", facts or "")
    sentences = (c.strip(_TRAILING_PUNCT) for c in _SENTENCE_SPLIT.split(unlisted))
    return [c for c in sentences if c]


def point_score(point: Point, clause: str) -> int:
    """How strongly a clause of the user's facts belongs under a sub-point (0 = not at all)."""
    return sum(keyword in clause for keyword in point.keywords) * 2 + sum(
        hint_key in clause for hint in point.hints for hint_key in hint.keys
    )


def group_facts(facts: str, points: Sequence[Point]) -> list[tuple[int, str]]:
    """The user's facts as phrases, each with the index of the sub-point it belongs to.

    A sentence stays whole while its clauses are about one sub-point; it is split at the comma
    where the topic changes. A clause that names no sub-point goes with the clause before it
    (or after it, at the start of a sentence); a sentence naming none gets index -1."""
    groups: list[tuple[int, str]] = []
    for sentence in split_facts(facts):
        clauses = [c.strip(_TRAILING_PUNCT) for c in _CLAUSE_SPLIT.split(sentence)]
        clauses = [c for c in clauses if c]
        owners: list[int] = []
        for clause in clauses:
            scores = [point_score(point, clause) for point in points]
            best = max(range(len(points)), key=lambda i: (scores[i], -i)) if points else -1
            owners.append(best if points and scores[best] > 0 else -1)
        known = [o for o in owners if o >= 0]
        if not known:
            groups.append((-1, "，".join(clauses)))
            continue
        previous = known[0]
        for index, owner in enumerate(owners):
            owners[index] = previous = owner if owner >= 0 else previous
        start = 0
        for index in range(1, len(clauses) + 1):
            if index == len(clauses) or owners[index] != owners[start]:
                groups.append((owners[start], "，".join(clauses[start:index])))
                start = index
    return groups


def place_facts(section: Section, facts: str) -> list[list[str]]:
    """For each sub-point, the phrases of the facts that belong under it (phrases that fit no
    sub-point go to the first)."""
    placed: list[list[str]] = [[] for _ in section.points]
    for owner, phrase in group_facts(facts, section.points):
        placed[max(owner, 0)].append(phrase)
    return placed


def _example_strength(point: Point, passages: Sequence[Passage]) -> int:
    return sum(any(k in p.text or k in p.heading for k in point.keywords) for p in passages)


def missing_hints(point: Point, clauses: Sequence[str]) -> list[str]:
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

    Each sub-point gets the user's facts about it as whole sentences, word for word except for
    colloquial words (`formal` pairs)."""
    placed = [[_formalise(p, formal) for p in group] for group in place_facts(section, facts)]
    order = sorted(
        range(len(section.points)),
        key=lambda i: (not placed[i], -_example_strength(section.points[i], passages), i),
    )
    paragraphs = [OFFLINE_DRAFT_LABEL, section.opening_for(year=year, org=org)]
    for number, index in enumerate(order):
        point = section.points[index]
        body = point.lead + "".join(f"{phrase}。" for phrase in placed[index])
        body += "".join(f"【待补充：{ask}】" for ask in missing_hints(point, placed[index]))
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


# Degree adverbs that only make sense with the word they modify: dropped along with a filler.
_DEGREE_ADVERBS = "非常|十分|特别|更加|更为|极其|较为|比较|很"
# After a filler these mean it is a predicate or an attribute (工作认真。扎实的作风), not a
# modifier of the verb that follows: removing it would break the sentence.
_KEEPS_FILLER = frozenset("的得，,。；;：:、！？!?）)”」\n")


def drop_filler(text: str, filler: Sequence[str], protected: Sequence[str] = ()) -> str:
    """Remove filler modifiers (切实、认真地、非常积极地) where they modify a following verb
    phrase; keep them inside `protected` phrases (全面依法治国) and where they are predicates."""
    if not filler:
        return text
    words = "|".join(re.escape(w) for w in sorted(filler, key=len, reverse=True))
    pattern = re.compile(rf"(?:{_DEGREE_ADVERBS})?(?:{words})地?")
    shielded = [
        (m.start(), m.end()) for p in protected if p for m in re.finditer(re.escape(p), text)
    ]

    def replace(match: re.Match[str]) -> str:
        start, end = match.span()
        if any(a < end and start < b for a, b in shielded):
            return match.group(0)
        following = text[end : end + 1]
        if match.group(0).endswith(("，", ",")):
            return ""
        if not following or following in _KEEPS_FILLER:
            return match.group(0)
        return ""

    return pattern.sub(replace, text)


def revise_offline(
    draft: str,
    instruction: str,
    *,
    formal: Sequence[tuple[str, str]],
    filler: Sequence[str],
    protected: Sequence[str] = (),
) -> tuple[str, list[str]]:
    """Apply what can be done without a model (更简洁, 更正式); say what needs one.

    A request that changes nothing says so: the same text is never presented as revised."""
    text, applied, notices = draft, [], []
    wants_short = any(w in instruction for w in ("简洁", "精简", "简练", "压缩", "缩短", "删减"))
    wants_formal = any(w in instruction for w in ("正式", "规范", "公文"))
    if wants_formal:
        formalised = _formalise(text, formal)
        if formalised != text:
            applied.append("替换了口语化用词")
        else:
            notices.append("稿件中没有可替换的口语化用词；要改写得更正式需要大模型（当前未使用）。")
        text = formalised
    if wants_short:
        shortened = re.sub(r"[ \t]+", " ", drop_filler(text, filler, protected))
        if shortened != text:
            applied.append("删去了修饰性套话")
        else:
            notices.append("稿件中没有可删去的修饰性套话；要进一步压缩需要大模型（当前未使用）。")
        text = shortened
    if not (wants_short or wants_formal):
        notices.append(f"“{instruction}”需要大模型才能完成（当前未使用大模型），已保留原文。")
    elif any(w in instruction for w in ("扩写", "加上", "增加", "补充", "改写", "润色")):
        notices.append("扩写、增加内容或润色需要大模型，离线模式只做了用词替换和删减。")
    summary = "；".join(applied) if applied else "原文未改动"
    label = f"【离线模式：未使用大模型，{summary}。】"
    return f"{label}\n{text}", notices
