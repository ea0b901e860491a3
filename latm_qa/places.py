"""Places: officers describe councils by where they are ("a north-west borough", "the East Anglian
districts", "a Cheshire council"). A gazetteer of UK councils (data/councils.tsv: name, aliases,
kind, ceremonial county, region) tells which councils the report names lie in a described place,
so a question can be expanded with their names, and a place word is not mistaken for something
the report never mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .types import Passage, PlaceReading

COUNCIL_WORDS = r"(?:\s+(?:City|Borough|District|County|Metropolitan\s+Borough|Town))?\s+Council\b"


@dataclass(frozen=True)
class Council:
    name: str
    aliases: tuple[str, ...]
    kind: str
    county: str
    region: str

    @property
    def is_county(self) -> bool:
        """A county council, or a unitary that is its whole county (Dorset, Wiltshire)."""
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
        Council(name, tuple(a for a in aliases.split("|") if a), kind, county, region)
        for name, aliases, kind, county, region in rows
    )


def _phrase(text: str) -> str:
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


# Informal areas and adjectives beyond the ONS regions and ceremonial counties.
_AREAS = [
    ("the North", r"(?:the\s+north\s+of\s+england|northern\s+england|the\s+north(?![\w-]))",
     _in_regions("North East", "North West", "Yorkshire and the Humber")),
    ("the Midlands", r"(?<![\w-])(?:midlands?)(?![\w-])", _in_regions("East Midlands", "West Midlands")),
    ("East Anglia", r"(?<![\w-])east[\s-]+anglian?(?![\w-])", _in_counties("Norfolk", "Suffolk", "Cambridgeshire")),
    ("the Home Counties", _phrase("Home Counties"),
     _in_counties("Surrey", "Kent", "Essex", "Hertfordshire", "Buckinghamshire", "Berkshire")),
    ("the Thames Valley", _phrase("Thames Valley"), _in_counties("Berkshire", "Buckinghamshire", "Oxfordshire")),
    ("the West Country", _phrase("West Country"), _in_regions("South West")),
    ("the Black Country", _phrase("Black Country"),
     lambda c: c.name in ("Dudley", "Sandwell", "Walsall", "Wolverhampton")),
    ("southern England", r"(?:southern\s+england|the\s+south\s+of\s+england)",
     _in_regions("South East", "South West", "London")),
    ("Cornwall", r"(?<![\w-])cornish(?![\w-])", _in_counties("Cornwall")),
    ("Wales", r"(?<![\w-])(?:wales|welsh)(?![\w-])", _in_regions("Wales")),
    ("Scotland", r"(?<![\w-])(?:scotland|scottish)(?![\w-])", _in_regions("Scotland")),
    ("Northern Ireland", r"(?<![\w-])northern[\s-]+ir(?:eland|ish)(?![\w-])", _in_regions("Northern Ireland")),
    ("a metropolitan borough", r"(?<![\w-])metropolitan(?![\w-])", lambda c: c.kind == "metropolitan borough"),
    ("a unitary authority", r"(?<![\w-])unitar(?:y|ies)(?![\w-])", lambda c: c.kind == "unitary"),
    ("a London borough", _phrase("London borough"), lambda c: c.kind == "London borough"),
    ("a shire county", r"(?<![\w-])shire[\s-]+count(?:y|ies)(?![\w-])", lambda c: c.kind == "county"),
]


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
    return _phrase(region)


@lru_cache(maxsize=1)
def known_places() -> tuple[Place, ...]:
    """Every way of describing a place the gazetteer can resolve: regions, counties, informal areas."""
    councils = load_councils()
    regions = sorted({c.region for c in councils} - {"Wales", "Scotland", "Northern Ireland"})
    counties = sorted({c.county for c in councils if c.county})
    places = [Place(r, re.compile(_region_pattern(r), re.IGNORECASE), _in_regions(r)) for r in regions]
    places += [Place(c, _compile(_phrase(c)), _in_counties(c)) for c in counties if c != "Greater London"]
    places += [Place(label, _compile(pattern), covers) for label, pattern, covers in _AREAS]
    return tuple(places)


NATION_ADJECTIVES = ("Welsh", "Scottish", "Cornish", "Irish")  # used as names of places: "Welsh councils"


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Lower-cased words of every UK council, county, region and area the gazetteer knows ("brent",
    "leeds", "welsh"): names a question may use that are not misspellings of the report's names."""
    councils = load_councils()
    names = [n for c in councils for n in (c.name, *c.aliases, c.county, c.region)]
    names += [label for label, _, _ in _AREAS] + [*NATION_ADJECTIVES, "English", "British"]
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
def _any_place() -> re.Pattern[str]:
    """One pattern for every place description: most questions name none and stop here."""
    return re.compile("|".join(f"(?:{place.pattern.pattern})" for place in known_places()), re.IGNORECASE)


