"""The chat page's logic: turns, follow-up rewriting, filters, index summary.

Everything here is plain Python so it can be tested without Streamlit; ``app.py`` only renders,
with the HTML and Markdown builders of :mod:`latm_qa.app.render`. What the page knows of the report
(its chapters, their labels and the words that name them, its parts) is the index's Knowledge.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..answer.index import Index
from ..answer.results import SearchResult
from ..errors import QueryError
from ..profile import Knowledge
from ..retrieve.filters import Filters
from ..types import Passage

_OPENERS = re.compile(
    r"^\s*(?:and|also|plus|so|then|what about|how about|what else|tell me more|more on|same for)\b", re.I
)
_QUESTION_WORDS = set(
    "and also plus then what about how who whom whose which when where why did does the was were are has have had "
    "tell more else same for with any much many can could would should there they them their that this those these "
    "its his her she".split()
)
_PRONOUNS = {"they", "them", "their", "theirs", "it", "its", "that", "this", "those", "these", "he", "she", "his"}


@dataclass(frozen=True)
class Turn:
    """One question and its answer as the page shows it (kept in session state)."""

    question: str
    query: str
    result: SearchResult | None
    filters: Filters = field(default_factory=Filters)
    k: int = 5
    error: str = ""
    turn_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    asked_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def rewritten(self) -> bool:
        return self.query != self.question


def is_blank(question: str | None) -> bool:
    """True for None, "" and questions with no letter or digit; the page ignores them."""
    return not question or not re.search(r"\w", question)


def mentioned_chapter(knowledge: Knowledge, text: str) -> str:
    """The number of the topic chapter a text names by its words (the profile's, or its title's), or ""."""
    return next(
        (c.number for c in knowledge.chapters if any(re.search(w, text, re.I) for w in c.words)), ""
    )


def is_followup(question: str) -> bool:
    """A question leaning on the one before: opens with "and"/"what about", is very short, or short with a pronoun."""
    words = re.findall(r"[\w'-]+", question.lower())
    if not words:
        return False
    return bool(_OPENERS.match(question)) or len(words) <= 3 or (len(words) <= 8 and bool(_PRONOUNS & set(words)))


def followup_context(knowledge: Knowledge, previous: Turn | None) -> str:
    """The topic chapter the previous turn was about: one named in its query, else its top hit's chapter's
    title, if that chapter is a topic (treated part by part)."""
    if previous is None or previous.result is None:
        return ""
    if chapter := mentioned_chapter(knowledge, previous.query):
        return knowledge.chapter(chapter).title
    if previous.result.hits:
        top = previous.result.hits[0].passage
        chapter = knowledge.chapter(top.section.split(".")[0])
        if chapter is not None and chapter.topic:
            return top.chapter_title
    return ""


def rewrite_followup(knowledge: Knowledge, question: str, context: str) -> str:
    """Add the previous topic to a follow-up naming none: "and <council>?" -> "and <council>? (<chapter title>)"."""
    question = question.strip()
    if (
        not context or not is_followup(question) or mentioned_chapter(knowledge, question)
        or context.lower() in question.lower()
    ):
        return question
    return f"{question} ({context})"


def ask_turn(index: Index, question: str, previous: Turn | None, k: int, filters: Filters) -> Turn:
    """Answer a question in the conversation; a rewritten follow-up keeps an abstention its own words earn.

    If the question alone is off-topic (the report does not cover it and shares no searchable word with
    it, "and what about cake?"), adding the previous model's name must not conjure up an answer. If the
    previous topic leads away from the council the question names ("what about Kirklees?" after a question
    on shared services), the question is answered on its own words.
    """
    question = question.strip()
    query = rewrite_followup(index.knowledge, question, followup_context(index.knowledge, previous))
    try:
        result = index.ask(query, k=k, filters=filters)
        if query != question and not result.abstained:  # nonsense must not borrow the previous model's answer
            own = index.ask(question, k=k, filters=filters)
            if own.abstained and not report_mentions(index, question):
                query, result = question, own
        elif query != question and result.off_topic:  # the previous model led away from the council named
            own = index.ask(question, k=k, filters=filters)
            if not own.abstained:
                query, result = question, own
    except QueryError as exc:
        return Turn(question=question, query=question, result=None, filters=filters, k=k, error=str(exc))
    return Turn(question=question, query=query, result=result, filters=filters, k=k)


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {w[:5] if len(w) > 5 else w for w in words if len(w) > 2 and w not in _QUESTION_WORDS}


def report_mentions(index: Index, question: str) -> bool:
    """Whether any content word of the question (beyond "what", "about", pronouns...) occurs in the report."""
    stems = _stems(question)
    return any(word[:5] in stems for word in index.facts.vocabulary)


def build_filters(
    knowledge: Knowledge, chapters: list[str] | tuple[str, ...] = (), parts: list[str] | tuple[str, ...] = ()
) -> Filters:
    # a chapter's title also matches it, for a report typeset again without numbers
    titles = tuple(c.title for number in chapters if (c := knowledge.chapter(number)))
    return Filters(chapters=tuple(chapters), parts=tuple(parts), chapter_titles=titles)


def describe_filters(knowledge: Knowledge, filters: Filters) -> str:
    """"<chapter label> · Case studies", or "" without filters."""
    labels = [c.label if (c := knowledge.chapter(n)) else n for n in filters.chapters]
    return " · ".join(labels + [p.capitalize() for p in filters.parts])


def chapter_choices(knowledge: Knowledge) -> list[str]:
    """The chapters the sidebar offers: the topic chapters first (the report's subjects), then the rest."""
    chapters = sorted(knowledge.chapters, key=lambda c: not c.topic)
    return [c.number for c in chapters]


def chapter_choice_label(knowledge: Knowledge, number: str) -> str:
    chapter = knowledge.chapter(number)
    label = chapter.label if chapter else number
    return f"{label} (ch. {number})" if re.match(r"\d", number) else label


def count_matching(index: Index, filters: Filters) -> int:
    return int(filters.mask(index.passages).sum())


def relevance(score: float, top: float) -> float:
    """0..1 for a hit's bar: its score as a share of the best hit's score (whatever the retriever)."""
    return min(1.0, max(0.0, score / top)) if top > 0 else 0.0


def confidence_label(confidence: float) -> str:
    """"high", "medium" or "low" from the best passage's cosine similarity to the question (MiniLM scale)."""
    if confidence >= 0.55:
        return "high"
    return "medium" if confidence >= 0.40 else "low"


def section_passages(passages: list[Passage], passage: Passage) -> list[Passage]:
    """Every passage of the passage's section (same document and heading path), in reading order."""
    same = [p for p in passages if p.document == passage.document and p.heading_path == passage.heading_path]
    return sorted(same, key=lambda p: p.ordinal)


def index_stamp(index_dir: Path) -> int | None:
    """The manifest's modification time (ns): a new ingest changes it; None when there is no index."""
    manifest = Path(index_dir) / "manifest.json"
    return manifest.stat().st_mtime_ns if manifest.exists() else None


def index_summary(manifest: dict, reranker: str = "") -> dict[str, str]:
    """What the sidebar says about the loaded index (and the cross-encoder re-scoring its hits, if any)."""
    created = str(manifest.get("created", ""))
    try:
        created = datetime.strptime(created, "%Y-%m-%dT%H:%M:%S%z").strftime("%d %b %Y, %H:%M %Z").strip()
    except ValueError:
        pass
    model = str(manifest.get("model", ""))
    sources = manifest.get("sources", [])
    titles = sorted({s.get("title") or s.get("file", "") for s in sources})
    return {
        "Report": "; ".join(titles) or "(none)",
        "Files": ", ".join(str(s.get("file", "")) for s in sources),
        "Documents": str(manifest.get("documents", len(sources))),
        "Passages": str(manifest.get("passages", "")),
        "Ingested": created,
        "Model": model.removeprefix("bundled:") + (" (bundled)" if model.startswith("bundled:") else ""),
    } | ({"Reranker": reranker} if reranker else {})


class IngestProgress:
    """Turns ingest's (stage, n done now, total) ticks into one overall fraction and a label."""

    STAGES = {"reading": (0.0, 0.05), "embedding passages": (0.05, 0.35), "embedding sentences": (0.35, 1.0)}

    def __init__(self) -> None:
        self.done: dict[str, int] = {}

    def update(self, stage: str, n: int, total: int) -> tuple[float, str]:
        self.done[stage] = min(total, self.done.get(stage, 0) + n)
        low, high = self.STAGES.get(stage, (0.0, 1.0))
        fraction = low + (high - low) * (self.done[stage] / total if total else 1.0)
        return min(1.0, fraction), f"{stage.capitalize()}: {self.done[stage]} of {total}"
