"""What a question's answer is made of: ranked hits, the checks that read and judged the question, and
the result the page, the CLI and the benchmark show."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..types import Passage, PlaceReading
from .cite import citation


@dataclass(frozen=True)
class Hit:
    """One ranked search result."""

    rank: int
    score: float
    passage: Passage
    highlights: tuple[tuple[int, int], ...] = field(default=())
    fused_score: float | None = None  # with a reranker: the fused score it re-scored (``score`` is its own)
    probability: float | None = None  # the calibrated chance that this passage holds the answer (confidence.py)


@dataclass(frozen=True)
class AnswerPoint:
    """One sentence of a composed answer (a list, a definition, both sides, a comparison), in the report's
    words: ``rank`` is the hit (card) it comes from, ``label`` the side or subject it answers ("advantages",
    "grants"; "" for a plain list)."""

    text: str
    rank: int
    citation: str
    label: str = ""


@dataclass(frozen=True)
class Correction:
    """A word of the question read as the report's own word: "Lancashre" as "Lancashire"."""

    typed: str
    meant: str


@dataclass(frozen=True)
class Check:
    """What one step of a question's path found: a rewrite it made ("spelling": the words it read as the
    report's own) or a reason to abstain ("not_in_report": names the report never mentions).

    ``kind`` names the step's finding, ``reason`` says it in words for a person, ``data`` holds its
    findings (corrections, place readings, names), and ``abstain`` is True when the answer should not
    be given because of it.
    """

    kind: str
    reason: str = ""
    data: tuple = ()
    abstain: bool = False


@dataclass(frozen=True)
class SearchResult:
    """The answer to one question: ranked hits, or an abstention with the nearest sections; ``checks``
    says how the question was read and why it was answered or not (see Check)."""

    question: str
    hits: tuple[Hit, ...]
    abstained: bool = False
    suggestions: tuple[Passage, ...] = ()
    answer: str = ""
    answer_citation: str = ""
    truncated: bool = False
    confidence: float = 0.0
    retriever: str = ""  # the ranking that produced the hits: fused, rerank, ...
    checks: tuple[Check, ...] = ()
    form: str = "single"  # the form of answer the question needs (kinds.answer_form)
    points: tuple[AnswerPoint, ...] = ()  # a composed answer's sentences, when the question needs several
    probability: float | None = None  # the calibrated chance that the first card holds the answer
    documents: int = 1  # how many documents the index held: with several, every citation names its document

    def cite(self, passage: Passage) -> str:
        """A passage's citation as this answer gives it: naming its document when the index holds several."""
        return citation(passage, with_document=self.documents > 1)

    @property
    def confidence_words(self) -> str:
        """ "high", "medium" or "low" (confidence.WORDS), from the calibrated probability; "" without one."""
        from .confidence import words

        return "" if self.probability is None else words(self.probability)

    @property
    def answer_text(self) -> str:
        """Everything the answer box shows in words: the short answer, or the composed answer's points."""
        return " ".join(p.text for p in self.points) if self.points else self.answer

    def check(self, kind: str) -> Check | None:
        """The check of that kind, or None."""
        return next((c for c in self.checks if c.kind == kind), None)

    def _data(self, kind: str) -> tuple:
        found = self.check(kind)
        return found.data if found else ()

    @property
    def not_in_report(self) -> tuple[str, ...]:
        """Names, years, places and acronyms the question uses that the report never mentions."""
        return self._data("not_in_report")

    @property
    def places(self) -> tuple[PlaceReading, ...]:
        """Place descriptions read as the report's councils."""
        return self._data("places")

    @property
    def off_topic(self) -> tuple[str, ...]:
        """Councils the question names that the best passage is not about."""
        return self._data("off_topic")

    @property
    def corrections(self) -> tuple[Correction, ...]:
        """Misspelt words searched as the report's own words."""
        return self._data("spelling")

    @property
    def did_you_mean(self) -> tuple[str, ...]:
        """The report's names that the names in not_in_report may have meant."""
        return self._data("did_you_mean")

    @property
    def not_counted(self) -> str:
        """What a "how many" question counts ("staff") when no passage near it gives a count."""
        return next(iter(self._data("not_counted")), "")

    @property
    def not_dated(self) -> tuple[str, ...]:
        """The years asked about ("2022") that no passage near the question speaks of."""
        return self._data("not_dated")

    @property
    def after_the_report(self) -> str:
        """The time asked about ("after 2020") when it is after the report's last year."""
        return next(iter(self._data("after_the_report")), "")
