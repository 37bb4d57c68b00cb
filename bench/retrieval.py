"""Retrieval benchmark: quality on the query sets, then scale with the law corpus.

    python bench/retrieval.py quality [--embedder e5|use] [--weights 0,0.3,0.5]
    python bench/retrieval.py scale [--embedder e5|use] [--laws ../shared/corpus/laws]

Prints figures; asserts nothing. Query sets: ../shared/eval/retrieval_public.jsonl (written by
someone who read the documents), bench/queries_everyday.jsonl (everyday words), and two held-out
sets written later by labellers who never saw the search code or the other sets:
bench/queries_heldout_docs.jsonl (written after reading the documents) and
bench/queries_heldout_everyday.jsonl (written before reading them, then labelled). The
held-out sets check that a change which helps the first two is not tuned to them.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.knowledge.catalog import Catalog  # noqa: E402
from bot.core.knowledge.embeddings import E5Embedder, UseEmbedder  # noqa: E402
from bot.core.knowledge.evaluation import evaluate, load_queries  # noqa: E402
from bot.core.knowledge.lexical import SynonymTable  # noqa: E402
from bot.core.knowledge.retrieval import KnowledgeBase  # noqa: E402

QUERY_SETS = {
    "public": ROOT.parent / "shared" / "eval" / "retrieval_public.jsonl",
    "everyday": ROOT / "bench" / "queries_everyday.jsonl",
    "heldout-docs": ROOT / "bench" / "queries_heldout_docs.jsonl",
    "heldout-everyday": ROOT / "bench" / "queries_heldout_everyday.jsonl",
}


def open_kb(data_dir: Path, embedder_name: str, *, synonyms: bool = True) -> KnowledgeBase:
    embedder = UseEmbedder() if embedder_name == "use" else E5Embedder()
    client = chromadb.PersistentClient(
        path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    table = SynonymTable.load(ROOT / "knowledge" / "synonyms.toml") if synonyms else None
    return KnowledgeBase(
        index_dir=data_dir / "index", chroma=client, embedder=embedder, synonyms=table
    )


def quality(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kb = open_kb(Path(tmp), args.embedder)
        started = time.perf_counter()
        report = kb.ingest(Catalog.knowledge(ROOT / "knowledge"), root="knowledge")
        print(
            f"embedder={args.embedder} chunks={report.chunks} "
            f"ingest={time.perf_counter() - started:.1f}s"
        )
        for synonyms in (True, False) if args.synonyms_off else (True,):
            kb.synonyms = kb.synonyms if synonyms else SynonymTable()
            for weight in [float(w) for w in args.weights.split(",")]:
                kb.dense_weight = weight
                print(f"dense={weight:.2f} synonyms={'on' if synonyms else 'off'}")
                for name, path in QUERY_SETS.items():
                    metrics, _ = evaluate(
                        load_queries(path), lambda q, k: kb.search(q, k=k, kind=args.kind), 5
                    )
                    print(
                        f"  {name:17s} R@5={metrics['recall@5']:.3f} "
                        f"hit@5={metrics['hit@5']:.3f} MRR@10={metrics['mrr@10']:.3f}"
                    )


def scale(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kb = open_kb(Path(tmp), args.embedder)
        started = time.perf_counter()
        kb.ingest(Catalog.knowledge(ROOT / "knowledge"), root="knowledge")
        law_specs = Catalog.folder(args.laws, kind="law")
        last = [0.0]

        def progress(done: int, total: int, what: str) -> None:
            now = time.perf_counter()
            if now - last[0] > 30:
                last[0] = now
                print(f"  {now - started:6.0f}s {what} {done}/{total}", flush=True)

        report = kb.ingest(law_specs, root="laws", progress=progress)
        ingest_seconds = time.perf_counter() - started
        print(
            f"embedder={args.embedder} files={len(law_specs) + 15} chunks={report.chunks} "
            f"errors={len(report.errors)} ingest={ingest_seconds:.0f}s "
            f"({ingest_seconds / 60:.1f} min)"
        )
        queries = [q.query for path in QUERY_SETS.values() for q in load_queries(path)]
        reopened = open_kb(Path(tmp), args.embedder)  # as a restarted bot would
        started = time.perf_counter()
        reopened.search(queries[0], k=5)
        first = time.perf_counter() - started
        latencies = []
        for query in queries[1:] * 2:
            started = time.perf_counter()
            reopened.search(query, k=5)
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"first query (with model load) {first * 1000:.0f} ms; then n={len(latencies)} "
            f"p50={statistics.median(latencies):.1f} ms p95={p95:.1f} ms; "
            f"peak RSS {peak_mb:.0f} MB"
        )
        for name, path in QUERY_SETS.items():
            metrics, _ = evaluate(load_queries(path), lambda q, k: reopened.search(q, k=k), 5)
            print(f"with laws in the index, {name}: {metrics}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="mode", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--embedder", choices=["e5", "use"], default="use")
    q.add_argument("--weights", default="0,0.2,0.3,0.4,0.5,0.7")
    q.add_argument("--synonyms-off", action="store_true", help="also measure without synonyms")
    q.add_argument("--kind", help="search only this kind (e.g. report: what guidance costs)")
    s = sub.add_parser("scale")
    s.add_argument("--embedder", choices=["e5", "use"], default="use")
    s.add_argument("--laws", type=Path, default=ROOT.parent / "shared" / "corpus" / "laws")
    args = parser.parse_args()
    quality(args) if args.mode == "quality" else scale(args)


if __name__ == "__main__":
    main()
