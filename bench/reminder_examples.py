"""Reminder examples bench: on ALL calendar entries, how many reminders carry a passage on the date.

    python bench/reminder_examples.py [--year 2027] [--verbose]

A passage counts as "about the date or theme" when it names the entry (a part of its name of
two or more characters) or one of its keywords in knowledge/calendar.toml outside 《…》 (a law
named in a list of laws studied is not the theme); the entry's laws, which the reminder's own
filter also accepts, do not count here. Three figures per run:
- now: the reminder's examples (bot.core.calendar.reminder_examples.find_examples);
- before: the top 3 report passages for "name theme", the query used until issue 14;
- available: entries whose words occur anywhere in the bundled reports (the ceiling).
Prints figures; asserts nothing.
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
from bot.core.calendar.reminder_examples import date_terms, find_examples, mentions  # noqa: E402
from bot.core.calendar.rules import load_calendar  # noqa: E402
from bot.core.knowledge.catalog import Catalog  # noqa: E402
from bot.core.passages import Passage  # noqa: E402


def is_about(passages: list[Passage], terms: tuple[str, ...]) -> bool:
    return any(mentions(passage.text, terms) for passage in passages)


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
        now = before = available = 0
        for key, occurrence in occurrences.items():
            terms = date_terms(occurrence)
            examples = find_examples(kb, occurrence) or []
            old = kb.search(f"{occurrence.name} {occurrence.theme}", k=3, kind="report")
            hit_now = is_about([example.passage for example in examples], terms)
            hit_before = is_about(old, terms)
            hit_available = bool(mentions(reports, terms))
            now, before = now + hit_now, before + hit_before
            available += hit_available
            if args.verbose:
                marks = "".join("x" if hit else "." for hit in (hit_before, hit_now, hit_available))
                print(f"  {marks}  {key:28} {len(examples)} shown  terms={'、'.join(terms)}")
    total = len(occurrences)
    print(f"calendar entries ({args.year}): {total}")
    print(f"reminders carrying a passage about the date or theme: now {now}/{total}, "
          f"before {before}/{total}; entries the bundled reports mention at all: "
          f"{available}/{total}")  # fmt: skip


if __name__ == "__main__":
    main()
