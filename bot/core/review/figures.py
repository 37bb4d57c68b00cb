"""Figures that cannot be right: 「5余处」, a part larger than its whole, rates over 100%, rates
that do not match their counts, and one total stated with two different numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.review.draft import Draft, Paragraph, Spot, sentences
from bot.core.review.finding import Finding, Located

_APPROX = re.compile(r"(?<![\d.．,，])(\d+)(余|多)(?![元样种方层措部维])(?=[\u4e00-\u9fff])")
_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[%％]")
# Only shares and rates that cannot pass 100% (满意率, 覆盖率, 占比); not 完成率 or pay rates.
_BOUNDED_RATE = re.compile(r"(?<!完成)(?<!增长)率|占比|比例|比重|覆盖面")
_GROWTH = re.compile(r"增长|增加|提高|提升|上升|同比|环比|增幅|翻|超额|超过|完成")
_UNITS = "件起个次人名户家条宗项场处份册所"
_QUANTITY = re.compile(rf"(?<![\d.])(\d+)(余|多)?([{_UNITS}])")
_WHOLE = re.compile(r"排查|摸排|受理|接待|接收|收到|收集|登记|梳理|共有")
_PART = re.compile(r"成功调解|调解成功|化解|办结|调处|解决|结案|整改|答复|息诉|处理|调解")
_RATE = re.compile(
    r"(成功率|化解率|办结率|调解率|结案率|整改率|满意率)[^\d，。；]{0,3}(\d+(?:\.\d+)?)\s*[%％]"
)
_TIME_WORDS = re.compile(r"月|小时|工作日|季度|年|星期|学时|批次")
_PLACE_MARK = re.compile(r"(?:全乡|全镇|全街道|全村|全县|全区|辖区|下辖)(?:共有|共|有|现有|下辖)?$")
_KEY_NOISE = re.compile(r"[共计累达约有了为等各类种项“”\"'「」《》\s]")
_UNIT_ALIASES = {"名": "人"}
_RATE_TOLERANCE = 1.5  # percentage points, for rounding in the text


@dataclass(frozen=True)
class _Quantity:
    value: int
    approximate: bool
    unit: str
    start: int
    end: int
    role: str | None  # "whole", "part" or None


def check_figures(draft: Draft) -> list[Located]:
    found: list[Located] = []
    totals: dict[tuple[str, str], tuple[int, Spot]] = {}
    for paragraph in draft.body:
        found += _approximate_exact_counts(draft, paragraph)
        for start, end in sentences(paragraph.text):
            found += _sentence_figures(draft, paragraph, start, end)
        found += _conflicting_totals(draft, paragraph, totals)
    return found


def _approximate_exact_counts(draft: Draft, paragraph: Paragraph) -> list[Located]:
    found = []
    for match in _APPROX.finditer(paragraph.text):
        number, word = match.group(1), match.group(2)
        if int(number) % 10 == 0:
            continue
        spot = Spot(paragraph, match.start(), match.end())
        suggestion = f"「{number}{word}」不通：确数后不能加「{word}」，请写确数「{number}」"
        if int(number) > 10:
            suggestion += f"，或改为约数「{int(number) // 10 * 10}{word}」"
        found.append(_finding(draft, spot, "warning", suggestion))
    return found


def _sentence_figures(draft: Draft, paragraph: Paragraph, start: int, end: int) -> list[Located]:
    text = paragraph.text[start:end]
    found: list[Located] = []
    for match in _PERCENT.finditer(text):
        bounded = _BOUNDED_RATE.search(text[max(0, match.start() - 10) : match.start()])
        if float(match.group(1)) > 100 and bounded and not _GROWTH.search(text):
            spot = Spot(paragraph, start + match.start(), start + match.end())
            found.append(_finding(draft, spot, "error", "比例超过100%，请核对数字或写法"))
    quantities = _quantities(text)
    wholes = [q for q in quantities if q.role == "whole"]
    for whole in wholes:
        parts = [
            q
            for q in quantities
            if q.role == "part" and q.start > whole.start and q.unit == whole.unit
        ]
        bigger = next((q for q in parts if q.value > whole.value), None)
        if bigger is not None:
            spot = Spot(paragraph, start + whole.start, start + bigger.end)
            suggestion = (
                f"部分（{bigger.value}{bigger.unit}）大于总数（{whole.value}{whole.unit}），请核对"
            )
            found.append(_finding(draft, spot, "error", suggestion))
            continue
        rate = _RATE.search(text, whole.end)
        if parts and rate and not whole.approximate and not parts[0].approximate:
            computed = parts[0].value / whole.value * 100 if whole.value else 0.0
            stated = float(rate.group(2))
            if abs(computed - stated) > _RATE_TOLERANCE:
                spot = Spot(paragraph, start + rate.start(), start + rate.end())
                suggestion = (
                    f"按{parts[0].value}÷{whole.value}计算约为{computed:.1f}%，"
                    f"与所写{rate.group(1)}{rate.group(2)}%不符，请核对"
                )
                found.append(_finding(draft, spot, "warning", suggestion))
    return found


def _quantities(text: str) -> list[_Quantity]:
    result = []
    previous_end = 0
    for match in _QUANTITY.finditer(text):
        window = text[previous_end : match.start()]
        clause = re.split(r"[，,；;。]", window)[-1] if window else ""
        role = _role(clause)
        result.append(
            _Quantity(
                value=int(match.group(1)),
                approximate=bool(match.group(2)),
                unit=_UNIT_ALIASES.get(match.group(3), match.group(3)),
                start=match.start(),
                end=match.end(),
                role=role,
            )
        )
        previous_end = match.end()
    return result


def _role(clause: str) -> str | None:
    whole, part = _WHOLE.search(clause), _PART.search(clause)
    if whole and (not part or whole.start() <= part.start()):
        return "whole"
    return "part" if part else None


def _conflicting_totals(
    draft: Draft, paragraph: Paragraph, totals: dict[tuple[str, str], tuple[int, Spot]]
) -> list[Located]:
    """Totals (全乡26个行政村, 全年共排查矛盾纠纷35件) stated with another number elsewhere."""
    found: list[Located] = []
    for match in _QUANTITY.finditer(paragraph.text):
        if match.group(2):
            continue
        key = _total_key(paragraph.text, match)
        if key is None:
            continue
        value = int(match.group(1))
        spot = Spot(paragraph, match.start(), match.end())
        earlier = totals.get(key)
        if earlier is None:
            totals[key] = (value, spot)
        elif earlier[0] != value:
            where = draft.locate(earlier[1])
            suggestion = (
                f"同一数字前后不一致：{where}写的是{earlier[0]}{match.group(3)}，"
                f"此处为{value}{match.group(3)}，请核对统一"
            )
            found.append(_finding(draft, spot, "warning", suggestion))
    return found


def _total_key(text: str, match: re.Match[str]) -> tuple[str, str] | None:
    """(what, unit) for a total: 「全乡26个行政村」 or 「全年共排查矛盾纠纷35件」, else None."""
    unit = _UNIT_ALIASES.get(match.group(3), match.group(3))
    before = text[max(0, match.start() - 16) : match.start()]
    before = re.split(r"[，,；;。：:、（）()]", before)[-1]
    if unit == "个":
        after = re.match(r"[\u4e00-\u9fff]{1,5}", text[match.end() :])
        if _PLACE_MARK.search(before) and after and not _TIME_WORDS.match(after.group(0)):
            return (after.group(0)[:3], unit)
        return None
    if not re.search(r"全乡|全镇|全街道|全县|全区|全年|累计|共计|合计|总计|共", before):
        return None
    what = _KEY_NOISE.sub("", before)[-4:]
    if len(what) < 3:
        return None
    return (what, unit)


def _finding(draft: Draft, spot: Spot, severity: str, suggestion: str) -> Located:
    finding = Finding("figure", severity, draft.quote(spot), draft.locate(spot), suggestion)
    return (spot.position, finding)
