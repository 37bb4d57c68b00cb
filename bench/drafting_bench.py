"""Drafting benchmark: offline (and, when LAWBOT_LLM_BASE_URL is set, LLM) drafts of the cases
in bench/drafting_cases.jsonl, plus the calibration of the offline answer threshold.

Prints, per mode: share of the user's figures present in the draft, invented items that reached
the output unflagged (target 0) by kind — Arabic figures, Chinese-numeral counts, 《titles》,
places (…乡/镇/县/村/街道, and example townships' names without the suffix) — items flagged
【待核实】, drafts that fell back to the skeleton, share citing sources, time per draft.

`--fake-llm` drafts through the real client against tests/fakes/openai_server.py, whose canned
replies are each case's skeleton with invented items of the kinds a small local model added
(titles, places, 五办五中心, a moved figure, measures, Markdown, a loop, a lost fact): it measures
the checks, not a model. Run: `python bench/drafting_bench.py [--fake-llm]` (uses the configured
data dir; ingests if needed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.cli.knowledge import ensure_knowledge
from bot.core.passages import Passage, Searcher
from bot.core.writing import answers, composer, wording
from bot.core.writing.material import example_places
from bot.core.writing.numberguard import find_figures
from bot.core.writing.prompts import load_prompts
from bot.core.writing.rewrite import GENERIC_PLACES
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


HAN_PLACE = re.compile(r"[\u4e00-\u9fff]{2}(?:街道|乡|镇|县|村)")
CHINESE_RUN = re.compile(
    r"(?<![第一二三四五六七八九十两百千万（(])[一二三四五六七八九十两][一二三四五六七八九十两百千万]*"
)
PLACE_SUFFIX = re.compile(r"(?:街道|乡|镇|县|区|市)$")


def invented_by_kind(
    draft: str, reference: str, sources: Sequence[Passage], year: int | None
) -> dict[str, list[str]]:
    """Items visible in `draft` (outside 【】) that `reference` (facts, organisation, the offline
    skeleton) lacks, by kind. Written apart from the guard: its own patterns, so it can disagree."""
    fixed = load_sections().fixed_expressions
    visible = re.sub(r"【[^】]*】", "", draft)
    for phrase in fixed:
        visible = visible.replace(phrase, " ")
    found: dict[str, list[str]] = {"arabic": [], "chinese": [], "title": [], "place": []}
    found["arabic"] = unflagged_inventions(draft, reference, year)
    found["title"] = [t for t in re.findall(r"《[^》]*》", visible) if t not in reference]
    for match in CHINESE_RUN.finditer(visible):
        word = visible[match.start() : match.end() + 1]
        if match.group(0) == "一" or word[-1:] in "是、）)分" or word in reference:
            continue
        found["chinese"].append(word)
    for name in HAN_PLACE.findall(visible):
        if name not in reference and not any(name[i:] in GENERIC_PLACES for i in range(2)):
            found["place"].append(name)
    towns = example_places(sources)
    stems = {PLACE_SUFFIX.sub("", town) for town in towns} | towns
    for stem in stems:
        if len(stem) >= 2 and stem in visible and stem not in reference:
            found["place"].append(stem)
    return found


def facts_present(draft: str, facts: str) -> tuple[int, int]:
    """(figures of the facts found in the draft outside placeholders, figures in the facts)."""
    wanted = find_figures(facts)
    visible = BRACKETED.sub("", draft)
    have = {(f.value, f.unit) for f in find_figures(visible)}
    return sum((f.value, f.unit) in have for f in wanted), len(wanted)


async def run_drafts(
    writer: Writer, cases: list[dict[str, Any]], skeletons: dict[str, str], verbose: bool
) -> dict[str, Any]:
    present = total = flagged = cited = fell_back = 0
    invented: dict[str, int] = {"arabic": 0, "chinese": 0, "title": 0, "place": 0}
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
        reference = "\n".join([case["facts"], case.get("org") or "", skeletons.get(case["id"], "")])
        leaks = invented_by_kind(result.text, reference, result.sources, case.get("year"))
        for kind, items in leaks.items():
            invented[kind] += len(items)
        flagged += result.text.count("【待核实")
        cited += bool(result.sources)
        fell_back += any("漏掉" in w for w in result.warnings)
        if verbose or any(leaks.values()):
            print(f"--- {case['id']} {case['section']} ({result.mode}) leaks={leaks}")
            print(result.text)
            for warning in result.warnings:
                print(f"  ! {warning}")
    return {
        "drafts": len(cases),
        "modes": {m: modes.count(m) for m in set(modes)},
        "facts_present": f"{present}/{total} = {present / max(total, 1):.0%}",
        "invented_unflagged": sum(invented.values()),
        "invented_unflagged_by_kind": invented,
        "flagged_待核实": flagged,
        "fell_back_to_skeleton": fell_back,
        "citing_sources": f"{cited}/{len(cases)} = {cited / max(len(cases), 1):.0%}",
        "seconds_per_draft_median": round(statistics.median(times), 3),
        "seconds_per_draft_max": round(max(times), 3),
    }


async def calibrate_ask(searcher: Searcher, questions: list[dict[str, Any]]) -> None:
    """Best coverage score per question, answerable vs not, against the current threshold."""
    print(
        f"\nask thresholds: guidance {answers.ANSWER_THRESHOLD}, reports (fallback) "
        f"{answers.PRACTICE_THRESHOLD}; best passage coverage per kind:"
    )
    for row in questions:
        terms = wording.content_terms(row["ask"])
        best = {}
        for kind in ("guidance", "report"):  # Writer.ask falls back to reports
            passages = await asyncio.to_thread(searcher.search, row["ask"], 8, kind=kind)
            best[kind] = max((wording.coverage(terms, p) for p in passages), default=0.0)
        answered = (
            best["guidance"] >= answers.ANSWER_THRESHOLD
            or best["report"] >= answers.PRACTICE_THRESHOLD
        )
        verdict = "answers" if answered else "not found"
        ok = answered == row["answerable"]
        print(
            f"  {'ok ' if ok else 'BAD'} guidance {best['guidance']:.2f} report "
            f"{best['report']:.2f} {verdict:<9} {row['ask']}"
        )


async def skeletons_of(
    writer: Writer, cases: list[dict[str, Any]]
) -> tuple[dict[str, str], dict[str, str]]:
    """Each case's offline skeleton (what the model is asked to rewrite), and the name of one
    example township among its sources without 乡/镇 (for a simulated 法治李庄)."""
    found, stems = {}, {}
    for case in cases:
        result = await writer.draft(
            case["section"], case["facts"], org=case.get("org"), year=case.get("year")
        )
        found[case["id"]] = result.text.removeprefix(composer.OFFLINE_DRAFT_LABEL).strip()
        towns = sorted(PLACE_SUFFIX.sub("", t) for t in example_places(result.sources))
        stems[case["id"]] = next((t for t in towns if len(t) == 2), "")
    return found, stems


def simulated_rewrite(skeleton: str, case: dict[str, Any], number: int, stem: str) -> str:
    """The skeleton as a small model returned it: Markdown headings, and one invented item of a
    kind seen in real local-model drafts (rotating), or a lost fact, or a loop."""
    lines = skeleton.split("\n")
    lines = [re.sub(r"^(（[一二三四五六七八九十]+）[^。]*。)", r"**\1**", line) for line in lines]
    first_fact = next(iter(find_figures(case["facts"])), None)
    added = [
        "依据《湖南省行政执法全过程记录办法》，规范工作流程。",
        f"出台《{case.get('org') or '本镇'}关于加强法治政府建设的若干意见》。",
        f"学习借鉴“法治{stem or '李庄'}”经验做法。",
        "形成“五办五中心”工作格局。",
        f"另聘请法律顾问{first_fact.value if first_fact else 7}名。",
        "组织召开公开听证会，开展专家论证。",
        "组织干部赴青石镇学习交流，覆盖群众3000余人次。",
        "",  # a lost fact, below
        "坚持依法行政，" * 30,
    ][number % 9]
    if number % 9 == 7 and first_fact is not None:
        lines = [line.replace(first_fact.text, "若干") for line in lines]
    lines.insert(1, added)
    return "\n".join(line for line in lines if line)


async def run_fake_llm(
    services: Services, prompts: Any, cases: list[dict[str, Any]], skeletons: dict[str, str],
    stems: dict[str, str], verbose: bool,
) -> dict[str, Any]:  # fmt: skip
    """Drafts through the real client against the fake server's simulated rewrites."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project's tests package
    from langchain_openai import ChatOpenAI

    from tests.fakes.openai_server import FakeOpenAIServer

    server = FakeOpenAIServer()
    await server.start()
    try:
        before: dict[str, int] = {}
        for number, case in enumerate(cases):
            reply = simulated_rewrite(skeletons[case["id"]], case, number, stems[case["id"]])
            server.reply(reply)
            # The same checker on the replies as sent: what the checks have to catch.
            reference = "\n".join([case["facts"], case.get("org") or "", skeletons[case["id"]]])
            raw = invented_by_kind(reply, reference, (), case.get("year"))
            raw["place"] += [stems[case["id"]]] if stems[case["id"]] in reply else []
            for kind, items in raw.items():
                before[kind] = before.get(kind, 0) + len(items)
        print("fake llm replies as sent, invented items by kind:", json.dumps(before))
        model = ChatOpenAI(base_url=server.base_url, api_key="not-needed",  # type: ignore[arg-type]
                           model="fake", timeout=10, max_retries=0)  # fmt: skip
        return await run_drafts(
            Writer(services.knowledge, model, prompts), cases, skeletons, verbose
        )
    finally:
        await server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every draft")
    parser.add_argument("--fake-llm", action="store_true", help="simulated rewrites (see above)")
    args = parser.parse_args()
    services = Services(Settings())
    try:
        ensure_knowledge(services, quiet=True)
        cases, questions = load_cases(args.cases)
        prompts = load_prompts(services.settings.prompts_dir)
        offline = Writer(services.knowledge, None, prompts)
        skeletons, stems = asyncio.run(skeletons_of(offline, cases))
        report = asyncio.run(run_drafts(offline, cases, skeletons, args.verbose))
        print("offline:", json.dumps(report, ensure_ascii=False))
        if args.fake_llm:
            report = asyncio.run(
                run_fake_llm(services, prompts, cases, skeletons, stems, args.verbose)
            )
            print("fake llm (simulated rewrites):", json.dumps(report, ensure_ascii=False))
        if services.chat_model is not None:
            llm = Writer(services.knowledge, services.chat_model, prompts,
                         llm_timeout=services.settings.llm_timeout)  # fmt: skip
            report = asyncio.run(run_drafts(llm, cases, skeletons, args.verbose))
            print(f"llm ({services.settings.llm_model}):", json.dumps(report, ensure_ascii=False))
        else:
            print("llm: skipped (LAWBOT_LLM_BASE_URL is not set)")
        asyncio.run(calibrate_ask(services.knowledge, questions))
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
