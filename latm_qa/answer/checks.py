"""Check steps: telling a question the report does not answer from one it does, and why.

Each check adds a Check (kind, reason, data, abstain) the page and the CLI show:
- names, years, places and acronyms the report never mentions ("Glasgow", "2019", "East Sussex", "TUPE");
- a time after the last year the report mentions ("How did the contracts perform after 2020?" when its
  latest year is a 2020 target): nothing in it is dated later, so it can only guess;
- councils the question names that its best passage is not about ("How much parking income did Calderdale
  raise?" whose best passage is on Kirklees's property income);
- "how many", "how much" and "in 2022" that the best passages never count, put a figure on or date
  (details.py);
- a best passage too far from the question (its cosine below the ``abstain_below`` setting).
An abstaining answer then offers the nearest sections, and the report's names a misspelt one may mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import islice
from typing import TYPE_CHECKING

from ..places.councils import NATION_ADJECTIVES, Council, nation_of
from ..places.gazetteer import Gazetteer, names_related
from ..text import POSSESSIVE
from ..types import Passage
from .acronyms import FUNCTION_WORDS, unknown_acronyms
from .details import means_the_same
from .results import Check

if TYPE_CHECKING:
    from .index import Index
    from .query import Query

NAME_DEPTH = 3  # a name the report lacks is told apart from one it may call otherwise by this many best passages

_AFTER_YEAR = re.compile(
    r"\b(?:after|since|beyond|post-?|later than)\s*(?:the\s+(?:end\s+of\s+)?)?((?:19|20)\d\d)\b", re.I
)
_CAPITALISED = re.compile(r"(?<![\w'])[A-Z][a-z][\w'’-]*")
_NAME_OR_YEAR = re.compile(r"(?<![\w'])(?:[A-Z][a-z][\w'-]*|(?:19|20)\d\d)\b")
# what may open a sentence, clause or quotation inside a question: the capital after it says nothing of a name
# ("We are reviewing suppliers. Our IT contracts end in May: ...", "Is this true: 'Councils ...'")
_OPENING = re.compile(r"(?:^|[.!?:;\u2022]|\s[-–—*])\W*$")


def is_name(question: str, start: int, word: str) -> bool:
    """Whether a capitalised word of the question is written so as a name: not at the start of the question
    or of a sentence, clause or quotation in it (a pasted "Our IT contracts ..."), and no pronoun, article or
    other word that is never a name ("This", "Our")."""
    return word.lower() not in FUNCTION_WORDS and not _OPENING.search(question[:start])


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Names and years the question uses that appear nowhere in the report ("Glasgow", "2019").

    A capitalised word counts only as ``is_name`` says (not the first word of a sentence, not "Our");
    possessives are reduced ("Kent's" -> "Kent"); unknown words next to each other are one name
    ("Tunbridge Wells", not "Tunbridge" and "Wells").
    """
    names: list[str] = []
    open_end = None  # where the last name ended, while a word right after it would continue it
    for match in _NAME_OR_YEAR.finditer(question):
        word = POSSESSIVE.sub("", match.group(0))
        if not word.isdigit() and not is_name(question, match.start(), word):
            open_end = None
            continue
        if word.lower() in vocabulary:
            open_end = None
            continue
        if open_end is not None and question[open_end : match.start()] == " " and not word.isdigit():
            names[-1] = f"{names[-1]} {word}"
        else:
            names.append(word)
        open_end = match.end() if word == match.group(0) and not word.isdigit() else None
    return names


def after_the_report(question: str, last: int | None) -> str:
    """The time the question asks about ("after 2020") when it is after ``last``, the last year the report
    mentions (or from it on: "since 2020"), else "". "By 2020" and "in 2020" ask about that year, which
    the report may speak of."""
    for match in _AFTER_YEAR.finditer(question):
        if last is not None and int(match.group(1)) >= last:
            return match.group(0)
    return ""


def not_in_report(
    question: str,
    vocabulary: set[str],
    places: Gazetteer,
    acronyms: dict[str, str],
    is_whole_word: Callable[[str], bool],
) -> list[str]:
    """Names, years, places and acronyms the question uses that the report never mentions. A place
    description that covers councils the report names ("Lancs", "the north-west borough") counts as known."""
    known = vocabulary | places.known_words(question)
    # a nation's adjective is known if the report names the nation ("Northern Irish": Northern Ireland)
    known |= {w.lower() for w in NATION_ADJECTIVES if set(nation_of(w).lower().split()) <= vocabulary}
    unknown = unknown_names(question, known) + [w for w in places.lower_case_places(question) if w.lower() not in known]
    unknown += places.uncovered(question)  # however typed: "east sussex", "North Yorkshire"
    return _once(unknown) + unknown_acronyms(question, vocabulary, acronyms, is_whole_word)


