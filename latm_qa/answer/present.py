"""Citations, highlights and output shapes (JSON contract, plain text) for hits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, is_dataclass

from ..types import Passage, PlaceReading
from .cite import citation, pages_label, section_label, short_title  # noqa: F401 - this module's to callers too
from .results import AnswerPoint, Check, Correction, Hit, SearchResult


def hit_to_json(hit: Hit, with_document: bool = False) -> dict:
    """A hit as the JSON contract has it; its ``citation`` names the document with ``with_document`` (an index
    of several reports)."""
    p = hit.passage
    return {
        "rank": hit.rank,
        "score": round(float(hit.score), 6),
        "passage_id": p.passage_id,
        "text": p.text,
        "section": p.section,
        "section_title": p.section_title,
        "heading_path": list(p.heading_path),
        "pages": list(p.pages),
        "document": p.document,
        "start": p.start,
        "end": p.end,
        "highlights": [list(span) for span in hit.highlights],
        "case_study": p.section_title if p.section_kind == "case_study" else None,
        "chapter_title": p.chapter_title,
        "document_title": p.document_title,
        "citation": citation(p, with_document),
        "fused_score": None if hit.fused_score is None else round(float(hit.fused_score), 6),
        "table_header": p.table_header,
        "probability": None if hit.probability is None else round(hit.probability, 4),
        "paragraphs": list(p.paragraphs),  # the numbered paragraphs it holds, where the report numbers them
        "paragraph_items": list(p.paragraph_items),
    }


def suggestion_to_json(passage: Passage, with_document: bool = False) -> dict:
    return {
        "section": passage.section,
        "section_title": passage.section_title,
        "heading_path": list(passage.heading_path),
        "document": passage.document,
        "document_title": passage.document_title,
        "citation": citation(passage, with_document),
    }


def result_to_json(result: SearchResult, question_id: object = None) -> dict:
    return {
        "id": question_id,
        "question": result.question,
        "abstained": result.abstained,
        "hits": [hit_to_json(h, result.documents > 1) for h in result.hits],
        "answer": result.answer,
        "answer_citation": result.answer_citation,
        "suggestions": [suggestion_to_json(p, result.documents > 1) for p in result.suggestions],
        "truncated": result.truncated,
        "confidence": round(result.confidence, 4),
        "not_in_report": list(result.not_in_report),
        "places": [{"words": r.words, "place": r.place, "councils": list(r.councils)} for r in result.places],
        "retriever": result.retriever,
        "off_topic": list(result.off_topic),
        "corrections": [{"typed": c.typed, "meant": c.meant} for c in result.corrections],
        "did_you_mean": list(result.did_you_mean),
        "not_counted": result.not_counted,
        "after_the_report": result.after_the_report,
        "not_dated": list(result.not_dated),
        "checks": [check_to_json(c) for c in result.checks],
        "answer_form": result.form,
        "answer_probability": None if result.probability is None else round(result.probability, 4),
        "confidence_words": result.confidence_words,
        "answer_points": [
            {"text": p.text, "rank": p.rank, "citation": p.citation, "label": p.label} for p in result.points
        ],
    }


def check_to_json(check: Check) -> dict:
    data = [asdict(d) if is_dataclass(d) else d for d in check.data]
    return {"kind": check.kind, "reason": check.reason, "data": data, "abstain": check.abstain}


def place_note(reading: PlaceReading) -> str:
    """ "“north-west” as North West: Kirklees, Wigan" """
    return f"“{reading.words}” as {reading.place}: {', '.join(reading.councils)}"


def spelling_note(corrections: Sequence[Correction]) -> str:
    """ "“Lancashir” as “Lancashire”, “commision” as “commission”" """
    return ", ".join(f"“{c.typed}” as “{c.meant}”" for c in corrections)


# The order in which an abstention's reasons are told: the first found is the one shown.
REASON_ORDER = ("not_in_report", "after_the_report", "off_topic", "not_counted", "not_dated")


def abstention_reason(result: SearchResult) -> tuple[str, str]:
    """Why an answer abstained, and the names it may have meant: ("it never mentions Glasgow", "") or
    ("the passages closest to it are not about Kirklees", "") or ("it never mentions Lancashir", "Did you
    mean Lancashire?"), from the result's checks."""
    checks = {c.kind: c for c in getattr(result, "checks", ())}
    why = next((checks[kind].reason for kind in REASON_ORDER if kind in checks), "")
    meant = checks.get("did_you_mean")
    return why, (meant.reason if meant else "")


def point_line(point: AnswerPoint) -> str:
    """A composed answer's sentence as plain text: "advantages: Sharing services can ... [1]"."""
    return f"{point.label + ': ' if point.label else ''}{point.text} [{point.rank}]"


def format_plain(result: SearchResult) -> str:
    """Readable text for a person: the short answer, then rank, citation line and passage."""
    lines: list[str] = []
    if result.truncated:
        lines.append("(the question was long and has been cut)")
    if pasted := result.check("pasted"):
        lines.append(f"({pasted.reason})")
    if result.corrections:
        lines.append(f"(read {spelling_note(result.corrections)})")
    lines += [f"(read {place_note(r)})" for r in result.places]
    if result.abstained:
        why, meant = abstention_reason(result)
        because = f" ({why})" if why else ""
        nothing = "None of the reports seems" if result.documents > 1 else "The report does not seem"
        lines.append(f"{nothing} to answer this question{because}." + (f" {meant}" if meant else ""))
        if result.suggestions:
            lines.append("Nearest sections:")
            lines += [f"  - {result.cite(p)}" for p in result.suggestions]
        return "\n".join(lines)
    if result.points:
        lines.append("Answer:")
        lines += [f"  - {point_line(p)}" for p in result.points]
        lines.append("")
    elif result.answer:
        lines += [f"Answer: {result.answer}", f"        ({result.answer_citation})", ""]
    for hit in result.hits:
        lines.append(f"[{hit.rank}] {result.cite(hit.passage)}   score {hit.score:.3f}")
        lines += ["    " + line for line in hit.passage.shown_text.split("\n") if line.strip()]
        lines.append("")
    return "\n".join(lines).rstrip()
