"""Knowledge base: incremental ingest, crash safety, filters and hybrid search (embedded Chroma)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings

from bot.core.knowledge.catalog import Catalog
from bot.core.knowledge.embeddings import E5Embedder, Embedder, UseEmbedder, Vectors
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.core.knowledge.timewords import TimeFrame
from tests.conftest import open_knowledge_base

PLAN = (
    "2025年普法工作安排\n一、宪法宣传周\n12月1日至7日开展宪法宣传周活动，在集市设立咨询台。\n"
    "二、民法典宣传月\n5月开展民法典宣传月，组织法律明白人入户宣讲。\n"
)
MEDIATION = (
    "矛盾纠纷化解情况\n一、排查调处\n全年排查矛盾纠纷120件，调解成功115件，调解成功率95.8%。\n"
)


class CountingEmbedder:
    """The real e5 model, counting passages embedded; can be told to fail after n batches."""

    def __init__(self, inner: Embedder, fail_after: int | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.dense_weight = inner.dense_weight
        self.embedded = 0
        self.queries: list[str] = []
        self.fail_after = fail_after

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if self.fail_after is not None and self.fail_after <= 0:
            raise RuntimeError("simulated crash in the middle of an ingest")
        if self.fail_after is not None:
            self.fail_after -= 1
        self.embedded += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> Vectors:
        self.queries.append(text)
        return self.inner.embed_query(text)


@pytest.fixture
def make_kb(tmp_path: Path, embedder: Embedder) -> Callable[..., KnowledgeBase]:
    def build(inner: Embedder | None = None) -> KnowledgeBase:
        return open_knowledge_base(tmp_path, inner or embedder)

    return build


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    directory = tmp_path / "docs"
    directory.mkdir()
    (directory / "plan.txt").write_text(PLAN, encoding="utf-8")
    (directory / "mediation.md").write_text(MEDIATION, encoding="utf-8")
    return directory


def _ingest(kb: KnowledgeBase, folder: Path):
    return kb.ingest(Catalog.folder(folder, kind="report"), root="test")


def test_second_ingest_of_unchanged_files_changes_nothing(
    make_kb: Callable[..., KnowledgeBase], folder: Path, embedder: Embedder
) -> None:
    counting = CountingEmbedder(embedder)
    kb = make_kb(counting)
    first = _ingest(kb, folder)
    embedded = counting.embedded

    second = _ingest(make_kb(counting), folder)

    assert sorted(first.added) == ["docs/mediation.md", "docs/plan.txt"]
    assert not second.changed and second.unchanged == 2
    assert counting.embedded == embedded  # nothing re-embedded


def test_changed_file_replaces_its_chunks_and_removed_file_disappears(
    make_kb: Callable[..., KnowledgeBase], folder: Path
) -> None:
    kb = make_kb()
    _ingest(kb, folder)
    (folder / "plan.txt").write_text(PLAN.replace("咨询台", "法律服务站"), encoding="utf-8")
    (folder / "mediation.md").unlink()

    report = _ingest(kb, folder)

    assert report.updated == ["docs/plan.txt"] and report.removed == ["docs/mediation.md"]
    texts = " ".join(p.text for p in kb.search("宪法宣传周 集市", k=10))
    assert "法律服务站" in texts and "咨询台" not in texts
    assert kb.search("矛盾纠纷 调解成功", k=5) == [] or all(
        p.source != "docs/mediation.md" for p in kb.search("矛盾纠纷 调解成功", k=5)
    )
    assert [s.source for s in kb.sources()] == ["docs/plan.txt"]


def test_crash_mid_ingest_leaves_previous_index_usable_and_retry_completes(
    make_kb: Callable[..., KnowledgeBase], folder: Path, embedder: Embedder
) -> None:
    _ingest(make_kb(), folder)
    (folder / "new.txt").write_text(
        "法律顾问制度\n一、聘请律师\n聘请常年法律顾问1名。", encoding="utf-8"
    )

    with pytest.raises(RuntimeError, match="simulated crash"):
        _ingest(make_kb(CountingEmbedder(embedder, fail_after=0)), folder)
    reopened = make_kb()

    assert {s.source for s in reopened.sources()} == {"docs/plan.txt", "docs/mediation.md"}
    assert reopened.search("宪法宣传周", k=1)[0].source == "docs/plan.txt"
    retry = _ingest(reopened, folder)
    assert retry.added == ["docs/new.txt"]
    assert reopened.search("聘请常年法律顾问", k=1)[0].source == "docs/new.txt"


def test_bad_file_is_reported_and_the_rest_is_ingested(
    make_kb: Callable[..., KnowledgeBase], folder: Path
) -> None:
    (folder / "broken.docx").write_bytes(b"not a zip at all")

    report = _ingest(make_kb(), folder)

    assert (
        "docs/broken.docx" in report.errors and "broken.docx" in report.errors["docs/broken.docx"]
    )
    assert len(report.added) == 2


def test_uploaded_file_is_searchable_at_once_and_can_be_removed(
    make_kb: Callable[..., KnowledgeBase], tmp_path: Path
) -> None:
    kb = make_kb()
    upload = tmp_path / "notice.txt"
    upload.write_text(
        "关于开展2026年宪法宣传周活动的通知\n一、活动时间\n12月1日至7日。", encoding="utf-8"
    )

    kb.add_file(upload, title="宪法宣传周通知")
    found = kb.search("宪法宣传周 活动时间", k=1)
    removed = kb.remove("uploaded/notice.txt")

    assert found[0].title == "宪法宣传周通知" and found[0].kind == "uploaded"
    assert removed and kb.search("宪法宣传周 活动时间", k=1) == []
    assert not (kb.uploads_dir / "notice.txt").exists()


def test_search_on_bundled_knowledge_cites_title_and_heading(knowledge_base: KnowledgeBase) -> None:
    passages = knowledge_base.search("矛盾纠纷排查化解的成效怎么写", k=5)

    assert passages and all(len(p.text) <= 600 for p in passages)
    assert any("矛盾纠纷" in p.text for p in passages)
    top = passages[0]
    assert top.kind == "report" and top.title.endswith(("报告", "总结"))
    assert top.citation.startswith(f"《{top.title}》")
    assert passages == sorted(passages, key=lambda p: -p.score)


def test_filters_restrict_kind_year_and_issuer(knowledge_base: KnowledgeBase) -> None:
    guidance = knowledge_base.search("年度报告什么时候报送", k=5, kind="guidance")
    of_2023 = knowledge_base.search("普法宣传", k=5, year=2023)
    of_issuer = knowledge_base.search("普法宣传", k=5, issuer="仓头乡")

    assert guidance and {p.kind for p in guidance} == {"guidance"}
    assert of_2023 and {p.year for p in of_2023} == {2023}
    assert of_issuer and all("仓头乡" in (p.issuer or "") for p in of_issuer)
    assert knowledge_base.search("普法宣传", k=5, issuer="不存在的乡") == []


def test_everyday_words_are_expanded_to_official_terms(knowledge_base: KnowledgeBase) -> None:
    passages = knowledge_base.search("打官司", k=5)

    assert any("应诉" in p.text or "诉讼" in p.text for p in passages)


def test_asking_for_the_opening_finds_the_reports_opening_paragraphs(
    knowledge_base: KnowledgeBase,
) -> None:
    passages = knowledge_base.search("报告开篇第一段一般写些什么", k=5, kind="report")

    assert sum(p.heading == "开头" for p in passages) >= 3


@pytest.mark.parametrize(
    ("today", "question", "at_least"),
    [
        # Asked in February 2027 about the 2026 report: 今年 is the year after the report.
        (dt.date(2027, 2, 10), "今年有什么打算", 3),
        # 明年 becomes 下一年度, which jieba cuts as 下/一/年度: its bigrams are searched whole
        # (before, 年度 alone put two reports' 存在问题 parts among the first three).
        (dt.date(2026, 12, 4), "明年打算干啥那部分有没有例子", 4),
    ],
)
def test_a_question_about_next_year_finds_the_plans_parts_whatever_year_each_report_is_for(
    knowledge_base: KnowledgeBase, today: dt.date, question: str, at_least: int
) -> None:
    # The bundled reports are for 2023 and 2024; their plans parts say 下一年度, 下一步 or 2025年.
    when = TimeFrame(today=today, report_year=2026)
    plans = ("下一年度", "下一步", "2025年重点工作", "2025年度工作计划")

    found = knowledge_base.search(question, k=5, kind="report", when=when)

    assert sum(any(word in p.heading for word in plans) for p in found) >= at_least


def test_a_heading_without_text_of_its_own_is_found_in_the_passage_under_it(
    knowledge_base: KnowledgeBase,
) -> None:
    found = knowledge_base.search("下一步工作安排", k=10, kind="report")

    assert any(p.text.startswith("三、下一步工作安排\n") for p in found)


def test_an_unfiltered_search_puts_rules_first_for_requirements_and_examples_for_writing(
    knowledge_base: KnowledgeBase,
) -> None:
    required = knowledge_base.search("年度报告什么时候报送，截止几号", k=5)
    writing = knowledge_base.search("普法活动别的乡镇怎么写", k=5)

    assert [p.kind for p in required[:3]] == ["guidance"] * 3
    assert [p.kind for p in writing[:3]] == ["report"] * 3


def test_a_guidance_section_whose_heading_reads_like_the_question_is_lifted(
    knowledge_base: KnowledgeBase,
) -> None:
    # jieba cuts 述法要 as 述/法要, so the keywords miss 述法; the section's heading
    # 「什么是年终述法，主要负责人要述什么？」 reads like the question.
    question = "书记年底述法要讲些啥"

    def headings(**options: bool) -> list[str]:
        return [p.heading for p in knowledge_base.search(question, 5, **options)]

    assert any(h.startswith("什么是年终述法") for h in headings())
    assert not any(h.startswith("什么是年终述法") for h in headings(by_heading=False))


def test_keyword_only_kinds_are_never_embedded_and_found_by_their_words(
    tmp_path: Path, embedder: Embedder, folder: Path
) -> None:
    counting = CountingEmbedder(embedder)
    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    kb = KnowledgeBase(
        index_dir=tmp_path / "index", chroma=client, embedder=counting, keyword_only_kinds=["law"]
    )
    laws = tmp_path / "laws"
    laws.mkdir()
    (laws / "mediation-law.md").write_text(
        "# 中华人民共和国人民调解法\n第一条 为了完善人民调解制度，规范人民调解活动。\n"
        "第二条 本法所称人民调解，是指人民调解委员会通过说服、疏导等方法。\n",
        encoding="utf-8",
    )

    kb.ingest(Catalog.folder(folder, kind="report"), root="test")
    kb.ingest(Catalog.folder(laws, kind="law"), root="laws")
    embedded_reports = counting.embedded

    assert kb.chunk_count("laws/mediation-law.md") == 2 and embedded_reports == 3
    found = kb.search("人民调解委员会", k=3, kind="law")
    assert found and found[0].kind == "law" and "说服" in found[0].text
    mixed = kb.search("人民调解 调解成功", k=5)
    assert {p.kind for p in mixed} == {"law", "report"}
    # Making laws embedded after all re-checks which passages need vectors: only the laws.
    reopened = KnowledgeBase(index_dir=tmp_path / "index", chroma=client, embedder=counting)
    report = reopened.ingest(Catalog.folder(laws, kind="law"), root="laws")
    assert counting.embedded == embedded_reports + 2
    assert report.embedded == 2 and not report.changed


def test_empty_query_and_empty_index_return_nothing(
    make_kb: Callable[..., KnowledgeBase], knowledge_base: KnowledgeBase
) -> None:
    assert knowledge_base.search("   ", k=5) == []
    assert make_kb().search("宪法", k=5) == []


@pytest.mark.parametrize(("backend", "dim"), [(UseEmbedder, 512), (E5Embedder, 384)])
def test_bundled_backends_give_normalised_vectors_with_query_close_to_its_passage(
    backend: type[Embedder], dim: int
) -> None:
    model = backend()  # type: ignore[call-arg]

    vectors = model.embed_passages(["法治政府建设年度报告的报送时间", "禁毒宣传进校园"])
    query = model.embed_query("年度报告什么时候报送")[0]

    assert vectors.shape == (2, dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ query > vectors[1] @ query


def test_a_second_process_on_the_same_data_dir_sees_an_upload_without_restarting(
    make_kb: Callable[..., KnowledgeBase], folder: Path, tmp_path: Path
) -> None:
    bot_a, bot_b = make_kb(), make_kb()  # two bot processes sharing one data dir
    _ingest(bot_a, folder)
    before = bot_b.search("宪法宣传周", k=1)
    upload = tmp_path / "notice.txt"
    upload.write_text(
        "关于开展法律顾问聘任工作的通知\n一、聘任\n聘请常年法律顾问2名。", encoding="utf-8"
    )

    bot_a.add_file(upload)

    assert before[0].source == "docs/plan.txt"
    assert bot_b.search("聘请常年法律顾问", k=1)[0].source == "uploaded/notice.txt"
    assert "uploaded/notice.txt" in {info.source for info in bot_b.sources()}


def test_keywords_only_weight_stays_keywords_only(knowledge_base: KnowledgeBase) -> None:
    # LAWBOT_DENSE_WEIGHT=0 means keywords only, however far the query's words are from the
    # documents' (the dense share grows only from a non-zero base).
    keywords_only = KnowledgeBase(
        index_dir=knowledge_base.index_dir,
        chroma=lambda: (_ for _ in ()).throw(AssertionError("no vector search expected")),
        embedder=knowledge_base.embedder,
        dense_weight=0.0,
    )

    assert keywords_only.search("老百姓懂法意识提高了怎么说", k=3)


def test_headings_are_embedded_once_at_warm_up_and_rank_sections_by_the_question(
    make_kb: Callable[..., KnowledgeBase], folder: Path, embedder: Embedder
) -> None:
    counting = CountingEmbedder(embedder)
    kb = make_kb(counting)
    _ingest(kb, folder)

    kb.warm_up()
    warmed = list(counting.queries)
    found = kb.headings("民法典宣传月是几月份", 2)

    assert sorted(warmed) == ["一、宪法宣传周", "一、排查调处", "二、民法典宣传月"]
    assert counting.queries == [*warmed, "民法典宣传月是几月份"]  # only the question is new
    assert found[0].heading == "二、民法典宣传月" and found[0].text.startswith("二、民法典宣传月")
    assert found[0].score > found[1].score
    assert kb.headings("民法典宣传月是几月份", 2, kind="guidance") == []
