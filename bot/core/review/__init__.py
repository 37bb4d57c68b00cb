"""The proofreader: checks a draft report and returns findings, most serious first.

`load_reviewer(knowledge_dir)` reads terms.toml, typos.toml, stale.toml, formulas.toml,
titles.toml and the example reports' official names; `Reviewer.check(text, year)` runs every
check.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bot.core.review.draft import Draft, Spot
from bot.core.review.figures import check_figures
from bot.core.review.finding import KIND_LABELS, SEVERITIES, Finding, Located
from bot.core.review.formulas import FormulaTable, check_formulas, load_formulas
from bot.core.review.numbering import check_numbering
from bot.core.review.org import check_org_names
from bot.core.review.punctuation import check_punctuation
from bot.core.review.rules import Rule, apply_rules, load_rules
from bot.core.review.sessions import check_sessions
from bot.core.review.stale import check_stale_documents, check_stale_years
from bot.core.review.structure import check_structure, plan_paragraphs
from bot.core.review.titles import TitleRegister, check_titles, load_titles
from bot.core.review.unfinished import check_unfinished
from bot.core.writing.names import load_example_names

__all__ = ["KIND_LABELS", "SEVERITIES", "Finding", "Reviewer", "load_reviewer"]

logger = logging.getLogger(__name__)


class Reviewer:
    """Runs every check: placeholders (未完成), structure, numbering, standard expressions and
    formulas, document titles, punctuation, body names, typos, figures, stale references and
    copied names."""

    def __init__(
        self,
        *,
        terms: list[Rule],
        typos: list[Rule],
        stale: list[Rule],
        example_names: set[str] | frozenset[str] = frozenset(),
        formulas: FormulaTable | None = None,
        titles: TitleRegister | None = None,
    ) -> None:
        self.terms = terms
        self.typos = typos
        self.stale = stale
        self.formulas = formulas or FormulaTable()
        self.titles = titles or TitleRegister({})
        self.example_names = frozenset(example_names)
        # Longest first, so 「欧阳明」 wins over a shorter name inside it.
        ordered = sorted(map(re.escape, self.example_names), key=len, reverse=True)
        self._names_pattern = re.compile("|".join(ordered)) if ordered else None

    def check(self, text: str, year: int | None = None) -> list[Finding]:
        """Findings on `text`, most serious first; `year` defaults to the year it reports on."""
        draft = Draft(text)
        given, year = year, year or draft.reported_year
        located: list[Located] = []
        located += check_unfinished(draft)
        located += check_structure(draft, given)
        located += check_numbering(draft)
        located += apply_rules(draft, self.terms, "expression", year)
        located += check_formulas(draft, self.formulas, listed=self.terms)
        located += check_sessions(draft)
        located += check_titles(draft, self.titles)
        located += check_punctuation(draft)
        located += check_org_names(draft)
        located += apply_rules(draft, self.typos, "typo", year)
        located += check_figures(draft)
        located += self._stale(draft, year)
        located += self._copied_names(draft)
        located.sort(key=lambda item: (SEVERITIES.index(item[1].severity), item[0]))
        logger.debug(
            "review: %d paragraphs, year %s, %d findings", len(draft.paragraphs), year, len(located)
        )
        return [finding for _, finding in located]

    def _stale(self, draft: Draft, year: int | None) -> list[Located]:
        """Stale references; the plans part is about the year after and is checked against it."""
        plans = plan_paragraphs(draft) if year else []
        rest = [p for p in draft.paragraphs if p not in plans]
        found = apply_rules(draft, self.stale, "stale", year, rest)
        found += check_stale_documents(draft, year, [p for p in rest if not p.is_title])
        if year and plans:
            found += apply_rules(draft, self.stale, "stale", year + 1, plans)
            found += check_stale_documents(draft, year + 1, plans)
            found += check_stale_years(draft, plans, year)
        return found

    def _copied_names(self, draft: Draft) -> list[Located]:
        """Officials' names from the example reports: they lead other townships."""
        pattern = self._names_pattern
        if pattern is None:
            return []
        found: list[Located] = []
        for paragraph in draft.paragraphs:
            for match in pattern.finditer(paragraph.text):
                spot = Spot(paragraph, match.start(), match.end())
                suggestion = (
                    f"「{match.group(0)}」是示例报告中其他乡镇的领导姓名，"
                    "请改为本单位相关负责同志的姓名"
                )
                finding = Finding(
                    "name", "warning", draft.quote(spot), draft.locate(spot), suggestion
                )
                found.append((spot.position, finding))
        return found


def load_reviewer(knowledge_dir: Path) -> Reviewer:
    """A Reviewer from the data files in `knowledge_dir` (missing files give no rules)."""
    return Reviewer(
        terms=load_rules(knowledge_dir / "terms.toml", default_severity="error"),
        typos=load_rules(knowledge_dir / "typos.toml", default_severity="error"),
        stale=load_rules(knowledge_dir / "stale.toml", default_severity="warning"),
        example_names=load_example_names(knowledge_dir / "reports"),
        formulas=load_formulas(knowledge_dir / "formulas.toml"),
        titles=load_titles(knowledge_dir / "titles.toml"),
    )
