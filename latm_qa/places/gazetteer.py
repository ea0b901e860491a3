"""Places in a report: officers describe councils by where they are ("a north-west borough", "the East
Anglian districts", "a Cheshire council"). The Gazetteer narrows the UK councils (councils.py) to those
a report names, so a question can be expanded with the names of the report's councils in a described
place, and a place word is not mistaken for something the report never mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..types import Passage, PlaceReading
from .councils import (
    COUNCIL_SUFFIXES,
    COUNCIL_WORDS,
    Council,
    any_place,
    known_places,
    load_councils,
    long_council_names,
    lower_case_places,
    phrase_pattern,
    place_words,
    related_places,
)

# e-mail and web addresses: lower case, but their words are names, not ordinary words ("jo@kirklees.gov.uk")
ADDRESS = re.compile(r"\S+@\S+|(?:https?://|www\.|mailto:)\S+|\b[\w.-]+\.(?:gov|org|co|ac|nhs)\.uk\S*", re.IGNORECASE)


def _words(text: str) -> list[str]:
    """Words as names are compared: "&" is "and", possessives dropped, hyphens and commas separate, case kept."""
    return ["and" if w == "&" else re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w'’]+|&", text)]


def _ordinary(name: str, lower_words: Iterable[str]) -> bool:
    """Whether a one-word name is also an ordinary (lower-case) word of the report: "Reading", "Bath"."""
    key = " ".join(_words(name))
    return " " not in key and key.lower() in lower_words


def _ngrams(words: list[str], longest: int) -> set[str]:
    return {" ".join(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}


@dataclass(frozen=True)
class Gazetteer:
    """The councils a set of report texts names, and how a question's place words map onto them."""

    councils: tuple[Council, ...]  # named in the report
    report_text: str  # the report lower-cased, whitespace collapsed
    ordinary: frozenset[str] = frozenset()  # lower-case words of the report: names that are words too ("reading")
    active: bool = True  # False: no gazetteer (a report whose profile names none): no place is read

    @classmethod
    def none(cls) -> Gazetteer:
        """No gazetteer: no council is named and no place description is read."""
        return cls((), "", frozenset(), active=False)

    def place_words(self) -> frozenset[str]:
        """Words of every place the gazetteer knows (kept as typed by the spelling step); none without one."""
        return place_words() if self.active else frozenset()

    def lower_case_places(self, question: str) -> list[str]:
        """Words naming a council or county where case cannot tell a name (see councils.lower_case_places)."""
        return lower_case_places(question) if self.active else []

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Gazetteer:
        """The councils the texts name, as capitalised word sequences. A one-word name that is also an
        ordinary word of the texts ("Reading", "Bath") counts only when "Council" or "Borough Council"... follows."""
        text = " ".join(texts)
        words = _words(text)
        lower_words = {w for w in _words(ADDRESS.sub(" ", text)) if w.islower()}
        grams = _ngrams(words, 8)

        def named(name: str) -> bool:
            key = " ".join(_words(name))
            if _ordinary(name, lower_words):
                return any(f"{key} {suffix}" in grams for suffix in COUNCIL_SUFFIXES)
            return key in grams

        councils = tuple(c for c in load_councils() if any(named(n) for n in (c.name, *c.aliases)))
        return cls(councils, re.sub(r"\s+", " ", text).lower(), frozenset(lower_words))

    def described(self, question: str) -> tuple[PlaceReading, ...]:
        """Place descriptions in the question the report does not itself use, each with the names of the
        report's councils inside it (none: a place the report does not cover). A place used as a
        council's name ("Manchester City Council") is a name, not a description, and is skipped."""
        return _described(self, question) if self.active else ()

    def expand(self, question: str) -> str:
        """Add the names of the report's councils in each place the question describes, and of each
        council it calls by a short name ("Lancs": Lancashire)."""
        names = [n for r in self.described(question) for n in r.councils] + [c.name for c in self.named(question)]
        names = [n for n in names if not _name_pattern(n, True).search(question)]
        names = list(dict.fromkeys(names))
        return question if not names else f"{question} ({'; '.join(names)})"

    def named(self, question: str) -> tuple[Council, ...]:
        """The report's councils the question names ("Kirklees", "North Tyneside"). A name that is also an
        ordinary word of the report counts only written as a name (capitalised)."""
        return _named(self, question)

    def covers(self, text: str, council: Council) -> bool:
        """Whether a text is about a council: it names the council or, for a county, one of the report's
        councils in that county (a passage on Lancaster is about Lancashire)."""
        names = {council.name, *council.aliases}
        if council.is_county:
            names |= {c.name for c in self.councils if c.county == council.county}
        return any(_name_pattern(name, True).search(text) for name in names)

    def known_words(self, question: str) -> set[str]:
        """Lower-cased words of place descriptions that cover councils the report names, and of the
        short names the question calls the report's councils by ("Staffs")."""
        described = {r.words for r in self.described(question) if r.councils}
        aliases = {a for c in self.named(question) for a in c.aliases}
        return {word for phrase in described | aliases for word in _words_of(phrase)}

    def uncovered(self, question: str) -> list[str]:
        """Place descriptions in the question, as typed, that hold none of the report's councils ("east
        sussex", "North Yorkshire"), unless another reading of the same words does ("West Midlands" the
        county holds none, the region holds the report's council there)."""
        known = self.known_words(question)
        return [r.words for r in self.described(question) if not r.councils and not _words_of(r.words) <= known]


