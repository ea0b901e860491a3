"""Varied copies of real reports for the scale benchmark (eval/scale.py): same shape, different text.

Each copy gets its own title line, its councils and counties swapped for others from the gazetteer, a few
organisations and common words swapped, its sums, percentages and counts scaled by a per-copy factor and
its years shifted; all seeded by the copy's number, so copy n is the same text on every run. Markdown
structure is kept: heading markers and section numbers, list numbers, footnote markers and link targets.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "councils.tsv"
# Gazetteer names that are also ordinary words or people's names: never swapped.
AMBIGUOUS = {"Reading", "Bury", "Hart", "Eden", "Wealden", "Copeland", "Richmond", "Preston", "Lincoln"}
ORGANISATIONS = {
    "Local Government Association": ["County Councils Network", "District Councils' Network", "Key Cities group"],
    "Department for Work and Pensions": ["Department for Employment and Support", "Ministry of Work and Welfare"],
    "HM Treasury": ["the Finance Ministry", "HM Exchequer"],
    "18F": ["GovLab", "the Digital Service Team", "Civic Tech Unit"],
}
# Common words and a synonym each: a copy swaps a seeded half of them, so that plain prose differs too.
SYNONYMS = {
    "council": "authority", "councils": "authorities", "report": "paper", "service": "function",
    "services": "functions", "approach": "method", "approaches": "methods", "important": "key",
    "example": "instance", "staff": "employees", "support": "help",
    "improve": "strengthen", "develop": "build", "ensure": "make sure", "provide": "offer",
    "significant": "substantial", "model": "pattern", "models": "patterns", "project": "programme",
    "projects": "programmes", "pupils": "learners", "people": "residents", "government": "administration",
    "local": "municipal", "new": "fresh", "also": "as well",
    "including": "among them", "increase": "rise", "reduce": "cut", "should": "ought to",
}
TITLES = ["{title}: {place} edition", "{title} ({place}, {year})", "{place} review: {title}",
          "{title}, revised for {place}", "{title}: lessons from {place}"]
HEADING = re.compile(r"^(#{1,6}\s+(?:(?:\d+|[A-Z])(?:\.\d+)*\.?\s+)?)(.*)$")
PROTECTED = r"<sup>.*?</sup>|\]\([^)]*\)|<[^>]+>|https?://\S+|mailto:\S+|^\s*(?:\d+[.)]|[-*+])\s"
YEAR = r"\b(?:19[5-9]\d|20[0-4]\d)\b"
MONEY = r"[£$€]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:bn|billion|m|million|k|thousand)\b)?"
PERCENT = r"\b\d+(?:\.\d+)?(?:\s?%|\s(?:percent|per cent)\b)"
COUNT = r"\b\d{1,3}(?:,\d{3})+\b|\b\d{2,}(?=\s[a-z])"


@dataclass(frozen=True)
class Variation:
    """What one copy changes: its title, names, words, figure factor and year shift."""

    copy: int
    place: str
    names: dict[str, str]
    words: dict[str, str]
    factor: float
    year_shift: int
    title_form: str


@lru_cache(maxsize=1)
def gazetteer_names() -> tuple[str, ...]:
    """Council and county names of the gazetteer, unambiguous ones only, longest first."""
    with GAZETTEER.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    names = {row[col].strip() for row in rows for col in ("name", "county") if row.get(col)}
    return tuple(sorted(names - AMBIGUOUS, key=lambda n: (-len(n), n)))


def make_variation(copy: int, seed: int = 0) -> Variation:
    """Copy ``copy``'s variation: every name mapped to another, seeded by (seed, copy)."""
    rng = random.Random(f"scale:{seed}:{copy}")
    pool = list(gazetteer_names())
    rng.shuffle(pool)
    mapping = {name: pool[(i + 1) % len(pool)] for i, name in enumerate(pool)}  # a cycle: no name kept
    mapping.update({org: rng.choice(choices) for org, choices in ORGANISATIONS.items()})
    words = {w: s for w, s in SYNONYMS.items() if rng.random() < 0.5}
    factor = round(rng.choice([rng.uniform(0.55, 0.95), rng.uniform(1.05, 1.8)]), 2)
    shift = rng.choice([-4, -3, -2, -1, 1, 2, 3])
    return Variation(copy, rng.choice(pool), mapping, words, factor, shift, rng.choice(TITLES))


def vary_text(text: str, variation: Variation) -> str:
    """The report's text as copy ``variation.copy``: markdown headings and numbering kept."""
    lines, titled = [], False
    for line in text.split("\n"):
        heading = HEADING.match(line)
        if heading and not titled and line.startswith("# "):
            titled = True
            title = swap_names(heading.group(2).strip(), variation)
            year = 2000 + variation.copy % 25
            lines.append("# " + variation.title_form.format(title=title, place=variation.place, year=year))
        elif heading:
            lines.append(heading.group(1) + _vary_span(heading.group(2), variation, figures=False))
        else:
            lines.append(_vary_span(line, variation, figures=True))
    return "\n".join(lines)


def swap_names(text: str, variation: Variation) -> str:
    """Only the names swapped (for a question about a copy)."""
    return _names_pattern(tuple(variation.names)).sub(lambda m: variation.names[m.group(0)], text)


def _vary_span(text: str, variation: Variation, figures: bool) -> str:
    parts = [PROTECTED, YEAR] + ([MONEY, PERCENT, COUNT] if figures else [])
    figure = re.compile("|".join(f"({p})" for p in parts), re.MULTILINE)

    def replace(match: re.Match) -> str:
        found = match.group(0)
        if match.group(1):
            return found
        if match.group(2):
            return str(int(found) + variation.year_shift)
        return _scale_numbers(found, variation.factor, percent=bool(match.group(4)))

    pieces, last = [], 0
    for match in figure.finditer(text):
        pieces += [_vary_words(text[last:match.start()], variation), replace(match)]
        last = match.end()
    pieces.append(_vary_words(text[last:], variation))
    return "".join(pieces)


def _vary_words(text: str, variation: Variation) -> str:
    text = swap_names(text, variation)
    if not variation.words:
        return text
    pattern = _words_pattern(tuple(variation.words))
    return pattern.sub(lambda m: _same_case(m.group(0), variation.words[m.group(0).lower()]), text)


def _scale_numbers(text: str, factor: float, percent: bool) -> str:
    def scale(match: re.Match) -> str:
        raw = match.group(0)
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        value = float(raw.replace(",", "")) * factor
        if percent and float(raw.replace(",", "")) <= 100:
            value = min(value, 99.0)
        if decimals == 0:
            value = max(round(value), 1)
            return f"{value:,}" if "," in raw else str(value)
        return f"{value:,.{decimals}f}" if "," in raw else f"{value:.{decimals}f}"

    return re.sub(r"\d[\d,]*(?:\.\d+)?", scale, text, count=1)


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


@lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    ordered = sorted(names, key=lambda n: (-len(n), n))
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")


@lru_cache(maxsize=64)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
