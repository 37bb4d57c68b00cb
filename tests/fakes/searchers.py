"""A real Searcher around another one that puts one planted passage first (a hostile upload,
another township's report), for tests of what the writer does with such material."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.passages import Passage, Searcher


class PlantedPassageSearcher:
    """`inner`'s results, with `planted` first whenever reports are searched."""

    def __init__(self, inner: Searcher, planted: Passage) -> None:
        self.inner = inner
        self.planted = planted

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        kind: str | Sequence[str] | None = None,
        year: int | None = None,
        issuer: str | None = None,
        when: object = None,
        by_heading: bool = True,
    ) -> list[Passage]:
        found = self.inner.search(
            query, k, kind=kind, year=year, issuer=issuer, by_heading=by_heading
        )
        kinds = {kind} if isinstance(kind, str) else set(kind or ())
        return [self.planted, *found] if not kinds or self.planted.kind in kinds else found

    def section(self, passage: Passage) -> list[Passage]:
        return [passage] if passage == self.planted else self.inner.section(passage)

    def headings(
        self, query: str, k: int = 5, *, kind: str | Sequence[str] | None = None
    ) -> list[Passage]:
        return self.inner.headings(query, k, kind=kind)

    def word_share(self, word: str) -> float:
        return self.inner.word_share(word)
