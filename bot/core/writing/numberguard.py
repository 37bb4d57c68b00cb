"""The number guard: every figure in a draft must come from the user's facts.

Figures (Arabic or Chinese numerals, percentages, counts with units, dates) that the facts do
not back — including a real figure moved to another noun — become 【待核实：…】 placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
CHINESE_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join([*CHINESE_DIGITS, *CHINESE_SMALL_UNITS, *CHINESE_BIG_UNITS])

# Units that make a number a count, a sum, a share or a date; the longest match wins.
_UNIT_WORDS = (
    "平方米 学时 小时 万元 亿元 人次 场次 户次 余人 元 件 次 场 人 名 份 个 起 户 项 期 条 家 所 "
    "支 批 篇 册 处 村 次 年 月 日 号 天 周 % ％ 册 部 张 块 套 亩 米 公里 万 亿"
)
UNITS = sorted(set(_UNIT_WORDS.split(" ")), key=len, reverse=True)
# Units a Chinese numeral must carry to count as a figure ("一是", "两个维护" stay words).
CHINESE_COUNT_UNITS = set(UNITS) - {"年", "月", "日", "号", "周", "万", "亿", "%", "％"}
# Compound units that name the same kind of thing as their first character.
UNIT_ALIASES = {"场次": "场", "人次": "人", "户次": "户", "余人": "人", "％": "%", "号": "日"}
APPROXIMATORS = "余多近约"
# Characters too common to show that two clauses talk about the same thing.
STOP_CHARS = set(
    "的了和与及共计全年度今本我镇乡村街道开展组织进行完成实现达到累计其中等各类为在有是"
)

ARABIC = r"\d+(?:[.．]\d+)?"
CHINESE = rf"[{CHINESE_NUMERAL_CHARS}]+"
UNIT_PATTERN = "|".join(re.escape(u) for u in UNITS)
FIGURE_RE = re.compile(
    rf"(?P<pct_cn>百分之(?P<pct_num>{CHINESE}|{ARABIC}))"
    rf"|(?P<num>{ARABIC}|{CHINESE})(?P<approx>[{APPROXIMATORS}]?)(?P<unit>{UNIT_PATTERN})?"
)
PROTECTED_RE = re.compile(r"【[^】]*】|《[^》]*》")
LIST_MARKER_RE = re.compile(r"(?m)^\s*(?:\d+[.．、]|[（(]\d+[）)])")
CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?\n、]")


@dataclass(frozen=True)
class Figure:
    """One figure found in a text: its normalised value, unit and surrounding clause."""

    start: int
    end: int
    text: str
    value: Decimal
    unit: str  # canonical unit ("" when bare)
    context: str  # Han characters of the clause around the figure, figure removed


@dataclass(frozen=True)
class GuardResult:
    """A checked text with unbacked figures and names replaced, and one warning per replacement."""

    text: str
    flagged: tuple[str, ...]
    warnings: tuple[str, ...]


def chinese_to_int(numeral: str) -> int | None:
    """Value of a Chinese numeral (十五, 一百二十, 两万三千, 二〇二四); None if malformed."""
    if not numeral or any(ch not in CHINESE_NUMERAL_CHARS for ch in numeral):
        return None
    if not any(ch in CHINESE_SMALL_UNITS or ch in CHINESE_BIG_UNITS for ch in numeral):
        if len(numeral) == 1:
            return CHINESE_DIGITS[numeral]
        return int("".join(str(CHINESE_DIGITS[ch]) for ch in numeral))  # 二〇二四
    total, section, digit = 0, 0, None
    for ch in numeral:
        if ch in CHINESE_DIGITS:
            if digit is not None and CHINESE_DIGITS[ch] != 0:
                return None  # two digits in a row: not a numeral
            digit = CHINESE_DIGITS[ch] or None
        elif ch in CHINESE_SMALL_UNITS:
            section += (digit if digit is not None else 1) * CHINESE_SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            total = (total + section) * CHINESE_BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def numeral_value(numeral: str) -> Decimal | None:
    """Value of an Arabic or Chinese numeral; None if malformed."""
    if numeral[0].isdigit():
        try:
            return Decimal(numeral.replace("．", "."))
        except InvalidOperation:
            return None
    number = chinese_to_int(numeral)
    return Decimal(number) if number is not None else None


def _clause_context(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    right_match = CLAUSE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    clause = text[left:start] + text[end:right]
    return "".join(ch for ch in clause if "\u4e00" <= ch <= "\u9fff")


def find_figures(text: str, fixed_expressions: Iterable[str] = ()) -> list[Figure]:
    """Every figure in `text`, skipping 【placeholders】, 《titles》, list numbering and fixed
    expressions such as 两个维护 or “12·4”."""
    skipped = [(m.start(), m.end()) for m in PROTECTED_RE.finditer(text)]
    for phrase in fixed_expressions:
        skipped += [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text)]
    skipped += [(m.start(), m.end()) for m in LIST_MARKER_RE.finditer(text)]
    figures = []
    for match in FIGURE_RE.finditer(text):
        start, end = match.span()
        if any(a <= start < b for a, b in skipped):
            continue
        if match.group("pct_cn"):
            value, unit = numeral_value(match.group("pct_num")), "%"
        else:
            numeral, unit = match.group("num"), match.group("unit") or ""
            is_chinese = not numeral[0].isdigit()
            if is_chinese:
                if unit not in CHINESE_COUNT_UNITS or (start > 0 and text[start - 1] == "第"):
                    continue
                if numeral in ("一", "万", "亿"):
                    continue  # 一次、一批: wording, not a count anyone reports
            value = numeral_value(numeral)
        if value is None:
            continue
        figures.append(
            Figure(
                start=start,
                end=end,
                text=match.group(0),
                value=value,
                unit=UNIT_ALIASES.get(unit, unit),
                context=_clause_context(text, start, end),
            )
        )
    return figures


def _same_subject(draft: Figure, fact: Figure) -> bool:
    """Whether two clauses share a meaningful character (宣讲 … 宣讲活动)."""
    fact_chars = set(fact.context) - STOP_CHARS
    if not fact_chars:
        return True  # a bare figure in the facts binds to nothing in particular
    return bool(fact_chars & (set(draft.context) - STOP_CHARS))


def _is_backed(figure: Figure, facts: list[Figure], allowed_years: set[int]) -> bool:
    if figure.unit in ("年", "") and figure.value in allowed_years:
        return True
    for fact in facts:
        if fact.value != figure.value:
            continue
        if figure.unit == "" or fact.unit == "":
            return True  # "15" alone next to "15场" names nothing new
        if fact.unit == figure.unit and _same_subject(figure, fact):
            return True
    return False


def guard_text(
    text: str,
    facts: str,
    *,
    year: int | None = None,
    org: str | None = None,
    forbidden_names: Iterable[str] = (),
    forbidden_places: Iterable[str] = (),
    fixed_expressions: Iterable[str] = (),
) -> GuardResult:
    """Replace every figure the facts do not back, and every forbidden name of a person or of
    another township (from the example material), with 【待核实：…】.

    Figures in `facts`, the report year (and the year after, for plans) and figures inside the
    organisation's name are allowed; a figure is backed only with the same unit and subject.
    """
    allowed_years = {year, year + 1} if year else set()
    fact_figures = find_figures(facts) + find_figures(org or "")
    protected_org = [(m.start(), m.end()) for m in re.finditer(re.escape(org), text)] if org else []
    flagged: list[str] = []
    pieces: list[str] = []
    cursor = 0
    for figure in find_figures(text, fixed_expressions):
        if any(a <= figure.start < b for a, b in protected_org):
            continue
        if _is_backed(figure, fact_figures, {y for y in allowed_years if y}):
            continue
        pieces.append(text[cursor : figure.start])
        pieces.append(f"【待核实：{figure.text}】")
        cursor = figure.end
        flagged.append(figure.text)
    pieces.append(text[cursor:])
    checked = "".join(pieces)
    warnings = [f"数字“{item}”在您提供的事实中找不到依据，已标为【待核实】" for item in flagged]
    for names, label, what in (
        (forbidden_names, "姓名", "人名"),
        (forbidden_places, "单位名称", "其他单位的名称"),
    ):
        for name in sorted(set(names), key=len, reverse=True):
            if not name or name in facts or (org and name in org) or name not in checked:
                continue
            checked = checked.replace(name, f"【待核实：{label}】")
            flagged.append(name)
            warnings.append(f"“{name}”是范例材料中{what}，已替换为【待核实：{label}】")
    return GuardResult(text=checked, flagged=tuple(flagged), warnings=tuple(warnings))
