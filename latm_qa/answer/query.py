"""The Query: one question on its way through the steps (pipeline.py). Every step reads and fills it, so
it lives apart from the steps and the pipeline that runs them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..retrieve import Filters, QueryVectors, Scores
from ..types import Passage
from .results import AnswerPoint, Check, Hit, SearchResult


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
