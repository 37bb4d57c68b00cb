"""Past-report passages for a reminder, about the date's own theme.

The query is built from the calendar entry's name, keywords and theme, one search per term so
that a rare term (「重阳」) is not drowned by the common ones; a passage counts only when it
mentions the date's name, one of its keywords or one of its laws, and passages mentioning more
of them come first. No passage on the theme means none is shown: an unrelated example misleads.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.calendar.rules import Occurrence
from bot.core.errors import LawbotError
from bot.core.passages import Passage, Searcher

logger = logging.getLogger(__name__)

MAX_EXAMPLES = 3
EXCERPT_CHARS = 120
CANDIDATES_PER_QUERY = 8
EXAMPLE_KINDS = ("report", "uploaded")  # past reports, bundled or uploaded by an admin
_NAME_PARTS = re.compile(r"[（）()“”\"《》：:\s]+")
_BOOK_TITLE = re.compile(r"《[^》]*》")  # a law's name in a list of laws studied
_SENTENCE_END = "。；！？\n"


@dataclass(frozen=True)
class Example:
    """A passage shown under a reminder, with the theme terms it mentions."""

    passage: Passage
    terms: tuple[str, ...]

    def excerpt(self, limit: int = EXCERPT_CHARS) -> str:
        """Up to `limit` characters from the sentence naming the most specific term.

        `terms` run from the most specific (the date's name) to the most general (its laws).
        """
        text = " ".join(self.passage.text.split())
        found = [text.find(term) for term in self.terms if term in text]
        start = 0
        if found:
            first = found[0]
            start = max(text.rfind(mark, 0, first) for mark in _SENTENCE_END) + 1
            if first - start > limit // 2:  # a long sentence: start closer to the term
                start = max(0, first - limit // 4)
        excerpt = text[start : start + limit]
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + limit < len(text) else ""
        return f"{prefix}{excerpt}{suffix}"


def date_terms(occurrence: Occurrence) -> tuple[str, ...]:
    """The date's own words: parts of its name (not bare numbers such as 119) and keywords."""
    name_parts = [
        part for part in _NAME_PARTS.split(occurrence.name) if len(part) >= 2 and not part.isdigit()
    ]
    return tuple(dict.fromkeys([*name_parts, *occurrence.keywords]))


def theme_terms(occurrence: Occurrence) -> tuple[str, ...]:
    """Words whose presence makes a passage about this date: its own words, then its laws."""
    laws = [law.strip("《》") for law in occurrence.laws]
    return tuple(dict.fromkeys([*date_terms(occurrence), *laws]))


def mentions(text: str, terms: Sequence[str]) -> tuple[str, ...]:
    """The terms `text` names outside 《…》: a law named in a study list is not its theme."""
    prose = _BOOK_TITLE.sub("", text)
    return tuple(term for term in terms if term in prose)


def find_examples(searcher: Searcher | None, occurrence: Occurrence) -> list[Example] | None:
    """Up to three past-report passages on the date's theme; None if search is unavailable."""
    if searcher is None:
        return None
    terms = theme_terms(occurrence)
    queries = [f"{occurrence.name} {' '.join(occurrence.keywords)} {occurrence.theme}", *terms]
    candidates: dict[str, tuple[int, Passage]] = {}
    try:
        for query in queries:
            for rank, passage in enumerate(
                searcher.search(query, k=CANDIDATES_PER_QUERY, kind=EXAMPLE_KINDS)
            ):
                key = passage.chunk_id or f"{passage.source}#{passage.text[:40]}"
                if key not in candidates or rank < candidates[key][0]:
                    candidates[key] = (rank, passage)
    except LawbotError as error:  # e.g. KnowledgeError: index not built yet
        logger.warning("example search for %s failed: %s", occurrence.key, error)
        return None
    return rank_examples([passage for _, passage in candidates.values()], terms)


def rank_examples(passages: Sequence[Passage], terms: Sequence[str]) -> list[Example]:
    """Passages mentioning any term, most terms first (then search score), one per document.

    Terms named only inside 《…》 (a law in a list of laws studied) count last.
    """
    scored: list[tuple[int, int, float, Example]] = []
    for passage in passages:
        in_prose = mentions(passage.text, terms)
        anywhere = tuple(term for term in terms if term in passage.text)
        if anywhere:
            example = Example(passage, in_prose or anywhere)
            scored.append((len(in_prose), len(anywhere), passage.score, example))
    scored.sort(key=lambda item: (-item[0], -item[1], -item[2]))
    ranked = [example for *_, example in scored]
    # Three townships teach more than three passages of one report: one per document first,
    # then the remaining slots from documents already shown.
    chosen: list[Example] = []
    sources: set[str] = set()
    for example in ranked:
        if example.passage.source not in sources:
            sources.add(example.passage.source)
            chosen.append(example)
    chosen += [example for example in ranked if example not in chosen]
    return chosen[:MAX_EXAMPLES]
