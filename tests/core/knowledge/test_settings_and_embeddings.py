"""Settings parsing, .env.example completeness, and the OpenAI-compatible embeddings backend."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from bot.core.errors import ConfigError
from bot.core.knowledge.embeddings import OpenAICompatibleEmbedder, SentenceTransformerEmbedder
from bot.services import Services
from bot.settings import Settings
from tests.conftest import PROJECT_ROOT


def test_id_lists_accept_commas_with_spaces_and_chinese_commas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LAWBOT_ALLOWED_USERS", "11, 22，33")
    monkeypatch.setenv("LAWBOT_ADMIN_USERS", "")

    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    assert settings.allowed_users == [11, 22, 33]
    assert settings.admin_users == []


def test_dense_weight_is_the_backends_own_unless_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LAWBOT_DENSE_WEIGHT", "")  # as copied from .env.example
    default = Services(Settings(_env_file=None)).knowledge  # type: ignore[call-arg]
    monkeypatch.setenv("LAWBOT_EMBEDDING_BACKEND", "use")
    use = Services(Settings(_env_file=None)).knowledge  # type: ignore[call-arg]
    monkeypatch.setenv("LAWBOT_DENSE_WEIGHT", "0")
    keywords_only = Services(Settings(_env_file=None)).knowledge  # type: ignore[call-arg]

    assert default.embedder.name.startswith("e5")
    assert (default.dense_weight, use.dense_weight, keywords_only.dense_weight) == (0.3, 0.1, 0.0)


def test_keyword_only_kinds_default_to_laws_and_read_a_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings(_env_file=None).keyword_only_kinds == ["law"]  # type: ignore[call-arg]
    monkeypatch.setenv("LAWBOT_KEYWORD_ONLY_KINDS", "law， uploaded")
    assert Settings(_env_file=None).keyword_only_kinds == ["law", "uploaded"]  # type: ignore[call-arg]
    monkeypatch.setenv("LAWBOT_KEYWORD_ONLY_KINDS", "")
    assert Settings(_env_file=None).keyword_only_kinds == []  # type: ignore[call-arg]


def test_secrets_are_not_shown_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAWBOT_TELEGRAM_TOKEN", "123:SECRET")

    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    assert "SECRET" not in repr(settings)
    assert settings.telegram_token.get_secret_value() == "123:SECRET"


def test_env_example_lists_every_setting() -> None:
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")

    missing = [name for name in Settings.model_fields if f"LAWBOT_{name.upper()}=" not in example]

    assert missing == []


class _FakeEmbeddings(BaseHTTPRequestHandler):
    """/v1/embeddings returning a deterministic 8-dimensional vector per input."""

    requests: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.requests.append(body)
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [
            {
                "object": "embedding",
                "index": i,
                "embedding": [float(len(str(text)) % 7 + 1)] + [float(i + 1)] * 7,
            }
            for i, text in enumerate(inputs)
        ]
        payload = json.dumps(
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def embeddings_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeEmbeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_openai_compatible_backend_sends_text_and_normalises_vectors(
    embeddings_server: str,
) -> None:
    _FakeEmbeddings.requests.clear()
    embedder = OpenAICompatibleEmbedder(base_url=embeddings_server, model="bge-m3")

    vectors = embedder.embed_passages(["宪法宣传周", "法治政府建设年度报告"])
    query = embedder.embed_query("宪法")

    assert vectors.shape == (2, 8) and query.shape == (1, 8)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert _FakeEmbeddings.requests[0]["model"] == "bge-m3"
    assert _FakeEmbeddings.requests[0]["input"] == [
        "宪法宣传周",
        "法治政府建设年度报告",
    ]  # text, not tokens


def test_services_build_a_knowledge_base_on_the_endpoint_backend(
    embeddings_server: str, tmp_path: Path
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path,
        embedding_backend="openai",
        embedding_base_url=embeddings_server,
        embedding_model="bge-m3",
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("普法计划\n一、宪法宣传周\n开展宪法宣传。", encoding="utf-8")
    from bot.core.knowledge.catalog import Catalog

    services = Services(settings)
    services.knowledge.ingest(Catalog.folder(docs, kind="report"), root="t")

    assert services.knowledge.search("宪法宣传", k=1)[0].source == "docs/a.txt"


def test_endpoint_backend_without_url_is_a_clear_config_error() -> None:
    with pytest.raises(ConfigError, match="LAWBOT_EMBEDDING_BASE_URL"):
        OpenAICompatibleEmbedder(base_url="", model="bge-m3")


def test_sentence_transformers_backend_needs_a_model_directory() -> None:
    with pytest.raises(ConfigError):
        SentenceTransformerEmbedder("")
