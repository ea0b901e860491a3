"""The conversation exported, as Markdown or as a Word document (python-docx): each question, its answer in
the report's words with numbered citations (naming the document, in a library of several), the confidence,
and the sources: for each card its citation and the sentences that answer, not the passages' footnotes.
Text from documents and questions reaches Markdown only through :func:`escape_markdown`."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime

from ..answer.present import abstention_reason, spelling_note
from ..answer.results import Hit, SearchResult
from ..profile import Knowledge
from ..types import Passage
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


def _filters(turn: Turn, knowledge: Knowledge) -> str:
    """The turn's filters as the page said them (with its documents'), else as its knowledge says them."""
    return turn.described or describe_filters(knowledge, turn.filters)


def _source(knowledge: Knowledge, documents: Sequence[str], emphasis: str = "") -> str:
    """ "Source: <title> (<publisher>)", or for a library "Sources: <title>; <title>"."""
    by = f" ({knowledge.publisher})" if knowledge.publisher else ""
    if len(documents) > 1:
        return "Sources" + by + ": " + "; ".join(f"{emphasis}{title}{emphasis}" for title in documents)
    return f"Source: {emphasis}{knowledge.title}{emphasis}{by}"


def conversation_docx(
    turns: list[Turn], manifest: dict | None = None, now: datetime | None = None, knowledge: Knowledge | None = None,
    documents: Sequence[str] = (),
) -> bytes:
    """The whole conversation as a .docx file's bytes; ``documents``: the titles of a library's reports."""
    from docx import Document
    from docx.shared import Pt

    now = now or datetime.now(UTC)
    knowledge = knowledge or Knowledge(title="the report")
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(f"{knowledge.title} — conversation", level=1)
    document.add_paragraph(f"{_source(knowledge, documents)}. {export_stamp(manifest, now)}")
    for n, turn in enumerate(turns, 1):
        document.add_heading(f"{n}. {turn.question}", level=2)
        notes = [reading_note(turn)] if turn.rewritten else []
        if corrections := getattr(turn.result, "corrections", ()):
            notes.append(f"Spelling: read {spelling_note(corrections)}")
        if turn.filters.documents or turn.filters.chapters or turn.filters.parts:
            notes.append(f"Filters: {_filters(turn, knowledge)}")
        for note in notes:
            document.add_paragraph().add_run(note).italic = True
        result = turn.result
        if result is None:
            document.add_paragraph(f"Not searched: {turn.error}")
            continue
        if result.abstained:
            why, meant = abstention_reason(result)
            nothing = "none of the reports seems" if result.documents > 1 else "the report does not seem"
            document.add_paragraph(f"Not covered: {nothing} to answer this question"
                                   + (f" ({why})" if why else "") + "." + (f" {meant}" if meant else ""))
            for passage in result.suggestions:
                document.add_paragraph(f"Nearest section: {result.cite(passage)}", style="List Bullet")
            continue
        _answer(document, result)
        document.add_paragraph().add_run("Sources").bold = True
        for hit in result.hits:
            line = document.add_paragraph()
            line.add_run(f"[{hit.rank}] {result.cite(hit.passage)}").bold = True
            document.add_paragraph(quoted(hit), style="Quote")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$&!])")
_MD_FOOTNOTE = re.compile(r"^> \\\[\d{1,3}\\\] ")  # "> \[4\] Office for National Statistics (2015) ..."
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])(?=\s|$)", re.M)


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would interpret, so passages and questions read literally."""
    return _MD_LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", text))


def _md_passage(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        piece = text[start:end].strip()
        if not piece:
            continue
        out += [escape_markdown(text[pos:start]), f"**{escape_markdown(piece)}**"]
        pos = end
    out.append(escape_markdown(text[pos:]))
    return "\n".join("> " + line if line.strip() else ">" for line in "".join(out).split("\n"))


def _md_header(passage: Passage) -> list[str]:
    """The header of the table a passage continues, quoted above it in the Markdown export."""
    return [_md_passage(passage.table_header, ()), ">"] if passage.table_header else []


def conversation_markdown(
    turns: list[Turn], manifest: dict | None = None, now: datetime | None = None, knowledge: Knowledge | None = None,
    documents: Sequence[str] = (),
) -> str:
    """The whole conversation as Markdown: questions, answers with citations, the passages shown;
    ``documents``: the titles of a library's reports."""
    now = now or datetime.now(UTC)
    knowledge = knowledge or Knowledge(title="the report")
    plain = Knowledge(title=escape_markdown(knowledge.title), publisher=escape_markdown(knowledge.publisher))
    source = _source(plain, [escape_markdown(title) for title in documents], "*")
    lines = [f"# {plain.title} — conversation", "", f"{source}. {export_stamp(manifest, now)}"]
    for n, turn in enumerate(turns, 1):
        lines += ["", f"## {n}. {escape_markdown(turn.question)}", ""]
        if turn.rewritten:
            lines.append(f"*{escape_markdown(reading_note(turn))}*  ")
        if corrections := getattr(turn.result, "corrections", ()):  # (None when the turn was not searched)
            lines.append(f"*Spelling:* read {escape_markdown(spelling_note(corrections))}  ")
        if turn.filters.documents or turn.filters.chapters or turn.filters.parts:
            lines.append(f"*Filters:* {escape_markdown(_filters(turn, knowledge))}  ")
        result = turn.result
        if result is None:
            lines.append(f"*Not searched:* {escape_markdown(turn.error)}")
            continue
        if result.truncated:
            lines.append("*The question was long and only its beginning was searched.*  ")
        if result.abstained:
            nothing = "none of the reports seems" if result.documents > 1 else "the report does not seem"
            lines.append(f"**Not covered:** {nothing} to answer this question.")
            if result.suggestions:
                lines += ["", "Nearest sections:", ""]
                lines += [f"- {escape_markdown(result.cite(p))}" for p in result.suggestions]
            continue
        if result.points:
            lines += ["**Answer:**", ""]
            lines += [f"- {escape_markdown((p.label.capitalize() + ': ') if p.label else '')}{escape_markdown(p.text)}"
                      f" \\[{p.rank}\\]" for p in result.points]
        elif result.answer:
            lines += [f"**Answer:** {escape_markdown(result.answer)} \\[1\\]",
                      f"— *{escape_markdown(result.answer_citation)}*"]
        if result.probability is not None:
            lines += ["", f"*Confidence:* {result.confidence_words} ({round(100 * result.probability)}%)"]
        lines += ["", "Passages:"]
        for hit in result.hits:
            head = f"{hit.rank}\\. **{escape_markdown(result.cite(hit.passage))}**"
            body = _md_passage(hit.passage.text, hit.highlights)  # less the footnotes appended to the passage
            body = "\n".join(line for line in body.split("\n") if not _MD_FOOTNOTE.match(line)).rstrip(">\n")
            lines += ["", head, "", *_md_header(hit.passage), body]
    return "\n".join(lines).rstrip() + "\n"
