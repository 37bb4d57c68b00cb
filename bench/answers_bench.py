"""Requirement answers: how many answers hold every key fact a right answer must contain.

    python bench/answers_bench.py [--verbose] [--sets docs,heldout] [--laws ../shared/corpus/laws]

Fifteen question sets: bench/questions_docs.jsonl (written from the guidance and FACTS.md), and
bench/questions_heldout.jsonl and questions_heldout2.jsonl … questions_heldout14.jsonl (each
written blind from FACTS.md by a helper who never read the guidance texts, the answering code or
the other sets; heldout3 to heldout14 before that session's answering changes were measured on
them, so their first figures test those changes blind). Questions are asked as the
bot asks them for a user with no open report: today, for the default report year. Each line: {"question", "key_facts": [[alternatives]…],
"answerable"}. An answerable question counts when every fact has one alternative in the answer;
an unanswerable one when the answer says the knowledge base has nothing on it. Runs offline,
and also with the configured model when LAWBOT_LLM_BASE_URL is set (then it also counts the
model's summaries withdrawn for stating as settled what their sections leave open). Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.calendar.date_answers import key_date_cards  # noqa: E402
from bot.core.calendar.rules import Calendar, load_calendar  # noqa: E402
from bot.core.knowledge.catalog import Catalog  # noqa: E402
from bot.core.knowledge.retrieval import KnowledgeBase  # noqa: E402
from bot.core.knowledge.timewords import TimeFrame  # noqa: E402
from bot.core.report.model import default_report_year  # noqa: E402
from bot.core.writing.answers import NOT_FOUND  # noqa: E402
from bot.core.writing.prompts import load_prompts  # noqa: E402
from bot.core.writing.writer import CAVEAT_LOST_NOTICE, Writer  # noqa: E402

SETS = {
    "docs": ROOT / "bench" / "questions_docs.jsonl",
    "heldout": ROOT / "bench" / "questions_heldout.jsonl",
    "heldout2": ROOT / "bench" / "questions_heldout2.jsonl",
    "heldout3": ROOT / "bench" / "questions_heldout3.jsonl",
    "heldout4": ROOT / "bench" / "questions_heldout4.jsonl",
    "heldout5": ROOT / "bench" / "questions_heldout5.jsonl",
    "heldout6": ROOT / "bench" / "questions_heldout6.jsonl",
    "heldout7": ROOT / "bench" / "questions_heldout7.jsonl",
    "heldout8": ROOT / "bench" / "questions_heldout8.jsonl",
    "heldout9": ROOT / "bench" / "questions_heldout9.jsonl",
    "heldout10": ROOT / "bench" / "questions_heldout10.jsonl",
    "heldout11": ROOT / "bench" / "questions_heldout11.jsonl",
    "heldout12": ROOT / "bench" / "questions_heldout12.jsonl",
    "heldout13": ROOT / "bench" / "questions_heldout13.jsonl",
    "heldout14": ROOT / "bench" / "questions_heldout14.jsonl",
}


CAVEAT_LOST = CAVEAT_LOST_NOTICE.split("“")[0]


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def holds(item: dict[str, Any], text: str) -> tuple[bool, list[list[str]]]:
    """Whether the answer is right, and the facts it misses."""
    if not item.get("answerable", True):
        return NOT_FOUND.rstrip("。") in text, []
    missing = [fact for fact in item["key_facts"] if not any(alt in text for alt in fact)]
    return not missing, missing


async def run_set(writer: Writer, items: list[dict[str, Any]], verbose: bool) -> dict[str, Any]:
    right = answerable = declined = unanswerable = withdrawn = 0
    seconds = []
    for item in items:
        started = time.perf_counter()
        result = await writer.ask(item["question"], when=asked_on(dt.date.today()))
        seconds.append(time.perf_counter() - started)
        ok, missing = holds(item, result.text)
        withdrawn += any(w.startswith(CAVEAT_LOST) for w in result.warnings)
        if item.get("answerable", True):
            answerable += 1
            right += ok
        else:
            unanswerable += 1
            declined += ok
        if verbose and not ok:
            print(f"  MISS {item['question']}  missing={missing}")
            print("       " + result.text.replace("\n", " ")[:300])
    seconds.sort()
    return {
        "answers_holding_all_key_facts": f"{right}/{answerable}",
        "declined_when_nothing_fits": f"{declined}/{unanswerable}",
        "seconds_median": round(seconds[len(seconds) // 2], 3) if seconds else 0,
        "model_summaries_withdrawn_for_a_lost_caveat": withdrawn,
    }


def open_bundled_kb(folder: Path) -> KnowledgeBase:
    """The bundled knowledge, indexed in `folder` as the bot builds it (default settings)."""
    from bot.services import Services
    from bot.settings import Settings

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=folder, knowledge_dir=ROOT / "knowledge"
    )
    kb = Services(settings).knowledge
    kb.ingest(Catalog.knowledge(ROOT / "knowledge"), root="knowledge")
    return kb


def build_writer(kb: KnowledgeBase, chat_model: Any) -> Writer:
    return Writer(
        kb, chat_model, load_prompts(ROOT / "prompts"), synonyms=kb.synonyms, key_dates=key_dates
    )


def key_dates(question: str, today: dt.date) -> list[str]:
    """The bot's cards on key dates, from the bundled calendar (no confirmed dates)."""
    return key_date_cards(question, bundled_calendar(), today)


@functools.cache
def bundled_calendar() -> Calendar:
    return load_calendar(ROOT / "knowledge" / "calendar.toml")


def asked_on(today: dt.date) -> TimeFrame:
    """The time frame the bot gives a user with no open report."""
    return TimeFrame(today=today, report_year=default_report_year(today))


def chat_model_from_env() -> Any:
    if not os.environ.get("LAWBOT_LLM_BASE_URL"):
        return None
    from bot.services import Services
    from bot.settings import Settings

    return Services(Settings()).chat_model


def writer_from_env(kb: KnowledgeBase, chat_model: Any) -> Writer:
    """A writer with the configured timeout, as the bot builds it."""
    from bot.settings import Settings

    settings = Settings()
    return Writer(
        kb,
        chat_model,
        load_prompts(ROOT / "prompts"),
        llm_timeout=settings.llm_timeout,
        synonyms=kb.synonyms,
        key_dates=key_dates,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--sets", default=",".join(SETS), help="which sets, comma-separated")
    parser.add_argument(
        "--limit", type=int, default=0, help="only the first N questions of each set (slow models)"
    )
    parser.add_argument(
        "--laws", type=Path, help="also ingest this folder of laws (e.g. ../shared/corpus/laws)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        kb = open_bundled_kb(Path(tmp))
        if args.laws:
            report = kb.ingest(Catalog.folder(args.laws, kind="law"), root="laws")
            print(f"laws: {report.chunks} passages in the index")
        modes = {"offline": None}
        model = chat_model_from_env()
        if model is not None:
            modes["llm"] = model
        for mode, chat_model in modes.items():
            writer = writer_from_env(kb, chat_model) if chat_model else build_writer(kb, None)
            for name in args.sets.split(","):
                items = load(SETS[name])[: args.limit or None]
                print(f"{mode:7s} {name:8s}", end=" ", flush=True)
                figures = await run_set(writer, items, args.verbose)
                print(json.dumps(figures, ensure_ascii=False))
        if model is None:
            print("llm: skipped (LAWBOT_LLM_BASE_URL is not set)")


if __name__ == "__main__":
    asyncio.run(main())
