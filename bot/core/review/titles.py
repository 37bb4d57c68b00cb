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
from bot.core.review.alignment import distance
from bot.core.review.draft import Draft, Spot
from bot.core.review.finding import Finding, Located

_TITLE = re.compile(r"《([^《》\n]{6,80})》")
_STATE = "中华人民共和国"
_DASHES = str.maketrans({"-": "—", "–": "—", "－": "—", "~": "—", "～": "—", "(": "（", ")": "）"})
_SHORTEST = 6  # shorter titles (《民法典》《森林法》) differ from each other by one character


class TitleRegister:
    """Real titles (normalised) with where each is named; `targets` are matched against."""

    def __init__(self, sources: dict[str, str], targets: frozenset[str] = frozenset()) -> None:
        self.sources = sources  # every title known to be real
        self.targets = targets  # the ones a near miss is matched against
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for title in targets:
            self._by_length[len(title)].append(title)

    def nearest(self, title: str) -> str | None:
        """The registered title a near miss was meant to be, or None when it is fine or far."""
        title = normalize_title(title)
        if len(title) < _SHORTEST or title in self.sources:
            return None
        limit = 1 if len(title) <= 10 else 2
        counts = Counter(title)
        best: tuple[int, str] | None = None
        for length in range(len(title) - limit, len(title) + limit + 1):
            for candidate in self._by_length.get(length, []):
                if sum((Counter(candidate) - counts).values()) > limit or candidate in title:
                    continue
                edits = distance(title, candidate, limit)
                if edits <= limit and (best is None or edits < best[0]):
                    best = (edits, candidate)
        if best is None or _differs_only_in_digits(title, best[1]):
            return None
        return best[1]


def normalize_title(title: str) -> str:
    return re.sub(r"\s+", "", title).translate(_DASHES)


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
    # Law names are known (never flagged) but not targets: the list is not every law, and a
    # law missing from it is often one character from a listed one (刑法/宪法, 公司法/公证法).
    laws = data.get("laws", {})
    for name in laws.get("names", []):
        name = normalize_title(str(name))
        sources.setdefault(name, str(laws.get("source", "")))
        if not name.startswith(_STATE):
            sources.setdefault(_STATE + name, str(laws.get("source", "")))
    return TitleRegister(sources, targets)


def check_titles(draft: Draft, register: TitleRegister) -> list[Located]:
    found: list[Located] = []
    for paragraph in draft.paragraphs:
        for match in _TITLE.finditer(paragraph.text):
            right = register.nearest(match.group(1))
            if right is None:
                continue
            spot = Spot(paragraph, match.start(), match.end())
            source = register.sources[right]
            suggestion = f"文件名称有误，应为《{right}》" + (
                f"（出处：{source}）" if source else ""
            )
            finding = Finding("title", "error", match.group(0), draft.locate(spot), suggestion)
            found.append((spot.position, finding))
    return found
