"""The UK's principal councils and the ways officers describe where they are: the bundled gazetteer
(data/councils.tsv: name, aliases, kind, ceremonial county, region, "city" for a council with city
status), the regions, counties and informal areas ("the Home Counties", "a Cheshire council", "the Black
Country") it resolves, and the words of every place name it knows. Nothing here depends on a report;
``places.Gazetteer`` narrows it to one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

COUNCIL_WORDS = r"(?:\s+(?:City|Borough|District|County|Metropolitan\s+Borough|Town))?\s+Council\b"


@dataclass(frozen=True)
class Council:
    name: str
    aliases: tuple[str, ...]
    kind: str
    county: str
    region: str
    city: bool = False  # city status ("Leeds City Council", "City of London")

    @property
    def is_county(self) -> bool:
        """A county council, or a unitary that is its whole county (Cornwall, Rutland)."""
        return self.kind == "county" or self.name == self.county


@dataclass(frozen=True)
class Place:
    """A way of describing where councils are: a regex over the question and which councils it covers."""

    label: str
    pattern: re.Pattern[str]
    covers: Callable[[Council], bool]


@lru_cache(maxsize=1)
def load_councils() -> tuple[Council, ...]:
    """The bundled gazetteer of UK principal councils."""
    text = resources.files("latm_qa").joinpath("data/councils.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    return tuple(
        Council(name, tuple(a for a in aliases.split("|") if a), kind, county, region, "city" in status)
        for name, aliases, kind, county, region, *status in rows  # an editor may drop an empty last column
    )


def phrase_pattern(text: str) -> str:
    """A name as a regex: any whitespace or hyphen between words, "and" or "&"."""
    words = re.split(r"[\s-]+", text.strip())
    parts = [r"(?:and|&)" if w.lower() == "and" else re.escape(w) for w in words]
    return r"(?<![\w-])" + r"[\s-]+".join(parts) + r"(?![\w-])"


def _compile(*phrases: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE)


def _in_regions(*regions: str) -> Callable[[Council], bool]:
    return lambda c: c.region in regions


def _in_counties(*counties: str) -> Callable[[Council], bool]:
    return lambda c: c.county in counties or c.name in counties


_COVERS = {
    "regions": lambda values: lambda c: c.region in values,
    "counties": lambda values: lambda c: c.county in values or c.name in values,
    "names": lambda values: lambda c: c.name in values,
    "kind": lambda values: lambda c: c.kind in values,
}


@lru_cache(maxsize=1)
def load_areas() -> tuple[tuple[str, str, Callable[[Council], bool]], ...]:
    """Informal areas and adjectives beyond the ONS regions and ceremonial counties (data/areas.tsv: a
    label, a pattern, and the regions, counties, councils or kind of council it covers)."""
    text = resources.files("latm_qa").joinpath("data/areas.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    return tuple((label, pattern, _COVERS[kind](frozenset(values.split("|")))) for label, pattern, kind, values in rows)


def _region_pattern(region: str) -> str:
    """"North West" also as "north-west", "northwest", "north-western"; "East of England" as "eastern England"."""
    compass = re.fullmatch(r"(North|South) (East|West)", region)
    if compass:
        a, b = compass.group(1), compass.group(2)
        return rf"(?<![\w-]){a}[\s-]?{b}(?:ern)?(?![\w-])"
    if region == "East of England":
        return r"(?:east\s+of\s+england|eastern\s+england)"
    if region == "Yorkshire and the Humber":
        return r"(?<![\w-])(?:yorkshire(?:\s+and\s+the\s+humber)?|humber(?:side)?)(?![\w-])"
    return phrase_pattern(region)


@lru_cache(maxsize=1)
def known_places() -> tuple[Place, ...]:
    """Every way of describing a place the gazetteer can resolve: regions, counties, informal areas."""
    councils = load_councils()
    regions = sorted({c.region for c in councils} - {"Wales", "Scotland", "Northern Ireland"})
    counties = sorted({c.county for c in councils if c.county})
    places = [Place(r, re.compile(_region_pattern(r), re.IGNORECASE), _in_regions(r)) for r in regions]
    places += [Place(c, _compile(phrase_pattern(c)), _in_counties(c)) for c in counties if c != "Greater London"]
    places += [Place(label, _compile(pattern), covers) for label, pattern, covers in load_areas()]
    return tuple(places)


NATION_ADJECTIVES = ("Welsh", "Scottish", "Cornish", "Irish")  # used as names of places: "Welsh councils"
_ADJECTIVE_PLACES = {"welsh": "Wales", "scottish": "Scotland", "cornish": "Cornwall", "irish": "Northern Ireland"}
NATIONS = frozenset({"Wales", "Scotland", "Northern Ireland"})


def nation_of(adjective: str) -> str:
    """The nation (or county) a nation's adjective names ("Irish": Northern Ireland), else ""."""
    return _ADJECTIVE_PLACES.get(" ".join(adjective.split()).lower(), "")


