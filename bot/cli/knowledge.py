"""`lawbot ingest | search | sources | eval retrieval`: building and querying the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.knowledge.catalog import Catalog

if TYPE_CHECKING:  # retrieval loads numpy, jieba and Chroma: only when a command runs
    from bot.core.knowledge.ingest import IngestReport
    from bot.core.passages import Passage
    from bot.services import Services


def register(subparsers: Any) -> None:
    ingest = subparsers.add_parser(
        "ingest",
        help="建立或更新知识库（只处理有变化的文件）",
        description="把 knowledge/ 下的报告和指引（或 --path 指定的文件夹）写入知识库。",
    )
    ingest.add_argument("--path", type=Path, help="另外导入一个文件夹（如法律法规库）")
    ingest.add_argument("--kind", default="law", help="--path 中文件的类别（默认 law）")
    ingest.add_argument("--rebuild", action="store_true", help="忽略已有索引，全部重新处理")
    ingest.set_defaults(func=run_ingest)

    search = subparsers.add_parser("search", help="在知识库中检索段落")
    search.add_argument("query", help="检索内容，如：宪法宣传周活动怎么写")
    search.add_argument("--k", type=int, default=5, help="返回条数（默认 5）")
    search.add_argument("--kind", choices=["report", "guidance", "law", "uploaded"])
    search.add_argument("--year", type=int, help="只看某一年度的文档")
    search.add_argument("--issuer", help="只看某单位的文档（名称的一部分即可）")
    search.add_argument("--json", action="store_true", help="输出 JSON")
    search.set_defaults(func=run_search)

    sources = subparsers.add_parser("sources", help="列出知识库中的文档")
    sources.add_argument("--json", action="store_true", help="输出 JSON")
    sources.set_defaults(func=run_sources)

    evaluation = subparsers.add_parser("eval", help="评测（retrieval：检索质量）")
    targets = evaluation.add_subparsers(dest="target", required=True, metavar="TARGET")
    retrieval = targets.add_parser("retrieval", help="用 JSONL 查询集评测检索")
    retrieval.add_argument("--queries", type=Path, required=True, help="查询集 JSONL 文件")
    retrieval.add_argument("--k", type=int, default=5, help="recall@k / hit@k 的 k（默认 5）")
    retrieval.add_argument("--json", action="store_true", help="输出 JSON")
    retrieval.add_argument("--misses", action="store_true", help="列出未命中的查询")
    retrieval.set_defaults(func=run_eval_retrieval)


def ensure_knowledge(services: Services, *, quiet: bool = False) -> IngestReport:
    """Bring the bundled knowledge (and uploads) into the index; cheap when nothing changed."""
    knowledge = services.knowledge
    report = _with_progress(
        lambda progress: knowledge.ingest(
            Catalog.knowledge(services.settings.knowledge_dir), root="knowledge", progress=progress
        ),
        quiet=quiet,
    )
    uploads = Catalog.scan_uploads(knowledge.uploads_dir)
    if uploads or any(s.kind == "uploaded" for s in knowledge.sources()):
        extra = knowledge.ingest(uploads, root="uploads")
        report.errors.update(extra.errors)
    return report


def run_ingest(args: argparse.Namespace, services: Services) -> int:
    """Ingest the bundled knowledge, or the folder given with --path."""
    if args.path:
        specs = Catalog.folder(args.path, kind=args.kind)
        root = f"path:{args.path.resolve()}"
        report = _with_progress(
            lambda progress: services.knowledge.ingest(
                specs, root=root, progress=progress, rebuild=args.rebuild
            )
        )
    else:
        report = _with_progress(
            lambda progress: services.knowledge.ingest(
                Catalog.knowledge(services.settings.knowledge_dir),
                root="knowledge",
                progress=progress,
                rebuild=args.rebuild,
            )
        )
    print(describe_report(report))
    return 1 if report.errors else 0


def describe_report(report: IngestReport) -> str:
    if not report.changed and not report.errors:
        lines = [
            f"知识库已是最新，没有变化（{report.unchanged} 个文件未改动，共 {report.chunks} 段）。"
        ]
    else:
        lines = [
            f"新增 {len(report.added)} 个、更新 {len(report.updated)} 个、删除 {len(report.removed)} 个、"
            f"未改动 {report.unchanged} 个文件；知识库共 {report.chunks} 段。"
        ]
    if report.embedded and not report.changed:
        lines.append(f"已按当前向量模型重新向量化 {report.embedded} 段。")
    if report.errors:
        lines.append(f"有 {len(report.errors)} 个文件未能导入：")
        lines.extend(f"  - {source}：{message}" for source, message in report.errors.items())
    return "\n".join(lines)


def run_search(args: argparse.Namespace, services: Services) -> int:
    """Print the best passages for a query, with their citations."""
    from bot.cli.report import time_frame

    ensure_knowledge(services, quiet=True)
    passages = services.knowledge.search(
        args.query,
        k=args.k,
        kind=args.kind,
        year=args.year,
        issuer=args.issuer,
        when=time_frame(services),
    )
    if args.json:
        print(json.dumps([passage_json(p) for p in passages], ensure_ascii=False, indent=2))
        return 0
    if not passages:
        print("知识库中没有找到相关内容。")
        return 0
    for number, passage in enumerate(passages, start=1):
        print(f"[{number}] {passage.citation}  （{passage.score:.3f}）\n{passage.text}\n")
    return 0


def passage_json(passage: Passage) -> dict[str, Any]:
    return {
        "text": passage.text,
        "title": passage.title,
        "heading": passage.heading,
        "source": passage.source,
        "kind": passage.kind,
        "year": passage.year,
        "issuer": passage.issuer,
        "score": passage.score,
    }


def run_sources(args: argparse.Namespace, services: Services) -> int:
    """List what the knowledge base holds."""
    infos = services.knowledge.sources()
    if args.json:
        print(json.dumps([info.__dict__ for info in infos], ensure_ascii=False, indent=2))
    elif not infos:
        print("知识库是空的，请先运行 lawbot ingest。")
    for info in [] if args.json else infos:
        print(f"{info.kind:<9} {info.chunks:>5} 段  {info.title}  （{info.source}）")
    return 0


def run_eval_retrieval(args: argparse.Namespace, services: Services) -> int:
    """recall@k, hit@k and MRR@10 of the knowledge base on a query set."""
    from bot.core.knowledge.evaluation import evaluate, load_queries

    queries = load_queries(args.queries)
    ensure_knowledge(services, quiet=True)
    metrics, results = evaluate(queries, lambda q, k: services.knowledge.search(q, k=k), args.k)
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        print("  ".join(f"{key}={value}" for key, value in metrics.items()))
    if args.misses:
        for result in results:
            if result.found < len(result.query.contains):
                print(
                    f"{result.query.id} {result.query.query}: {result.found}/"
                    f"{len(result.query.contains)} rank={result.first_rank}",
                    file=sys.stderr,
                )
    return 0


def _with_progress(work: Any, *, quiet: bool = False) -> IngestReport:
    """Run an ingest with a rich progress bar on stderr (none when quiet or not a terminal)."""
    if quiet or not sys.stderr.isatty():
        return work(None)  # type: ignore[no-any-return]
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("读取文件", total=None)

        def update(done: int, total: int, what: str) -> None:
            label = "向量化" if what == "向量化" else "读取文件"
            bar.update(task, completed=done, total=total, description=label)

        return work(update)  # type: ignore[no-any-return]
