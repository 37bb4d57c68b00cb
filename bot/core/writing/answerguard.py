"""The number guard for answers: what a model states must be in the passages it cites.

A figure, a date or deadline (月日, 年月日), or a document title (《…》) that appears neither in
the cited passages nor in the question becomes 【待核实：…】 and is listed in the warnings. Unlike
drafts (where a figure must also keep its subject), an answer's figure is backed by the same value
with the same unit anywhere in its sources: answers restate rules, they do not file facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from bot.core.normalization import normalize_line
from bot.core.passages import Passage
from bot.core.writing.numberguard import (
    CHINESE_NUMERAL_CHARS,
    GuardResult,
    find_figures,
    numeral_value,
)

NUMERAL = rf"(?:\d+|[{CHINESE_NUMERAL_CHARS}]+)"
DATE = re.compile(rf"(?:(?P<year>{NUMERAL})年)?(?P<month>{NUMERAL})月(?P<day>{NUMERAL})[日号]")
TITLE = re.compile(r"《([^《》\n]{1,80})》")
# Citation marks the prompt asks for (〔来源：1〕) and the material's own numbering ([1]).
CITATION = re.compile(r"〔[^〕]*〕|\[\d+\]")
# Brackets and dashes written in several ways in titles: （2021－2025年） = (2021-2025年).
_TITLE_NOISE = str.maketrans({"（": "(", "）": ")", "－": "-", "—": "-", "–": "-", "〔": "(",
                              "〕": ")", "［": "(", "］": ")", "[": "(", "]": ")"})  # fmt: skip
UNBACKED = "“{item}”在所引资料和问题中都找不到依据，已标为【待核实】"
# How the knowledge says a point is not settled: unverified, not (yet) found or issued, fixed
# by a notice each year, or an estimate (the key-date cards' 预计).
CAVEAT = re.compile(
    r"(?:未经|未能|尚未)(?:核实|核对|确认)|尚未与原文|(?:未|没有)发现|尚未(?:印发|出台|公布|召开)|"
    r"凭记忆|请先确认|预计|以[^。；，,\n]{0,20}(?:通知|公布|发布|规定)为准|发通知确定"
)
# How a reply can carry such a caveat on (in any words: 尚未, 以通知为准, 需核实, 不确定 …).
HEDGE = re.compile(r"未|尚|核实|确认|为准|预计|待定|不确定|可能|通知|暂无|没有|不清楚|无法")


def _title_key(title: str) -> str:
    return re.sub(r"\s+", "", normalize_line(title)).translate(_TITLE_NOISE)


def _date_key(match: re.Match[str]) -> tuple[Decimal | None, Decimal | None]:
    return numeral_value(match.group("month")), numeral_value(match.group("day"))


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _inside(start: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in spans)


def lost_caveat(reply: str, passages: Sequence[Passage]) -> str | None:
    """The caveat (「未经核实」, 「以县委依法治县办通知为准」 …) the passages put on what they say,
    when the reply states it with none of its own; None when the reply hedges or there is none.
    The bundled model told 「我们县…要求乡镇3月1日前交」 where its source said the county's date
    is 以县委依法治县办通知为准, and gave goals for a 2026–2030 纲要 its source says it never found."""
    if HEDGE.search(CITATION.sub("", reply)):
        return None
    for passage in passages:
        caveat = CAVEAT.search(passage.text)
        if caveat:
            return caveat.group(0)
    return None


def guard_answer(
    text: str,
    question: str,
    passages: Sequence[Passage],
    *,
    fixed_expressions: Iterable[str] = (),
) -> GuardResult:
    """Mark every figure, date and 《title》 in `text` that the passages and question lack."""
    sources = "\n".join([question, *(f"{p.citation}\n{p.title}\n{p.text}" for p in passages)])
    source_dates = {_date_key(m) for m in DATE.finditer(sources)}
    source_figures = find_figures(sources)
    source_titles = _title_key(sources)
    citations = _spans(CITATION, text)
    marks: list[tuple[int, int, str]] = []  # (start, end, what to mark) of unbacked items

    for match in TITLE.finditer(text):
        if _title_key(match.group(1)) not in source_titles:
            marks.append((match.start(), match.end(), match.group(0)))
    titles = _spans(TITLE, text)
    dates = []
    for match in DATE.finditer(text):
        if _inside(match.start(), titles + citations):
            continue
        dates.append(match.span())
        if _date_key(match) not in source_dates:
            marks.append((match.start(), match.end(), match.group(0)))
        elif match.group("year"):  # the month and day are right; the year still has to be
            dates[-1] = (match.start("month"), match.end())
    for figure in find_figures(text, fixed_expressions):
        if _inside(figure.start, citations + dates):
            continue
        backed = any(
            f.value == figure.value and (f.unit == figure.unit or "" in (f.unit, figure.unit))
            for f in source_figures
        )
        if not backed:
            marks.append((figure.start, figure.end, figure.text))

    pieces, cursor, flagged = [], 0, []
    for start, end, item in sorted(marks):
        if start < cursor:
            continue
        pieces += [text[cursor:start], f"【待核实：{item}】"]
        cursor = end
        flagged.append(item)
    pieces.append(text[cursor:])
    warnings = tuple(UNBACKED.format(item=item) for item in flagged)
    return GuardResult(text="".join(pieces), flagged=tuple(flagged), warnings=warnings)