@lru_cache(maxsize=1024)
def related_places(name: str) -> frozenset[str] | None:
    """The places a UK place name lies in or holds, as the gazetteer knows them, or None for a name it
    does not know as a place: for a council its county (and its nation outside England: Belfast,
    Northern Ireland); for a county, region or nation the councils and counties in it; for a nation's
    adjective ("Irish") the nation too. A text naming one of them may speak of the place without its name."""
    nation = nation_of(name)
    key = (nation or " ".join(name.split())).lower()
    out: set[str] = set()
    known = False
    for council in load_councils():
        names = {n.lower() for n in (council.name, *council.aliases)}
        if key in names:
            known = True
            out.add(council.county)
            out.update({council.region} & NATIONS)
        if key in (council.county.lower(), council.region.lower()):
            known = True
            out.update({council.name, council.county})
    if not known:
        return None
    return frozenset({n for n in out if n and n.lower() != key} | ({nation} if nation else set()))


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Lower-cased words of every UK council, county, region and area the gazetteer knows ("brent",
    "leeds", "welsh"): names a question may use that are not misspellings of the report's names."""
    councils = load_councils()
    names = [n for c in councils for n in (c.name, *c.aliases, c.county, c.region)]
    names += [label for label, _, _ in load_areas()] + [*NATION_ADJECTIVES, "English", "British"]
    return frozenset(w.lower() for name in names for w in re.findall(r"[A-Za-z]+", name))


@lru_cache(maxsize=1)
def _single_word_names() -> frozenset[str]:
    """Lower-cased one-word names of UK councils and counties ("glasgow", "kent") and the nations' adjectives."""
    names = {n for c in load_councils() for n in (c.name, *c.aliases, c.county) if n and not re.search(r"[\s-]", n)}
    return frozenset(n.lower() for n in (*names, *NATION_ADJECTIVES))


def lower_case_places(question: str) -> list[str]:
    """Words that name a UK council or county where case cannot tell a name: in a question typed all in
    lower case, every such word ("glasgow"); in one with capitals, its first word ("Kent CC savings"),
    which is capitalised anyway. Elsewhere a question with capitals writes its names with them, so there
    a lower-case word is an ordinary word."""
    if any(ch.isupper() for ch in question):
        first = re.match(r"\W*([A-Z][a-z]+)(?:['’]s)?\b", question)
        return [first.group(1)] if first and first.group(1).lower() in _single_word_names() else []
    return [w for w in dict.fromkeys(re.findall(r"[a-z]+", question)) if w in _single_word_names()]


@lru_cache(maxsize=1)
def any_place() -> re.Pattern[str]:
    """One pattern for every place description: most questions name none and stop here."""
    return re.compile("|".join(f"(?:{place.pattern.pattern})" for place in known_places()), re.IGNORECASE)


@lru_cache(maxsize=1)
def long_council_names() -> re.Pattern[str]:
    """Every council name of more than one word ("North East Lincolnshire", "West Lancashire")."""
    names = sorted({n for c in load_councils() for n in (c.name, *c.aliases) if re.search(r"[\s-]", n)}, key=len)
    return re.compile("|".join(phrase_pattern(n) for n in reversed(names)), re.IGNORECASE)


COUNCIL_SUFFIXES = ("Council", *(f"{kind} Council" for kind in ("City", "Borough", "District", "County", "Town")))
