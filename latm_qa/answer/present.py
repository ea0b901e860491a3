"""Citations, highlights and output shapes (JSON contract, plain text) for hits."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..retrieve.prior import passage_part
from ..types import Correction, Hit, Passage, PlaceReading, SearchResult


def section_label(passage: Passage) -> str:
    """ "§4.4 Case studies — Essex County Council (2013-Present)", "§2.2 Benefits", "About Localis"; in a
    report without numbered headings, the heading path: "Sharing councils › Case studies — Adur"."""
    numbered = bool(re.match(r"\d", passage.section))
    if passage.section_kind == "case_study":
        part = passage_part(passage.heading_path, True)
        where = f"§{passage.section} {part}" if numbered else " › ".join(passage.heading_path[:-1])
        return f"{where} — {passage.section_title}"
    if passage.section_kind in ("chapter", "subsection"):
        return f"§{passage.section} {passage.section_title}"
    if passage.section_kind == "unnumbered":
        return " › ".join(passage.heading_path)
    return passage.section_title


def pages_label(pages: tuple[int, ...]) -> str:
    if not pages:
        return ""
    return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}–{pages[-1]}"


def citation(passage: Passage, with_document: bool = False) -> str:
    """The full citation line of a passage, e.g. "§4.4 Case studies — Essex County Council (2013-Present), p. 8"."""
    parts = [section_label(passage)]
    if passage.pages:
        parts.append(pages_label(passage.pages))
    text = ", ".join(parts)
    return f"{text} · {passage.document_title}" if with_document else text


def best_sentences(
    sentence_scores: np.ndarray, sentence_rows: list[int], sentences: list[dict], limit: int = 2
) -> list[tuple[int, int, float]]:
    """The passage's sentences closest to the question: [(start, end, score)], best first.

    ``sentence_scores`` holds every sentence's cosine to the question; ``sentence_rows`` this passage's.
    """
    if not sentence_rows:
        return []
    scores = sentence_scores[sentence_rows]
    order = np.argsort(-scores)
    best = float(scores[order[0]])
    chosen = [order[0]] + [i for i in order[1:limit] if scores[i] >= best - 0.06]
    return [
        (sentences[sentence_rows[i]]["start"], sentences[sentence_rows[i]]["end"], float(scores[i])) for i in chosen
    ]


def hit_to_json(hit: Hit) -> dict:
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
        "citation": citation(p),
        "fused_score": None if hit.fused_score is None else round(float(hit.fused_score), 6),
    }


def suggestion_to_json(passage: Passage) -> dict:
    return {
        "section": passage.section,
        "section_title": passage.section_title,
        "heading_path": list(passage.heading_path),
        "document": passage.document,
        "citation": citation(passage),
    }


def result_to_json(result: SearchResult, question_id: object = None) -> dict:
    return {
        "id": question_id,
        "question": result.question,
        "abstained": result.abstained,
        "hits": [hit_to_json(h) for h in result.hits],
        "answer": result.answer,
        "answer_citation": result.answer_citation,
        "suggestions": [suggestion_to_json(p) for p in result.suggestions],
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
    }


def place_note(reading: PlaceReading) -> str:
    """ "“north-west” as North West: Oldham, Warrington" """
    return f"“{reading.words}” as {reading.place}: {', '.join(reading.councils)}"


def spelling_note(corrections: Sequence[Correction]) -> str:
    """ "“Stafordshire” as “Staffordshire”, “commision” as “commission”" """
    return ", ".join(f"“{c.typed}” as “{c.meant}”" for c in corrections)


def _either(names: Sequence[str]) -> str:
    """ "Kent", "Kent or Surrey", "Kent, Surrey or 2019" """
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def abstention_reason(result: SearchResult) -> tuple[str, str]:
    """Why an answer abstained, and the names it may have meant: ("it never mentions Glasgow", "") or
    ("the passages closest to it are not about Oldham", "") or ("it never mentions Stafordshir", "Did you
    mean Staffordshire?"). Read with getattr: a SearchResult kept from an older version lacks the fields."""
    missing = tuple(getattr(result, "not_in_report", ()) or ())
    off_topic = tuple(getattr(result, "off_topic", ()) or ())
    meant = tuple(getattr(result, "did_you_mean", ()) or ())
    if missing:
        why = f"it never mentions {_either(missing)}"
    elif after := getattr(result, "after_the_report", ""):
        why = f"it speaks of nothing dated {after.lower()}"
    elif off_topic:
        why = f"the passages closest to it are not about {_either(off_topic)}"
    elif counted := getattr(result, "not_counted", ""):
        why = f"the passages closest to it give no number of {counted}"
    else:
        why = ""
    return why, (f"Did you mean {' or '.join(meant)}?" if meant else "")


def format_plain(result: SearchResult) -> str:
    """Readable text for a person: the short answer, then rank, citation line and passage."""
    lines: list[str] = []
    if result.truncated:
        lines.append("(the question was long and has been cut)")
    if result.corrections:
        lines.append(f"(read {spelling_note(result.corrections)})")
    lines += [f"(read {place_note(r)})" for r in result.places]
    if result.abstained:
        why, meant = abstention_reason(result)
        because = f" ({why})" if why else ""
        lines.append(f"The report does not seem to answer this question{because}." + (f" {meant}" if meant else ""))
        if result.suggestions:
            lines.append("Nearest sections:")
            lines += [f"  - {citation(p)}" for p in result.suggestions]
        return "\n".join(lines)
    if result.answer:
        lines += [f"Answer: {result.answer}", f"        ({result.answer_citation})", ""]
    for hit in result.hits:
        lines.append(f"[{hit.rank}] {citation(hit.passage)}   score {hit.score:.3f}")
        lines += ["    " + line for line in hit.passage.text.split("\n") if line.strip()]
        lines.append("")
    return "\n".join(lines).rstrip()
