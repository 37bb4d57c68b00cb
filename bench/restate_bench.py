"""Does restating a question in the documents' terms (with the configured model) help search?

    LAWBOT_LLM_BASE_URL=… python bench/restate_bench.py [--sets everyday,heldout-everyday]

For each query of the everyday-words sets: the search as asked, and the search as asked plus as
restated by the model (Finder.search_question, as /ask does with LAWBOT_LLM_RESTATE_QUESTIONS).
Prints recall@5 / hit@5 / MRR@10 for both and the restatements' median time. Needs a model;
prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.answers_bench import chat_model_from_env, open_bundled_kb, writer_from_env  # noqa: E402
from bot.core.knowledge.evaluation import evaluate, load_queries  # noqa: E402

SETS = {
    "everyday": ROOT / "bench" / "queries_everyday.jsonl",
    "heldout-everyday": ROOT / "bench" / "queries_heldout_everyday.jsonl",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--show", action="store_true", help="print each restatement")
    args = parser.parse_args()
    if not os.environ.get("LAWBOT_LLM_BASE_URL"):
        print("restate: skipped (LAWBOT_LLM_BASE_URL is not set)")
        return
    # One event loop for every call: the model client's connections belong to the loop.
    with tempfile.TemporaryDirectory() as tmp, asyncio.Runner() as runner:
        kb = open_bundled_kb(Path(tmp))
        writer = writer_from_env(kb, chat_model_from_env())
        for name in args.sets.split(","):
            queries = load_queries(SETS[name])
            restated: dict[str, str | None] = {}
            seconds = []
            for query in queries:
                started = time.perf_counter()
                restated[query.query] = runner.run(writer.restate(query.query))
                seconds.append(time.perf_counter() - started)
                if args.show:
                    print(f"  {query.query} -> {restated[query.query]}")

            def merged(text: str, k: int, restated: dict[str, str | None] = restated) -> list:
                coroutine = writer.finder.search_question(
                    text, k, kind=None, restated=restated[text]
                )
                return runner.run(coroutine)

            for label, search in (
                ("as asked", lambda text, k: kb.search(text, k=k)),
                ("+ restated", merged),
            ):
                metrics, _ = evaluate(queries, search, 5)
                figures = {key: round(value, 3) for key, value in metrics.items()}
                print(f"{name:17s} {label:11s} {json.dumps(figures)}")
            print(f"{name:17s} restatements: median {statistics.median(seconds):.1f} s")


if __name__ == "__main__":
    main()
