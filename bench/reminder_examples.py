"""Reminder examples bench: on ALL calendar entries, how many reminders carry a passage on the date.

    python bench/reminder_examples.py [--year 2027] [--verbose]

A passage counts as "about the date or theme" when it names the entry (a part of its name of
two or more characters) or one of its keywords in knowledge/calendar.toml outside 《…》 (a law
named in a list of laws studied is not the theme); the entry's laws, which the reminder's own
filter also accepts, do not count here. Three figures per run:
- now: the reminder's examples (bot.core.calendar.reminder_examples.find_examples);
- before: the top 3 report passages for "name theme", the query used until issue 14;
- available: entries whose words occur anywhere in the bundled reports (the ceiling).
Each is counted twice: the passage (all of it) and the excerpt the reminder shows (before: its
first 120 characters; now: from the sentence naming the theme). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.retrieval import open_kb  # noqa: E402
from bot.core.calendar.reminder_examples import (  # noqa: E402
    EXCERPT_CHARS,
    date_terms,
    find_examples,
    mentions,
)
from bot.core.calendar.rules import load_calendar  # noqa: E402
from bot.core.knowledge.catalog import Catalog  # noqa: E402
from bot.core.passages import Passage  # noqa: E402


def is_about(texts: list[str], terms: tuple[str, ...]) -> bool:
    return any(mentions(text, terms) for text in texts)


def old_excerpt(passage: Passage) -> str:
    """What the reminder showed before issue 14: the passage's first characters."""
    return " ".join(passage.text.split())[:EXCERPT_CHARS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--verbose", action="store_true", help="one line per entry")
    args = parser.parse_args()

    calendar = load_calendar(ROOT / "knowledge" / "calendar.toml")
    occurrences = {
        o.key: o
        for o in calendar.occurrences(date(args.year, 1, 1), date(args.year, 12, 31))
        if o.date.year == args.year
    }
    reports = "\n".join(
        path.read_text(encoding="utf-8") for path in sorted((ROOT / "knowledge/reports").iterdir())
    )
    with tempfile.TemporaryDirectory() as tmp:
        kb = open_kb(Path(tmp), "use")
        kb.ingest(Catalog.knowledge(ROOT / "knowledge"), root="knowledge")
        counts = dict.fromkeys(["before", "now", "before_shown", "now_shown", "available"], 0)
        if args.verbose:
            print("  x = yes, in the order: " + ", ".join(counts))
        for key, occurrence in occurrences.items():
            terms = date_terms(occurrence)
            examples = find_examples(kb, occurrence) or []
            old = kb.search(f"{occurrence.name} {occurrence.theme}", k=3, kind="report")
            hits = {
                "before": is_about([passage.text for passage in old], terms),
                "now": is_about([example.passage.text for example in examples], terms),
                "before_shown": is_about([old_excerpt(passage) for passage in old], terms),
                "now_shown": is_about([example.excerpt() for example in examples], terms),
                "available": bool(mentions(reports, terms)),
            }
            for name, hit in hits.items():
                counts[name] += hit
            if args.verbose:
                marks = "".join("x" if hit else "." for hit in hits.values())
                print(f"  {marks}  {key:28} {len(examples)} shown  terms={'、'.join(terms)}")
    total = len(occurrences)
    print(f"calendar entries ({args.year}): {total}; reports mentioning the date or theme at all: "
          f"{counts['available']}/{total}")  # fmt: skip
    print(f"reminders carrying a passage about the date or theme: now {counts['now']}/{total}, "
          f"before {counts['before']}/{total}")  # fmt: skip
    print(f"  ... and showing it in the excerpt: now {counts['now_shown']}/{total}, "
          f"before {counts['before_shown']}/{total}")  # fmt: skip


if __name__ == "__main__":
    main()
