"""The conversation as a Word document (python-docx): each question, its answer in the report's words with
numbered citations, the confidence, and the sources: for each card cited or shown, its citation and the
sentences that answer, not whole passages with their footnotes."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from ..answer.present import abstention_reason, citation, spelling_note
from ..answer.results import Hit, SearchResult
from ..profile import Knowledge
from .chat import Turn, describe_filters, export_stamp, reading_note

FOOTNOTE = re.compile(r"^\[\d{1,3}\]\s.*$", re.M)  # a footnote the reader appended to a passage: "[4] Office for ..."
QUOTE_CHARS = 600  # a card without highlighted sentences is quoted up to this many characters


def without_footnotes(text: str) -> str:
    """A passage's text with the footnotes appended to it left out."""
    return re.sub(r"\n{3,}", "\n\n", FOOTNOTE.sub("", text)).strip()


def quoted(hit: Hit) -> str:
    """What the export quotes of a card: its highlighted sentences, else its opening."""
    if hit.highlights:
        return " … ".join(hit.passage.text[s:e].strip() for s, e in sorted(hit.highlights))
    text = without_footnotes(hit.passage.text)
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def _answer(document, result: SearchResult) -> None:
    if result.points:
        for point in result.points:
            line = document.add_paragraph(style="List Bullet")
            if point.label:
                line.add_run(f"{point.label.capitalize()}: ").bold = True
            line.add_run(f"{point.text} [{point.rank}]")
    elif result.answer:
        line = document.add_paragraph()
        line.add_run("Answer: ").bold = True
        line.add_run(f"{result.answer} [1]")
    if result.probability is not None:
        note = document.add_paragraph()
        note.add_run(f"Confidence: {result.confidence_words} ({round(100 * result.probability)}%)").italic = True


def conversation_docx(
    turns: list[Turn], manifest: dict | None = None, now: datetime | None = None, knowledge: Knowledge | None = None
) -> bytes:
    """The whole conversation as a .docx file's bytes."""
    from docx import Document
    from docx.shared import Pt

    now = now or datetime.now(UTC)
    knowledge = knowledge or Knowledge(title="the report")
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(f"{knowledge.title} — conversation", level=1)
    source = knowledge.title + (f" ({knowledge.publisher})" if knowledge.publisher else "")
    document.add_paragraph(f"Source: {source}. {export_stamp(manifest, now)}")
    for n, turn in enumerate(turns, 1):
        document.add_heading(f"{n}. {turn.question}", level=2)
        notes = [reading_note(turn)] if turn.rewritten else []
        if corrections := getattr(turn.result, "corrections", ()):
            notes.append(f"Spelling: read {spelling_note(corrections)}")
        if turn.filters.chapters or turn.filters.parts:
            notes.append(f"Filters: {describe_filters(knowledge, turn.filters)}")
        for note in notes:
            document.add_paragraph().add_run(note).italic = True
        result = turn.result
        if result is None:
            document.add_paragraph(f"Not searched: {turn.error}")
            continue
        if result.abstained:
            why, meant = abstention_reason(result)
            document.add_paragraph("Not covered: the report does not seem to answer this question"
                                   + (f" ({why})" if why else "") + "." + (f" {meant}" if meant else ""))
            for passage in result.suggestions:
                document.add_paragraph(f"Nearest section: {citation(passage)}", style="List Bullet")
            continue
        _answer(document, result)
        document.add_paragraph().add_run("Sources").bold = True
        for hit in result.hits:
            line = document.add_paragraph()
            line.add_run(f"[{hit.rank}] {citation(hit.passage)}").bold = True
            document.add_paragraph(quoted(hit), style="Quote")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