@lru_cache(maxsize=1)
def _council_names() -> re.Pattern[str]:
    """Every council name of more than one word ("North East Lincolnshire", "West Oxfordshire")."""
    names = sorted({n for c in load_councils() for n in (c.name, *c.aliases) if re.search(r"[\s-]", n)}, key=len)
    return re.compile("|".join(_phrase(n) for n in reversed(names)), re.IGNORECASE)


_SUFFIXES = ("Council", *(f"{kind} Council" for kind in ("City", "Borough", "District", "County", "Town")))


# e-mail and web addresses: lower case, but their words are names, not ordinary words ("jo@oldham.gov.uk")
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
                return any(f"{key} {suffix}" in grams for suffix in _SUFFIXES)
            return key in grams

        councils = tuple(c for c in load_councils() if any(named(n) for n in (c.name, *c.aliases)))
        return cls(councils, re.sub(r"\s+", " ", text).lower(), frozenset(lower_words))

    def described(self, question: str) -> tuple[PlaceReading, ...]:
        """Place descriptions in the question the report does not itself use, each with the names of the
        report's councils inside it (none: a place the report does not cover). A place used as a
        council's name ("Manchester City Council") is a name, not a description, and is skipped."""
        return _described(self, question)

    def expand(self, question: str) -> str:
        """Add the names of the report's councils in each place the question describes, and of each
        council it calls by a short name ("Staffs": Staffordshire)."""
        names = [n for r in self.described(question) for n in r.councils] + [c.name for c in self.named(question)]
        names = [n for n in names if not _name_pattern(n, True).search(question)]
        names = list(dict.fromkeys(names))
        return question if not names else f"{question} ({'; '.join(names)})"

    def named(self, question: str) -> tuple[Council, ...]:
        """The report's councils the question names ("Barnet", "South Hams"). A name that is also an
        ordinary word of the report counts only written as a name (capitalised)."""
        return _named(self, question)

    def covers(self, text: str, council: Council) -> bool:
        """Whether a text is about a council: it names the council or, for a county, one of the report's
        councils in that county (a passage on Colchester is about Essex)."""
        names = {council.name, *council.aliases}
        if council.is_county:
            names |= {c.name for c in self.councils if c.county == council.county}
        return any(_name_pattern(name, True).search(text) for name in names)

    def known_words(self, question: str) -> set[str]:
        """Lower-cased words of place descriptions that cover councils the report names, and of the
        short names the question calls the report's councils by ("Staffs")."""
        described = {r.words for r in self.described(question) if r.councils}
        aliases = {a for c in self.named(question) for a in c.aliases}
        return {word for phrase in described | aliases for word in re.split(r"[\s-]+", phrase.lower())}


@lru_cache(maxsize=256)
def _name_pattern(name: str, any_case: bool) -> re.Pattern[str]:
    return re.compile(_phrase(name), re.IGNORECASE if any_case else 0)


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
    if not _any_place().search(question):
        return ()
    out = []
    named = [m.span() for m in _council_names().finditer(question)]
    for place in known_places():
        for match in place.pattern.finditer(question):
            words = match.group(0)
            if re.match(COUNCIL_WORDS, question[match.end():]):
                continue
            if any(start <= match.start() < end or start < match.end() <= end for start, end in named):
                continue
            if re.search(_phrase(words.lower()), gazetteer.report_text):
                continue
            inside = tuple(c for c in gazetteer.councils if place.covers(c))
            if re.match(r"[\s-]+count(?:y|ies)\b", question[match.end():], re.IGNORECASE):  # "a Midlands county"
                inside = tuple(c for c in inside if c.is_county)
            out.append(PlaceReading(words, place.label, tuple(c.name for c in inside)))
    return tuple(out)


def case_studies(passages: Sequence[Passage]) -> dict[tuple, list[Passage]]:
    """The passages of each case study in reading order, by (document, heading path)."""
    out: dict[tuple, list[Passage]] = {}
    for p in passages:
        if p.section_kind == "case_study" and p.heading_path:
            out.setdefault((p.document, p.heading_path), []).append(p)
    return out


def case_study_councils(passages: Sequence[Passage], gazetteer: Gazetteer) -> dict[tuple, str]:
    """For each case study whose title names none of the report's councils ("The 2020 Vision
    Partnership"), the councils its opening passage names ("Cheltenham, Cotswold, Forest of Dean, West
    Oxfordshire"), by (document, heading path). Its later passages ("At the outset the Partnership
    brought in expert advisers") then carry them too, so a question naming one member finds them."""
    out: dict[tuple, str] = {}
    for key, (first, *_) in case_studies(passages).items():
        if gazetteer.named(first.heading_path[-1]):
            continue
        named = [c.name for c in gazetteer.named(first.text)]
        named.sort(key=lambda n: m.start() if (m := _name_pattern(n, True).search(first.text)) else len(first.text))
        # a name inside a longer one is the longer one's ("Oxfordshire" in "West Oxfordshire")
        out[key] = ", ".join(n for n in named if not any(n != m and _name_pattern(n, True).search(m) for m in named))
    return {key: names for key, names in out.items() if names}
