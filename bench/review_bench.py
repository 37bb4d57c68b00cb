"""Proofreader quality: recall on injected errors, and false alarms on the seed reports.

    python bench/review_bench.py [--cases bench/review_cases.toml] [--verbose]

(a) Recall: every case in review_cases.toml must yield a finding of the expected kind whose
    excerpt overlaps the expected excerpt; bases and controls must yield no finding at all.
(b) Precision: every finding on knowledge/reports/*.txt (example names taken from the *other*
    reports, since a report cannot copy names from itself), judged in review_precision.md.
(c) Timing: one check of a 60,000-character text.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

from bot.core.review import Finding, Reviewer, load_reviewer
from bot.core.writing.names import extract_official_names

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
JUDGEMENTS = ROOT / "bench" / "review_precision.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=ROOT / "bench" / "review_cases.toml")
    parser.add_argument("--reports", type=Path, default=KNOWLEDGE / "reports")
    parser.add_argument("--verbose", action="store_true", help="print every finding")
    args = parser.parse_args()
    reviewer = load_reviewer(KNOWLEDGE)
    recall_ok = run_recall(reviewer, tomllib.loads(args.cases.read_text(encoding="utf-8")), args)
    run_precision(reviewer, args.reports)
    run_timing(reviewer, args.reports)
    return 0 if recall_ok else 1


def run_recall(reviewer: Reviewer, data: dict, args: argparse.Namespace) -> bool:
    bases = {name: entry["text"] for name, entry in data.get("base", {}).items()}
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    print("== Recall on injected errors")
    for number, case in enumerate(data["case"], start=1):
        text = case.get("text") or bases[case["base"]]
        for clean, wrong in case.get("replace", []):
            if clean not in text:
                raise SystemExit(f"case {number}: {clean[:20]!r} not in base {case['base']}")
            text = text.replace(clean, wrong, 1)
        findings = reviewer.check(text, year=case.get("year"))
        kind = case["kind"]
        totals[kind] += 1
        if any(f.kind == kind and overlaps(f.excerpt, case["excerpt"]) for f in findings):
            hits[kind] += 1
        else:
            print(f"  MISSED case {number} ({kind}): expected 「{case['excerpt']}」")
            for finding in findings:
                print(f"      got {finding.kind}: 「{finding.excerpt}」 {finding.suggestion[:50]}")
        if args.verbose:
            for finding in findings:
                print(f"    case {number}: {finding.kind} 「{finding.excerpt}」")
    for kind in sorted(totals):
        print(f"  {kind:<11} {hits[kind]:>3}/{totals[kind]:<3} {hits[kind] / totals[kind]:6.1%}")
    total_hits, total = sum(hits.values()), sum(totals.values())
    print(f"  {'overall':<11} {total_hits:>3}/{total:<3} {total_hits / total:6.1%}")

    controls = [(f"base {name}", text, None) for name, text in bases.items()]
    controls += [
        (f"control {i}", entry["text"], entry.get("year"))
        for i, entry in enumerate(data.get("control", []), start=1)
    ]
    noisy = 0
    for label, text, year in controls:
        findings = reviewer.check(text, year=year)
        if findings:
            noisy += 1
            print(f"  CONTROL {label} gave {len(findings)} finding(s):")
            for finding in findings:
                print(f"      {finding.kind}: 「{finding.excerpt}」 {finding.suggestion[:60]}")
    print(f"  controls with findings: {noisy}/{len(controls)}")
    return total_hits / total >= 0.9 and noisy == 0


def run_precision(reviewer: Reviewer, reports_dir: Path) -> None:
    judged = load_judgements(JUDGEMENTS)
    paths = sorted(reports_dir.glob("*.txt"))
    texts = {path.stem[:3]: path.read_text(encoding="utf-8") for path in paths}
    print("\n== Findings on the seed reports (judged in bench/review_precision.md)")
    false_alarms: dict[str, int] = {}
    unjudged = 0
    for report, text in texts.items():
        others = set().union(*(extract_official_names(t) for r, t in texts.items() if r != report))
        own = Reviewer(
            terms=reviewer.terms,
            typos=reviewer.typos,
            stale=reviewer.stale,
            example_names=others,
            formulas=reviewer.formulas,
            titles=reviewer.titles,
        )
        findings = own.check(text)
        false_alarms[report] = 0
        print(f"-- {report}: {len(findings)} findings")
        for finding in findings:
            verdict = judged.get((report, finding.kind, finding.excerpt))
            if verdict is None:
                unjudged += 1
                mark = "UNJUDGED"
            else:
                mark = "true" if verdict else "FALSE"
                false_alarms[report] += 0 if verdict else 1
            print(f"  [{mark}] {row(report, finding)}")
    print("\n== False alarms per report")
    for report, count in false_alarms.items():
        print(f"  {report}: {count}")
    average = sum(false_alarms.values()) / max(1, len(false_alarms))
    print(f"  average: {average:.2f} (target <= 0.2)   unjudged findings: {unjudged}")


def run_timing(reviewer: Reviewer, reports_dir: Path) -> None:
    """Seconds to check a long text (the seed reports repeated to about 60,000 characters)."""
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted(reports_dir.glob("*.txt")))
    text = (seeds * (60_000 // max(1, len(seeds)) + 1))[:60_000]
    findings = reviewer.check(text)  # warm-up: pinyin, part and word tables load on first use
    times = []
    for _ in range(3):
        started = time.perf_counter()
        reviewer.check(text)
        times.append(time.perf_counter() - started)
    times.sort()
    print(
        f"\n== Timing: {len(text):,} characters, {len(findings)} findings: "
        f"median {times[1]:.2f} s (min {times[0]:.2f}, max {times[2]:.2f}) over 3 runs"
    )


def row(report: str, finding: Finding) -> str:
    """A Markdown table row for review_precision.md (verdict and reason filled in by hand)."""
    excerpt = finding.excerpt.replace("|", "｜")
    cells = [report, finding.kind, excerpt, finding.location, finding.suggestion[:40]]
    return "| " + " | ".join(cells) + " |"


def load_judgements(path: Path) -> dict[tuple[str, str, str], bool]:
    """(report, kind, excerpt) -> True for a true finding, False for a false alarm."""
    judged: dict[tuple[str, str, str], bool] = {}
    if not path.is_file():
        return judged
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and re.fullmatch(r"\d{3}", cells[0]) and cells[3] in ("true", "false"):
            judged[(cells[0], cells[1], cells[2])] = cells[3] == "true"
    return judged


def overlaps(found: str, expected: str) -> bool:
    """True when the two excerpts share a run of at least two characters (or all of one)."""
    if expected in found or found in expected:
        return True
    shortest = min(len(found), len(expected))
    size = min(2, shortest)
    return any(expected[i : i + size] in found for i in range(len(expected) - size + 1)) and (
        longest_common_run(found, expected) >= min(4, shortest)
    )


def longest_common_run(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


if __name__ == "__main__":
    sys.exit(main())
