"""Abstention: telling a question the report does not answer from one it does, and why.

Four checks, each with a reason the page and the CLI show:
- names, years, places and acronyms the report never mentions ("Glasgow", "2019", "East Sussex", "TUPE");
- a time after the last year the report mentions ("How did the contracts perform after 2020?" when its
  latest year is a 2020 target): nothing in it is dated later, so it can only guess;
- councils the question names that its best passage is not about ("How much parking income did Barnet
  raise?" whose best passage is on Warrington's property income);
- a best passage too far from the question (its cosine below the ``abstain_below`` setting, which
  ``Index.ask`` compares itself).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..places.councils import Council, lower_case_places
from ..places.gazetteer import Gazetteer, case_studies
from ..text import YEAR
from ..types import Passage
from .acronyms import unknown_acronyms

_AFTER_YEAR = re.compile(
    r"\b(?:after|since|beyond|post-?|later than)\s*(?:the\s+(?:end\s+of\s+)?)?((?:19|20)\d\d)\b", re.I
)
_NAME_OR_YEAR = re.compile(r"(?<![\w'])(?:[A-Z][a-z][\w'-]*|(?:19|20)\d\d)\b")


def corpus_vocabulary(texts: list[str]) -> set[str]:
    """Lower-cased words of the report, with possessives and hyphenated parts also on their own."""
    vocab: set[str] = set()
    for text in texts:
        for word in re.findall(r"[\w'’-]+", text.lower()):
            word = re.sub(r"['’]s$", "", word)
            vocab.add(word)
            vocab.update(part for part in re.split(r"[-'’]", word) if part)
    return vocab


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Names and years the question uses that appear nowhere in the report ("Glasgow", "2019").

    The first word is skipped (capitalised anyway); possessives are reduced ("Kent's" -> "Kent"); unknown
    words next to each other are one name ("Tunbridge Wells", not "Tunbridge" and "Wells").
    """
    names: list[str] = []
    open_end = None  # where the last name ended, while a word right after it would continue it
    for match in _NAME_OR_YEAR.finditer(question):
        if match.start() == 0:
            continue
        word = re.sub(r"['’]s$", "", match.group(0))
        if word.lower() in vocabulary:
            open_end = None
            continue
        if open_end is not None and question[open_end : match.start()] == " " and not word.isdigit():
            names[-1] = f"{names[-1]} {word}"
        else:
            names.append(word)
        open_end = match.end() if word == match.group(0) and not word.isdigit() else None
    return names


def last_year(vocabulary: set[str]) -> int | None:
    """The latest year the report mentions (a target year counts: "by 2020"), or None if it names none."""
    return max((int(w) for w in vocabulary if YEAR.match(w)), default=None)


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
    description that covers councils the report names ("Staffs", "the north-west borough") counts as known."""
    known = vocabulary | places.known_words(question)
    unknown = unknown_names(question, known) + [w for w in lower_case_places(question) if w.lower() not in known]
    unknown += places.uncovered(question)  # however typed: "east sussex", "North Yorkshire"
    return _once(unknown) + unknown_acronyms(question, vocabulary, acronyms, is_whole_word)


def _once(names: list[str]) -> list[str]:
    """Each name once, as first typed, in the order typed; a word of a longer name only in it ("Yorkshire"
    in "North Yorkshire")."""
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(name.lower(), name)
    return [n for n in first.values() if not any(n != m and n.lower() in m.lower().split() for m in first.values())]


def about_texts(passages: Sequence[Passage]) -> list[str]:
    """What each passage is about, for telling whether it is on a council a question names: its heading
    path and text, and for a case study the whole case study (its second passage, on what "the
    partnership" shares, no longer names the four councils its first passage introduced)."""
    whole = {key: "\n".join(p.text for p in members) for key, members in case_studies(passages).items()}
    return [" / ".join(p.heading_path) + "\n" + whole.get((p.document, p.heading_path), p.text) for p in passages]


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
    on_named = [row for row in ranked if any(places.covers(about[row], council) for council in named)]
    seen: dict[str, Passage] = {}
    for row in [*on_named[:3], *shown]:
        seen.setdefault(" / ".join(passages[row].heading_path), passages[row])
    return tuple(seen.values())[:3]
