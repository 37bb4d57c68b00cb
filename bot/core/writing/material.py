"""What the writer puts before a model or a user: numbered material, example passages picked
for variety, key-date cards as material, and the example townships' names a draft must not copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.passages import Passage

# Documents drafts and /examples draw on: reports, and files an admin uploaded (often another
# township's report); rule searches use the uploads too (finding.RULE_KINDS).
EXAMPLE_KINDS = ("report", "uploaded")

# A township name in a report title or issuer: 宝丰县李庄乡, 皇宫镇, 湟中区群加藏族乡.
PLACE = re.compile(r"(?:[\u4e00-\u9fff]{2,4}[县区市])?[\u4e00-\u9fff]{2,6}?(?:乡|镇|街道)")
PLACE_PART = re.compile(r"[\u4e00-\u9fff]{2,4}?[县区市](?=.)|[\u4e00-\u9fff]{2,6}?(?:乡|镇|街道)$")


def fence_material(passages: Sequence[Passage], max_chars: int = 600) -> str:
    """Numbered passages for a prompt; a passage cannot close the <资料> fence it sits in."""
    blocks = []
    for number, passage in enumerate(passages, 1):
        text = passage.text[:max_chars]
        text = text.replace("<资料>", "〈资料〉").replace("</资料>", "〈/资料〉")
        blocks.append(f"[{number}] {passage.citation}\n{text}")
    return "\n\n".join(blocks) if blocks else "（无）"


def calendar_passage(card: str) -> Passage:
    """A key-date card (calendar/date_answers.py) as material a model may cite."""
    return Passage(card, "重要日期（提醒日历）", "", "knowledge/calendar.toml", "calendar", 1.0)


def example_places(passages: Sequence[Passage]) -> set[str]:
    """Names of the townships (and their counties) that wrote the example passages."""
    places: set[str] = set()
    for passage in passages:
        if passage.kind not in EXAMPLE_KINDS:
            continue
        for label in (passage.title, passage.issuer or ""):
            for match in PLACE.finditer(label):
                places.add(match.group(0))
                places.update(part for part in PLACE_PART.findall(match.group(0)) if part)
    return {p for p in places if len(p) >= 3}


def place_stems(passages: Sequence[Passage]) -> set[str]:
    """The example townships' names without 乡/镇/县 (李庄 of 李庄乡), two characters or more."""
    stems = {re.sub(r"(?:街道|乡|镇|县|区|市)$", "", place) for place in example_places(passages)}
    return {stem for stem in stems if len(stem) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", stem)}


def diverse(passages: Sequence[Passage], *, per_source: int) -> list[Passage]:
    """Best-first passages without near-duplicates and with at most `per_source` per document."""
    kept: list[Passage] = []
    per: dict[str, int] = {}
    for passage in sorted(passages, key=lambda p: -p.score):
        opening = passage.text[:40]
        if per.get(passage.source, 0) >= per_source or any(k.text[:40] == opening for k in kept):
            continue
        per[passage.source] = per.get(passage.source, 0) + 1
        kept.append(passage)
    return kept
