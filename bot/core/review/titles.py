"""Document titles in 《》 checked against a register of real titles (knowledge/titles.toml).

A title one or two characters away from a registered one (「推进法治政府建设第一责任人」 for
「推进法治建设第一责任人」) is reported with the registered title. Unknown titles far from every
registered one are left alone: the register cannot know every local document.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

from bot.core.errors import ConfigError
from bot.core.review.alignment import best_window, distance
from bot.core.review.draft import Draft, Spot
from bot.core.review.finding import Finding, Located
from bot.core.review.formulas import is_likely_slip

_TITLE = re.compile(r"《([^《》\n]{3,80})》")
_STATE = "中华人民共和国"
_DASHES = str.maketrans({"-": "—", "–": "—", "－": "—", "~": "—", "～": "—", "(": "（", ")": "）"})
# Kinds of legal instrument: a province's 《…办法》 beside the State Council's 《…条例》 is real.
_KIND = re.compile(r"(?:条例|办法|规定|细则|法)(?:（[^（）]*）)?$")
_PERIOD = re.compile(r"（\d{4}—\d{4}年?）")
_LAW_SHORTEST = 4  # characters of a law's own name (without 中华人民共和国)
_SHORTEST = 6  # shorter titles (《民法典》《森林法》) differ from each other by one character


class TitleRegister:
    """Real titles (normalised) with where each is named; `targets` are matched against."""

    def __init__(
        self,
        sources: dict[str, str],
        targets: frozenset[str] = frozenset(),
        laws: frozenset[str] = frozenset(),
    ) -> None:
        self.sources = sources  # every title known to be real
        self.targets = targets  # policy documents: any near miss is matched against them
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for title in targets:
            self._by_length[len(title)].append(title)
        self._answers: dict[str, str | None] = {}
        self._periods: dict[str, list[str]] = defaultdict(list)  # title without its period
        for title in targets:
            if _PERIOD.search(title):
                self._periods[_PERIOD.sub("", title)].append(title)
        self._laws_by_length: dict[int, list[str]] = defaultdict(list)
        for law in laws:
            self._laws_by_length[len(law)].append(law)

    def nearest(self, title: str) -> str | None:
        """The registered title a near miss was meant to be, or None when it is fine or far."""
        title = normalize_title(title)
        if title not in self._answers:  # a report cites the same few titles again and again
            self._answers[title] = self._nearest(title)
        return self._answers[title]

    def _nearest(self, title: str) -> str | None:
        if title in self.sources:
            return None
        if len(title) < _SHORTEST:
            return self._nearest_law(title)
        editions = self._periods.get(_PERIOD.sub("", title)) if _PERIOD.search(title) else None
        if editions:
            return max(editions)  # a period no registered edition has: name the latest one
        limit = 1 if len(title) <= _SHORTEST else 2
        counts = Counter(title)
        best: tuple[int, str] | None = None
        for length in range(len(title) - limit, len(title) + limit + 1):
            for candidate in self._by_length.get(length, []):
                if sum((Counter(candidate) - counts).values()) > limit or candidate in title:
                    continue
                edits = distance(title, candidate, limit)
                if edits <= limit and (best is None or edits < best[0]):
                    best = (edits, candidate)
        if best is None:
            return self._nearest_law(title)
        if _differs_in_kind(title, best[1]):
            return None
        if _differs_only_in_digits(title, best[1]) and not _PERIOD.search(title):
            return None  # 《2024年…要点》 beside 《2025年…要点》: yearly documents are checked as stale
        return best[1]

    def _nearest_law(self, title: str) -> str | None:
        """A law name with one slip: a same-sounding character, a swap or a dropped character.

        Stricter than for policy documents: the list is not every law, and a missing law is often
        one changed character from a listed one (刑法/宪法) or one added (环境保护税法).
        """
        if len(title.removeprefix(_STATE)) < _LAW_SHORTEST:
            return None
        counts = Counter(title)
        for length in (len(title), len(title) + 1):
            for law in self._laws_by_length.get(length, []):
                if sum((Counter(law) - counts).values()) > 1:
                    continue  # cheap test first: more than one character of the law is missing
                alignment = best_window(law, title, 1)
                if alignment is None or (alignment.start, alignment.end) != (0, len(title)):
                    continue
                (edit,) = alignment.edits
                inside = 0 < edit.pattern_index < len(law) - 1
                if (
                    edit.op == "swap"
                    or (edit.op == "del" and inside)
                    or (edit.op == "sub" and is_likely_slip(edit.wrong, edit.right))
                ):
                    return law
        return None


def normalize_title(title: str) -> str:
    return re.sub(r"\s+", "", title).translate(_DASHES)


def _differs_in_kind(a: str, b: str) -> bool:
    """《行政执法监督办法》 is another document than 《行政执法监督条例》, not a slip."""
    kind_a, kind_b = _KIND.search(a), _KIND.search(b)
    if not kind_a or not kind_b or kind_a.group(0) == kind_b.group(0):
        return False
    return a[: kind_a.start()] == b[: kind_b.start()]


def _differs_only_in_digits(a: str, b: str) -> bool:
    return re.sub(r"\d", "", a) == re.sub(r"\d", "", b)


def load_titles(path: Path) -> TitleRegister:
    """`[[title]]` entries and the `[laws]` name list; a missing file gives an empty register."""
    if not path.is_file():
        return TitleRegister({})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"数据文件 {path.name} 格式有误：{error}") from error
    sources: dict[str, str] = {}
    for index, entry in enumerate(data.get("title", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise ConfigError(f"{path.name} 第{index + 1}条 [[title]] 须有 text（文件名称）。")
        sources[normalize_title(entry["text"])] = str(entry.get("source", ""))
    targets = frozenset(sources)
    laws = data.get("laws", {})
    law_names: set[str] = set()
    for name in laws.get("names", []):
        name = normalize_title(str(name))
        forms = {name} if name.startswith(_STATE) else {name, _STATE + name}
        law_names |= forms
        for form in forms:
            sources.setdefault(form, str(laws.get("source", "")))
    return TitleRegister(sources, targets, frozenset(law_names - targets))


def check_titles(draft: Draft, register: TitleRegister) -> list[Located]:
    found: list[Located] = []
    for paragraph in draft.paragraphs:
        for match in _TITLE.finditer(paragraph.text):
            right = register.nearest(match.group(1))
            if right is None:
                continue
            spot = Spot(paragraph, match.start(), match.end())
            source = register.sources[right]
            cited = f"（出处：{source}）" if source else ""
            severity = "error"
            suggestion = f"文件名称有误，应为《{right}》{cited}"
            if _differs_only_in_digits(normalize_title(match.group(1)), right):
                severity = "warning"  # another period: a new edition may have come out since
                suggestion = (
                    f"未查到这一期限的文件；登记的是《{right}》{cited}。"
                    "请核对名称和期限，新一期文件以上级正式印发的为准"
                )
            finding = Finding("title", severity, match.group(0), draft.locate(spot), suggestion)
            found.append((spot.position, finding))
    return found
