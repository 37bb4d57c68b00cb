"""Retrieval evaluation on JSONL query sets (format of shared/eval/retrieval_public.jsonl).

A relevant item is found when a retrieved passage's text contains its `contains` string, both
normalised the same way as documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import InputError
from bot.core.normalization import normalize_line
from bot.core.passages import Passage

MRR_DEPTH = 10


@dataclass(frozen=True)
class EvalQuery:
    id: str
    query: str
    contains: tuple[str, ...]


@dataclass(frozen=True)
class QueryResult:
    query: EvalQuery
    found: int  # relevant items found in the top k
    first_rank: int | None  # rank (1-based) of the first relevant passage within MRR_DEPTH


def load_queries(path: Path) -> list[EvalQuery]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"无法读取评测文件：{path}") from error
    queries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            contains = tuple(normalize_line(r["contains"]) for r in item["relevant"])
            queries.append(EvalQuery(str(item.get("id", number)), item["query"], contains))
        except (ValueError, KeyError, TypeError) as error:
            raise InputError(f"评测文件第 {number} 行格式有误：{error}") from error
    if not queries:
        raise InputError(f"评测文件中没有查询：{path}")
    return queries


def evaluate(
    queries: list[EvalQuery], search: Callable[[str, int], list[Passage]], k: int = 5
) -> tuple[dict[str, float | int], list[QueryResult]]:
    """recall@k (mean over queries), hit@k and MRR@10, plus each query's outcome."""
    results = []
    for query in queries:
        passages = search(query.query, max(k, MRR_DEPTH))
        texts = [passage.text for passage in passages]
        found = sum(any(needle in text for text in texts[:k]) for needle in query.contains)
        first_rank = next(
            (rank for rank, text in enumerate(texts[:MRR_DEPTH], start=1)
             if any(needle in text for needle in query.contains)),
            None,
        )  # fmt: skip
        results.append(QueryResult(query, found, first_rank))
    n = len(results)
    metrics: dict[str, float | int] = {
        "n": n,
        f"recall@{k}": round(sum(r.found / len(r.query.contains) for r in results) / n, 4),
        f"hit@{k}": round(sum(r.found > 0 for r in results) / n, 4),
        f"mrr@{MRR_DEPTH}": round(sum(1 / r.first_rank for r in results if r.first_rank) / n, 4),
    }
    return metrics, results