def _once(names: list[str]) -> list[str]:
    """Each name once, as first typed, in the order typed; a word of a longer name only in it ("Yorkshire"
    in "North Yorkshire")."""
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(name.lower(), name)
    return [n for n in first.values() if not any(n != m and n.lower() in m.lower().split() for m in first.values())]


def off_topic_councils(question: str, about: str, places: Gazetteer) -> tuple[str, ...]:
    """The report's councils the question names when the best passage (``about``: what it is about) is
    about none of them, else (). A passage is about a council if its text or heading path names it (or,
    for a county, one of its councils in the report)."""
    named = places.named(question)
    if not named or any(places.covers(about, council) for council in named):
        return ()
    return tuple(council.name for council in named)


def nearest_sections(
    ranked: Sequence[int],
    shown: Sequence[int],
    passages: Sequence[Passage],
    about: Sequence[str],
    places: Gazetteer,
    named: Sequence[Council],
) -> tuple[Passage, ...]:
    """Up to three sections to suggest instead of an answer, one passage each: first those of the best
    passages (``ranked``) on the councils the question names (or meant), then those of the passages that
    would have been shown (``shown``)."""
    on_named = (row for row in ranked if any(places.covers(about[row], council) for council in named))
    seen: dict[str, Passage] = {}
    for row in [*islice(on_named, 3), *shown]:
        seen.setdefault(" / ".join(passages[row].heading_path), passages[row])
    return tuple(seen.values())[:3]


def _either(names: Sequence[str]) -> str:
    """ "Kent", "Kent or Surrey", "Kent, Surrey or 2019" """
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def not_in_report_step(index: Index, query: Query) -> None:
    facts = index.facts
    unknown = not_in_report(query.text, facts.vocabulary, facts.places, facts.acronym_table,
                            index.embedder.is_whole_word)
    if unknown:
        about = " ".join(facts.about[row] for row in query.ranked[:NAME_DEPTH])
        unknown = [name for name in unknown if not _named_otherwise(index, name, about)]
    if unknown:
        query.checks.append(Check("not_in_report", f"it never mentions {_either(unknown)}", tuple(unknown), True))


def _named_otherwise(index: Index, name: str, about: str) -> bool:
    """Whether the best passages (``about``) may speak of a name the report never uses under another: for a
    UK place, they name a place it lies in or holds ("Norwich" for "Norfolk", "Northern Ireland"
    for "Belfast"); for another name, one the embedder reads as the same (``SAME_THING``: "Chinese" and
    "Indian" for "Asian"). A year or an acronym is the report's or not: it is never named otherwise."""
    if name.isdigit() or name.isupper() or not about:
        return False
    related = names_related(name, about)
    if related is not None:
        return related
    names = sorted({POSSESSIVE.sub("", w) for w in _CAPITALISED.findall(about)})
    return bool(names) and means_the_same(index, name, names)


def after_the_report_step(index: Index, query: Query) -> None:
    after = after_the_report(query.text, index.facts.last_year)
    if after:
        query.checks.append(Check("after_the_report", f"it speaks of nothing dated {after.lower()}", (after,), True))


def off_topic_step(index: Index, query: Query) -> None:
    if not query.ranked or index.passages[query.ranked[0]].document not in index.facts.placed:
        return  # (the gazetteer tells councils only in the reports whose profile names it)
    named = off_topic_councils(query.text, index.facts.about[query.ranked[0]], index.facts.places)
    if named:
        reason = f"the passages closest to it are not about {_either(named)}"
        query.checks.append(Check("off_topic", reason, named, True))


def low_similarity_step(index: Index, query: Query) -> None:
    if query.confidence < index.settings.abstain_below:
        reason = "no passage is close to it"
        query.checks.append(Check("low_similarity", reason, (round(query.confidence, 4),), True))


def suggest(index: Index, query: Query) -> None:
    """For an abstaining answer: the report's names a name it never mentions may have meant
    ("Did you mean ...?") and the nearest sections, on the councils the question names or meant."""
    if not query.abstained:
        return
    unknown = query.found("not_in_report")
    meant = index.did_you_mean(list(unknown.data)) if unknown else ()
    if meant:
        query.checks.append(Check("did_you_mean", f"Did you mean {' or '.join(meant)}?", meant))
    places = index.facts.places
    named = places.named(query.text) if query.found("off_topic") else places.named(" ".join(meant))
    query.suggestions = nearest_sections(query.ranked, query.order, index.passages, index.facts.about, places, named)
