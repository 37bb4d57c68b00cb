"""Punctuation: brackets and quotes that do not pair up, and clauses run together.

Brackets are paired within a paragraph (「一)纵深推进」 lacks its 「（」). A run-on is two
predicate clauses with nothing between them: a clause that opens with an adverb and a verb
(「深入开展普法宣传」) followed, after its object, by another such opening (「全面提升…」).
"""

from __future__ import annotations

import re

from bot.core.review.draft import Draft, Paragraph, Spot
from bot.core.review.finding import Finding, Located

_PAIRS = {
    "）": "（", ")": "（", "》": "《", "】": "【", "〕": "〔", "”": "“", "’": "‘", "」": "「",
    "〉": "〈", ">": "〈",
}  # fmt: skip
_OPENS = {"（", "(", "《", "【", "〔", "“", "‘", "「", "〈", "<"}
# A half-width opening pairs with a full-width closing (width is another check).
_SAME = {"(": "（", "<": "〈"}
_CARRY = 3  # paragraphs a bracket may stay open (a law's header note spans lines)
# Adverbs that open a predicate clause in reports, and the verbs they go with.
_ADVERB = (
    "深入|全面|持续|不断|进一步|切实|积极|扎实|大力|着力|认真|严格|充分|广泛|稳步|加快|努力|坚决"
    "|依法|定期|及时|主动"
)
_VERB = (
    "开展|推进|提升|提高|加强|落实|推动|深化|完善|健全|规范|建立|实施|贯彻|学习|宣传|排查|化解"
    "|做好|抓好|强化|优化|发挥|增强|组织|召开|打造|构建|推行|履行|整治|培育|解决|办理|调处"
)
_OPENING = re.compile(rf"(?:{_ADVERB})(?:{_VERB})")
_CLAUSE = re.compile(r"[^，。；：！？、,;:!?（）()“”《》\n]+")
# A second opening after these is coordinated or governed by a preposition, not run on.
_JOINED = "的地得和与及并而或且、于对在为把将以按向从"
_MIN_OBJECT = 4  # characters of object between the two openings
# 「办结率100%推行…」「罚没款43.6万元对轻微违法…」: a figure closes a clause and the next
# clause (a verb, an adverb and verb, or a governing preposition) starts with no stop.
# A preposition after a count can still govern the same clause (「每年组织1次对…检查」), so
# only a sum of money is taken to end its clause before one.
_FIGURE_END = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|‰|人次|件次|余人|余件|余次|余场|余份|人|件|次|个|项|场|份|起|名|户|家|条|篇|期)"
    rf"(?=(?:{_ADVERB})?(?:{_VERB}))"
    r"|\d+(?:\.\d+)?\s*(?:万元|亿元|元)"
    rf"(?=(?:{_ADVERB})?(?:{_VERB})|(?:对|在|通过|围绕|按照|针对|依托|结合|同时)[\u4e00-\u9fff]{{2}})"
)
# 「…工作机制二是加强…」: the next item of an enumeration with no stop before it.
_ORDINAL = re.compile(
    r"(?<=[\u4e00-\u9fff])(?<![第其之统唯不专])[二三四五六七八九十]是(?=[\u4e00-\u9fff])"
)


def check_punctuation(draft: Draft) -> list[Located]:
    found = _unpaired(draft)
    for paragraph in draft.paragraphs:
        found += _run_ons(draft, paragraph)
        found += _ordinals_run_on(draft, paragraph)
    return found


def _ordinals_run_on(draft: Draft, paragraph: Paragraph) -> list[Located]:
    found: list[Located] = []
    for match in _FIGURE_END.finditer(paragraph.text):
        spot = Spot(paragraph, match.start(), match.end() + 2)
        message = f"“{match.group(0)}”后另起一个分句，中间缺少标点，建议加逗号、分号或句号"
        finding = Finding("punctuation", "warning", draft.quote(spot), draft.locate(spot), message)
        found.append((spot.position, finding))
    for match in _ORDINAL.finditer(paragraph.text):
        spot = Spot(paragraph, match.start(), match.end())
        message = f"“{match.group(0)}”前缺少标点：上一项结束处应加分号或句号"
        finding = Finding("punctuation", "warning", draft.quote(spot), draft.locate(spot), message)
        found.append((spot.position, finding))
    return found


def _unpaired(draft: Draft) -> list[Located]:
    """Brackets and quotes left open or closed without an opening, over the whole draft."""
    stack: list[tuple[str, Paragraph, int]] = []
    lone: list[tuple[Paragraph, int, str]] = []
    for paragraph in draft.paragraphs:
        while stack and paragraph.number - stack[0][1].number > _CARRY:
            _, where, index = stack.pop(0)
            lone.append((where, index, "open"))
        for index, char in enumerate(paragraph.text):
            if char in _OPENS:
                stack.append((_SAME.get(char, char), paragraph, index))
            elif char in _PAIRS:
                wanted = _PAIRS[char]
                if not any(opening == wanted for opening, _, _ in stack):
                    lone.append((paragraph, index, "close"))
                    continue
                while stack[-1][0] != wanted:  # the ones skipped over are unclosed
                    _, where, at = stack.pop()
                    lone.append((where, at, "open"))
                stack.pop()
    lone += [(where, index, "open") for _, where, index in stack]
    return [_bracket_finding(draft, *item) for item in lone]


def _bracket_finding(draft: Draft, paragraph: Paragraph, index: int, side: str) -> Located:
    char = paragraph.text[index]
    if side == "open":
        opening = _SAME.get(char, char)
        missing = next(close for close, other in _PAIRS.items() if other == opening)
        message = f"“{char}”没有对应的“{missing}”，请补齐或删去"
    else:
        message = f"“{char}”前面缺少对应的“{_PAIRS[char]}”，请补齐（如序号应写作“（一）”）"
    spot = Spot(paragraph, index, index + 1)
    finding = Finding("punctuation", "warning", draft.quote(spot), draft.locate(spot), message)
    return (spot.position, finding)


def _run_ons(draft: Draft, paragraph: Paragraph) -> list[Located]:
    found: list[Located] = []
    for clause in _CLAUSE.finditer(paragraph.text):
        text = clause.group(0)
        openings = list(_OPENING.finditer(text))
        if not openings or openings[0].start() > 2:
            continue  # the clause does not itself open with a predicate
        for second in openings[1:]:
            gap = second.start() - openings[0].end()
            has_object = len(text) - second.end() >= 2  # 「…工作扎实开展，」 is subject + verb
            if gap >= _MIN_OBJECT and has_object and text[second.start() - 1] not in _JOINED:
                at = clause.start() + second.start()
                spot = Spot(paragraph, at - 4, at + len(second.group(0)))
                message = (
                    f"“{text[: second.start()][-8:]}”与“{second.group(0)}……”是两个分句，"
                    "中间缺少标点，建议加逗号或分号"
                )
                finding = Finding(
                    "punctuation", "warning", draft.quote(spot), draft.locate(spot), message
                )
                found.append((spot.position, finding))
                break
    return found