def _words_of(phrase: str) -> set[str]:
    return set(re.split(r"[\s-]+", phrase.lower()))


@lru_cache(maxsize=8192)  # every name and alias of the councils a library names, both ways
def _name_pattern(name: str, any_case: bool) -> re.Pattern[str]:
    return re.compile(phrase_pattern(name), re.IGNORECASE if any_case else 0)


@lru_cache(maxsize=512)
def _named(gazetteer: Gazetteer, question: str) -> tuple[Council, ...]:
    """Gazetteer.named, cached: a question's abstention check and its suggestions both ask."""
    out = []
    for council in gazetteer.councils:
        for name in (council.name, *council.aliases):
            if _name_pattern(name, not _ordinary(name, gazetteer.ordinary)).search(question):
                out.append(council)
                break
    return tuple(out)


@lru_cache(maxsize=512)
def _described(gazetteer: Gazetteer, question: str) -> tuple[PlaceReading, ...]:
    """Gazetteer.described, cached: a question's scoring and its abstention check both ask."""
    if not any_place().search(question):
        return ()
    out = []
    named = [m.span() for m in long_council_names().finditer(question)]
    for place in known_places():
        for match in place.pattern.finditer(question):
            words = match.group(0)
            if re.match(COUNCIL_WORDS, question[match.end():]):
                continue
            # inside a longer council's name ("Lincolnshire" in "North East Lincolnshire"), not the county's own
            if any(
                (start, end) != match.span() and (start <= match.start() < end or start < match.end() <= end)
                for start, end in named
            ):
                continue
            if re.search(phrase_pattern(words.lower()), gazetteer.report_text):
                continue
            inside = tuple(c for c in gazetteer.councils if place.covers(c))
            after = question[match.end():]
            if re.match(r"[\s-]+count(?:y|ies)\b", after, re.IGNORECASE):  # "a Midlands county"
                inside = tuple(c for c in inside if c.is_county)
            elif re.match(r"[\s-]+cit(?:y|ies)\b", after, re.IGNORECASE):  # "a south-west city"
                inside = tuple(c for c in inside if c.city) or inside  # a big town may be called a city
            out.append(PlaceReading(words, place.label, tuple(c.name for c in inside)))
    return tuple(out)


def names_related(name: str, text: str) -> bool | None:
    """Whether a text names a place that a UK place name lies in or holds (a passage on Norwich for
    "Norfolk", on Northern Ireland for "Belfast"), written as a name; None for a name the gazetteer does not
    know as a place."""
    related = related_places(name)
    if related is None:
        return None
    return any(_name_pattern(place, False).search(text) for place in related)


def case_studies(passages: Sequence[Passage]) -> dict[tuple, list[Passage]]:
    """The passages of each case study in reading order, by (document, heading path)."""
    out: dict[tuple, list[Passage]] = {}
    for p in passages:
        if p.section_kind == "case_study" and p.heading_path:
            out.setdefault((p.document, p.heading_path), []).append(p)
    return out


def case_study_councils(passages: Sequence[Passage], gazetteer: Gazetteer) -> dict[tuple, str]:
    """For each case study whose title names none of the report's councils ("The 2020 Vision
    Partnership"), the councils its opening passage names ("Calderdale, Kirklees ..." in a shared-service
    partnership's), by (document, heading path). Its later passages ("At the outset the Partnership
    brought in expert advisers") then carry them too, so a question naming one member finds them."""
    out: dict[tuple, str] = {}
    for key, (first, *_) in case_studies(passages).items():
        if gazetteer.named(first.heading_path[-1]):
            continue
        named = [c.name for c in gazetteer.named(first.text)]
        named.sort(key=lambda n: m.start() if (m := _name_pattern(n, True).search(first.text)) else len(first.text))
        # a name inside a longer one is the longer one's ("Lancashire" in "West Lancashire")
        out[key] = ", ".join(n for n in named if not any(n != m and _name_pattern(n, True).search(m) for m in named))
    return {key: names for key, names in out.items() if names}
