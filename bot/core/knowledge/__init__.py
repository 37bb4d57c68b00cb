"""The knowledge base: files in, cited passages out.

documents (txt/md/docx/pdf -> text + metadata) -> chunking (outline-aware passages) ->
index_store (chunks, sources, BM25 files; crash-safe generations) + Chroma vectors (embeddings)
-> retrieval.KnowledgeBase.search (lexical + dense, merged by fusion) -> list[Passage].
catalog describes the bundled files; evaluation measures recall@k / hit@k / MRR on query sets.
Edges use `KnowledgeBase` (search, ingest, add_file, sources) and `evaluation`.
"""
