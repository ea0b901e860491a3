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
from ..answer.pasted import asked_part
from ..answer.present import citation, point_line, short_title
from ..answer.results import SearchResult
from ..errors import QueryError
from ..profile import Knowledge
from ..retrieve.filters import Filters
from ..types import Passage
from .followup import Reading, named_subject, read_question

_QUESTION_WORDS = set(
    "and also plus then what about how who whom whose which when where why did does the was were are has have had "
    "tell more else same for with any much many can could would should there they them their that this those these "
    "its his her she".split()
)


@dataclass(frozen=True)
class Turn:
    """One question and its answer as the page shows it (kept in session state)."""

    question: str
    query: str
    result: SearchResult | None
    filters: Filters = field(default_factory=Filters)
    k: int = 5
    error: str = ""
    reading: str = "standalone"  # how it was read: "standalone", "refers_back" or "ellipsis" (followup.py)
    subject: str = ""  # what it is about, for a follow-up to carry
    described: str = ""  # its filters as the page says them ("<document> · <chapter label> · Case studies")
    turn_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    asked_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def rewritten(self) -> bool:
        return self.query != self.question


def is_blank(question: str | None) -> bool:
    """True for None, "" and questions with no letter or digit; the page ignores them."""
    return not question or not re.search(r"\w", question)


def ask_turn(index: Index, question: str, previous: Turn | None, k: int, filters: Filters,
             as_typed: bool = False) -> Turn:
    """Answer a question in the conversation, read as a follow-up of the previous turn when it leans on it
    (followup.py) unless ``as_typed``; a rewritten follow-up keeps an abstention its own words earn.

    If the question alone is off-topic (the report does not cover it and shares no searchable word with
    it, "and what about cake?"), the previous subject must not conjure up an answer. If the previous
    subject leads away from the council the question names ("what about <council>?" after a question on
    another model), the question is answered on its own words.
    """
    question = question.strip()
    reading = Reading(question, subject=named_subject(question))
    pasted = bool(asked_part(question))  # an e-mail or paragraph stands on its own
    if not as_typed and not pasted and previous is not None and previous.result is not None:
        top = previous.result.hits[0].passage if previous.result.hits else None
        reading = read_question(question, index.facts.repeated_titles, previous.query, previous.subject, top)
    query, described = reading.query, describe_filters(index.knowledge, filters, index)
    try:
        result = index.ask(query, k=k, filters=filters)
        if query != question and not result.abstained:  # nonsense must not borrow the previous subject's answer
            own = index.ask(question, k=k, filters=filters)
            if own.abstained and not report_mentions(index, question):
                reading, result = Reading(question), own
        elif query != question and result.off_topic:  # the previous subject led away from the council named
            own = index.ask(question, k=k, filters=filters)
            if not own.abstained:
                reading, result = Reading(question, subject=named_subject(question)), own
    except QueryError as exc:
        return Turn(question=question, query=question, result=None, filters=filters, k=k, error=str(exc),
                    described=described)
    return Turn(question=question, query=reading.query, result=result, filters=filters, k=k,
                reading=reading.kind, subject=reading.subject, described=described)


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {w[:5] if len(w) > 5 else w for w in words if len(w) > 2 and w not in _QUESTION_WORDS}


def report_mentions(index: Index, question: str) -> bool:
    """Whether any content word of the question (beyond "what", "about", pronouns...) occurs in the report."""
    stems = _stems(question)
    return any(word[:5] in stems for word in index.facts.vocabulary)


def build_filters(
    knowledge: Knowledge, chapters: list[str] | tuple[str, ...] = (), parts: list[str] | tuple[str, ...] = (),
    documents: list[str] | tuple[str, ...] = (),
) -> Filters:
    """The sidebar's choices as Filters; ``knowledge`` the report whose chapters were chosen (chapter_source)."""
    # a chapter's title also matches it, for a report typeset again without numbers
    titles = tuple(c.title for number in chapters if (c := knowledge.chapter(number)))
    return Filters(documents=tuple(documents), chapters=tuple(chapters), parts=tuple(parts), chapter_titles=titles)


def describe_filters(knowledge: Knowledge, filters: Filters, index: Index | None = None) -> str:
    """"<chapter label> · Case studies", in a library "<document> · <chapter label> · …"; "" without filters."""
    names = [document_label(index, d) for d in filters.documents] if index is not None else []
    knowledge = (chapter_source(index, filters.documents) if index is not None else None) or knowledge
    labels = [c.label if (c := knowledge.chapter(n)) else n for n in filters.chapters]
    return " · ".join(names + labels + [p.capitalize() for p in filters.parts])


def document_choices(index: Index) -> list[str]:
    """The documents the sidebar's Document filter offers (their ids, in the library's order); none for one."""
    return [d.doc_id for d in index.documents] if len(index.documents) > 1 else []


def document_titles(index: Index) -> list[str]:
    """The titles of a library's reports as the page names them (none for an index of one)."""
    return [document_label(index, d) for d in document_choices(index)]


def document_label(index: Index, doc_id: str) -> str:
    """A document as the page names it: its title as cited (short form)."""
    document = index.document(doc_id)
    return short_title(document.title) if document else doc_id


def chapter_source(index: Index, documents: list[str] | tuple[str, ...] = ()) -> Knowledge | None:
    """Whose chapters and parts the sidebar offers: the report's, in an index of one; in a library, the one
    document chosen's, else None (every report has a chapter 1: a chapter filter needs its document)."""
    if len(index.documents) < 2:
        return index.knowledge
    return index.library.of(documents[0]) if len(documents) == 1 else None


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


def reading_note(turn: Turn) -> str:
    """What the page says of a question read as a follow-up: "Read as a follow-up about “Northshire”:
    searched “who do I contact about that? (Northshire)”"; "" for a question searched as typed."""
    if not turn.rewritten:
        return ""
    about = f" about “{turn.subject}”" if turn.subject else ""
    return f"Read as a follow-up{about}: searched “{turn.query}”"


def answer_for_copy(result: SearchResult) -> str:
    """The answer as an officer pastes it: the report's words, each with its numbered citation."""
    if result.points:
        lines = [f"- {point_line(p)}" for p in result.points]
    else:
        lines = [f"{result.answer} [1]"]
    cited = dict.fromkeys([p.rank for p in result.points] or [1])
    sources = [f"[{rank}] {citation(result.hits[rank - 1].passage, with_document=True)}" for rank in cited
               if rank <= len(result.hits)]
    return "\n".join([*lines, "", *sources])


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
        ("Report" if len(titles) <= 1 else "Reports"): "; ".join(titles) or "(none)",
        "Files": ", ".join(str(s.get("file", "")) for s in sources),
        "Documents": str(manifest.get("documents", len(sources))),
        "Passages": str(manifest.get("passages", "")),
        "Ingested": created,
        "Model": model.removeprefix("bundled:") + (" (bundled)" if model.startswith("bundled:") else ""),
    } | ({"Reranker": reranker} if reranker else {})


def export_stamp(manifest: dict | None, now: datetime) -> str:
    """When an export was made, and from which index: "Exported 02 Jan 2026, 03:04 UTC. Index built …"."""
    stamp = f"Exported {now:%d %b %Y, %H:%M} UTC."
    if manifest:
        info = index_summary(manifest)
        stamp += f" Index built {info['Ingested']} with {info['Model']}, {info['Passages']} passages."
    return stamp


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
