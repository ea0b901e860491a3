"""Rewrite steps: the question cleaned, its misspelt words read as the report's own, acronyms and place
descriptions read as the report writes them. Each records what it read as a Check."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ..errors import QueryError
from .acronyms import expand_acronyms, recase_acronyms
from .pasted import asked_part
from .present import place_note, spelling_note
from .results import Check

if TYPE_CHECKING:
    from .index import Index
    from .query import Query

_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_question(question: object, max_chars: int = 2000) -> tuple[str, bool]:
    """Normalise a question: control and bidi characters out, whitespace collapsed, long ones cut.

    Returns the cleaned question and whether it was cut.
    """
    if not isinstance(question, str):
        raise QueryError(f"the question must be text, got {type(question).__name__}")
    text = _INVISIBLE.sub("", question)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QueryError('the question is empty: type a question about the report, e.g. "What does it recommend?"')
    if not re.search(r"\w", text):
        raise QueryError('the question has no words (only symbols or emoji): ask in plain English, e.g. '
                         '"What does the report recommend?"')
    cut = len(text) > max_chars
    if cut:
        text = text[:max_chars].rsplit(" ", 1)[0] or text[:max_chars]
    return text, cut


def clean(index: Index, query: Query) -> None:
    """The question cleaned; from pasted text (an e-mail, a paragraph), the question it asks (pasted.py)."""
    query.typed, query.truncated = clean_question(query.question, index.settings.max_question_chars)
    query.text = query.searched = query.typed
    asked = asked_part(query.typed)
    if asked:
        query.text = query.searched = asked
        query.checks.append(Check("pasted", f"read the question “{asked}” from the pasted text", (asked,)))


def spelling(index: Index, query: Query) -> None:
    """A misspelt word read as the report's own ("procurment" as "procurement")."""
    query.text, corrections = index.spell(query.text)
    query.searched = query.text
    if corrections:
        query.checks.append(Check("spelling", f"read {spelling_note(corrections)}", corrections))


def check_filters(index: Index, query: Query) -> None:
    """A filter naming nothing is an error, not "the report does not cover this"."""
    if query.filters:
        query.filters.check(index.passages)


def acronyms(index: Index, query: Query) -> None:
    """An acronym typed in lower case written as one; the report's long form after an acronym it spells
    out, and its acronym after a long form it abbreviates."""
    facts = index.facts
    searched = recase_acronyms(query.searched, facts.acronym_words, index.embedder.is_whole_word)
    query.searched = expand_acronyms(searched, facts.acronym_table, facts.vocabulary, facts.acronyms)


def places(index: Index, query: Query) -> None:
    """A place described ("a north-west borough") read as the report's councils there, which are added to
    the words searched; a council called by a short name gets its full name added."""
    readings = tuple(r for r in index.facts.places.described(query.text) if r.councils)
    query.searched = index.facts.places.expand(query.searched)
    if readings:
        query.checks.append(Check("places", "; ".join(f"read {place_note(r)}" for r in readings), readings))
