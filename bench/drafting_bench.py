"""Drafting benchmark: offline (and, when LAWBOT_LLM_BASE_URL is set, LLM) drafts of the cases
in bench/drafting_cases.jsonl, plus the calibration of the offline answer threshold.

Prints, per mode: share of the user's figures present in the draft, invented figures that reached
the output unflagged (target 0), figures flagged 【待核实】, share of drafts citing sources, time
per draft. Run: `python bench/drafting_bench.py` (uses the configured data dir; ingests if needed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import time
from pathlib import Path
from typing import Any

from bot.cli.knowledge import ensure_knowledge
from bot.core.passages import Searcher
from bot.core.writing import composer
from bot.core.writing.numberguard import find_figures
from bot.core.writing.prompts import load_prompts
from bot.core.writing.sections import load_sections
from bot.core.writing.writer import Writer
from bot.services import Services
from bot.settings import Settings

CASES = Path(__file__).with_name("drafting_cases.jsonl")
BRACKETED = re.compile(r"【[^】]*】|《[^》]*》")
LIST_MARKER = re.compile(r"(?m)^\s*(?:\d+[.．、]|[（(]\d+[）)])")
ARABIC = re.compile(r"\d+(?:\.\d+)?")


def load_cases(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if "section" in r], [r for r in rows if "ask" in r]


def unflagged_inventions(draft: str, facts: str, year: int | None) -> list[str]:
    """Arabic numbers outside 【】/《》 whose value appears nowhere in the facts: an independent
    check of the guard (value only, looser than the guard's unit-and-subject binding)."""
    fixed = load_sections().fixed_expressions
    visible = LIST_MARKER.sub("", BRACKETED.sub("", draft))
    for phrase in fixed:
        visible = visible.replace(phrase, "")
    allowed = {f.value for f in find_figures(facts)}
    if year:
        allowed |= {year, year + 1}
    return [n for n in ARABIC.findall(visible) if float(n) not in {float(a) for a in allowed}]


def facts_present(draft: str, facts: str) -> tuple[int, int]:
    """(figures of the facts found in the draft outside placeholders, figures in the facts)."""
    wanted = find_figures(facts)
    visible = BRACKETED.sub("", draft)
    have = {(f.value, f.unit) for f in find_figures(visible)}
    return sum((f.value, f.unit) in have for f in wanted), len(wanted)


async def run_drafts(writer: Writer, cases: list[dict[str, Any]], verbose: bool) -> dict[str, Any]:
    present = total = invented = flagged = cited = 0
    times: list[float] = []
    modes: list[str] = []
    for case in cases:
        start = time.perf_counter()
        result = await writer.draft(
            case["section"], case["facts"], org=case.get("org"), year=case.get("year")
        )
        times.append(time.perf_counter() - start)
        modes.append(result.mode)
        got, want = facts_present(result.text, case["facts"])
        present, total = present + got, total + want
        leaks = unflagged_inventions(result.text, case["facts"], case.get("year"))
        invented += len(leaks)
        flagged += result.text.count("【待核实")
        cited += bool(result.sources)
        if verbose or leaks:
            print(f"--- {case['id']} {case['section']} ({result.mode}) leaks={leaks}")
            print(result.text)
            for warning in result.warnings:
                print(f"  ! {warning}")
    return {
        "drafts": len(cases),
        "modes": {m: modes.count(m) for m in set(modes)},
        "facts_present": f"{present}/{total} = {present / max(total, 1):.0%}",
        "invented_unflagged": invented,
        "flagged_待核实": flagged,
        "citing_sources": f"{cited}/{len(cases)} = {cited / max(len(cases), 1):.0%}",
        "seconds_per_draft_median": round(statistics.median(times), 3),
        "seconds_per_draft_max": round(max(times), 3),
    }


async def calibrate_ask(searcher: Searcher, questions: list[dict[str, Any]]) -> None:
    """Best coverage score per question, answerable vs not, against the current threshold."""
    print(
        f"\nask thresholds: guidance {composer.ANSWER_THRESHOLD}, reports (fallback) "
        f"{composer.PRACTICE_THRESHOLD}; best passage coverage per kind:"
    )
    for row in questions:
        terms = composer.content_terms(row["ask"])
        best = {}
        for kind in ("guidance", "report"):  # Writer.ask falls back to reports
            passages = await asyncio.to_thread(searcher.search, row["ask"], 8, kind=kind)
            best[kind] = max((composer.coverage(terms, p) for p in passages), default=0.0)
        answers = (
            best["guidance"] >= composer.ANSWER_THRESHOLD
            or best["report"] >= composer.PRACTICE_THRESHOLD
        )
        verdict = "answers" if answers else "not found"
        ok = answers == row["answerable"]
        print(
            f"  {'ok ' if ok else 'BAD'} guidance {best['guidance']:.2f} report "
            f"{best['report']:.2f} {verdict:<9} {row['ask']}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every draft")
    args = parser.parse_args()
    services = Services(Settings())
    try:
        ensure_knowledge(services, quiet=True)
        cases, questions = load_cases(args.cases)
        prompts = load_prompts(services.settings.prompts_dir)
        offline = Writer(services.knowledge, None, prompts)
        print("offline:", json.dumps(asyncio.run(run_drafts(offline, cases, args.verbose)),
                                     ensure_ascii=False))  # fmt: skip
        if services.chat_model is not None:
            llm = Writer(services.knowledge, services.chat_model, prompts)
            report = asyncio.run(run_drafts(llm, cases, args.verbose))
            print(f"llm ({services.settings.llm_model}):", json.dumps(report, ensure_ascii=False))
        else:
            print("llm: skipped (LAWBOT_LLM_BASE_URL is not set)")
        asyncio.run(calibrate_ask(services.knowledge, questions))
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
