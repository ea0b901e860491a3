"""The question's path: a list of named steps run in order on one Query.

    clean -> spelling -> filters -> acronyms -> places -> score -> rank
          -> not_in_report -> after_the_report -> off_topic -> not_counted -> not_dated -> low_similarity
          -> rerank -> highlight -> answer -> compose -> confidence -> suggest

Each step is a function ``step(index, query)`` that reads and fills the Query. Rewrite steps change
the words searched and record what they read as a Check; check steps add a Check that may abstain;
the last steps shape what is shown. ``Settings.steps`` names the steps that run: leave one out to turn
it off, or register another under a new name in ``STEPS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..errors import LatmQaError
from ..retrieve import Filters, QueryVectors, Scores
from ..settings import Settings
from ..types import Passage
from . import checks, compose, confidence, details, highlight, rewrite, score
from .results import AnswerPoint, Check, Hit, SearchResult

if TYPE_CHECKING:
    from .index import Index


@dataclass
class Query:
    """One question on its way through the steps: what it asks, how it was read, scored and checked."""

    question: object
    k: int
    retriever: str
    filters: Filters | None = None
    abstain: bool = True  # whether a check may stop the answer
    keep_hits: bool = False  # rank and highlight passages even when abstaining (the benchmark does)
    typed: str = ""  # the question cleaned, as the result shows it
    truncated: bool = False
    text: str = ""  # as read: misspelt words put right (what the checks read)
    searched: str = ""  # as scored: with the report's long forms and councils added
    checks: list[Check] = field(default_factory=list)
    scores: Scores | None = None
    vectors: QueryVectors | None = None  # the question's vector and word-piece vectors, as scored
    answering: np.ndarray | None = None  # every sentence's score as an answer (select.answering_scores)
    late_cache: dict = field(default_factory=dict)  # passage row -> its sentences' late scores (select.py)
    ranked: list[int] = field(default_factory=list)  # every allowed passage row, best first
    order: list[int] = field(default_factory=list)  # the rows shown
    top_scores: list[float] = field(default_factory=list)
    confidence: float = 0.0
    hits: list[Hit] = field(default_factory=list)
    answer: str = ""
    answer_citation: str = ""
    form: str = "single"  # the form of answer the question needs (kinds.answer_form)
    points: tuple[AnswerPoint, ...] = ()  # a composed answer's sentences (compose.py)
    probability: float | None = None  # the calibrated chance that the first card holds the answer
    suggestions: tuple[Passage, ...] = ()

    def found(self, kind: str) -> Check | None:
        return next((c for c in self.checks if c.kind == kind), None)

    @property
    def abstained(self) -> bool:
        return self.abstain and any(c.abstain for c in self.checks)

    @property
    def shown(self) -> bool:
        """Whether hits are ranked and highlighted (no cross-encoder or highlighting time on hits not shown)."""
        return self.keep_hits or not self.abstained

    def result(self, documents: int = 1) -> SearchResult:
        abstained = self.abstained
        return SearchResult(
            question=self.typed,
            hits=tuple(self.hits),
            abstained=abstained,
            suggestions=self.suggestions,  # (only the suggest step sets them, only for an abstention)
            answer=self.answer,  # (only the answer step sets it, only for an answer)
            answer_citation=self.answer_citation,
            truncated=self.truncated,
            confidence=self.confidence,
            retriever=self.retriever,
            checks=tuple(self.checks),
            form=self.form,
            points=self.points,
            probability=self.probability,
            documents=documents,
        )


Step = Callable[["Index", Query], None]

STEPS: dict[str, Step] = {
    "clean": rewrite.clean,
    "spelling": rewrite.spelling,
    "filters": rewrite.check_filters,
    "acronyms": rewrite.acronyms,
    "places": rewrite.places,
    "score": score.score,
    "rank": score.rank,
    "not_in_report": checks.not_in_report_step,
    "after_the_report": checks.after_the_report_step,
    "off_topic": checks.off_topic_step,
    "not_counted": details.not_counted_step,
    "not_dated": details.not_dated_step,
    "low_similarity": checks.low_similarity_step,
    "rerank": highlight.rerank,
    "highlight": highlight.highlight,
    "answer": highlight.short_answer,
    "compose": compose.compose,
    "confidence": confidence.confidence,
    "suggest": checks.suggest,
}
REQUIRED = ("clean", "score", "rank")
# the settings that turn one step off (kept from before steps were named)
_SWITCHES = {"spelling": "correct_spelling", "off_topic": "abstain_off_topic", "not_counted": "abstain_uncounted"}


def steps_for(settings: Settings) -> list[Step]:
    """The steps a question runs through under these settings, in order."""
    unknown = [name for name in settings.steps if name not in STEPS]
    if unknown:
        raise LatmQaError(f"unknown step {unknown[0]!r} in the steps setting: choose from {', '.join(STEPS)}")
    missing = [name for name in REQUIRED if name not in settings.steps]
    if missing:
        raise LatmQaError(f"the steps setting lacks {missing[0]!r}: every question needs {', '.join(REQUIRED)}")
    return [STEPS[n] for n in settings.steps if getattr(settings, _SWITCHES.get(n, "steps"), True)]


def run(index: Index, query: Query) -> SearchResult:
    """Run the question through every step the index's settings name, in order."""
    for step in steps_for(index.settings):
        step(index, query)
    return query.result(len(index.documents))
