"""Text rules every stage shares: plain letters, words, stems, stop words, sentence ends, numbered and
dated titles. One place each, as bm25s keeps its tokenisation and stop words."""

from __future__ import annotations

import re
from functools import lru_cache

# Typesetting's ligatures, invisible hyphens and curly quotes as plain letters ("ﬁnancial" -> "financial",
# "council’s" -> "council's"), so a word reads and matches the same whatever typeset it (a word processor
# curls the quotes a markdown file has straight); a soft hyphen marks where a word may break, not a letter.
PLAIN_LETTERS = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\u00ad": "", "\u2011": "-"}
    | dict.fromkeys("‘’‚‛", "'")
    | dict.fromkeys("“”„‟", '"')
)

# --- words ------------------------------------------------------------------------------------------
WORD = re.compile(r"[\w'’-]+")  # a word as the question checks read it: letters, digits, apostrophes, hyphens
POSSESSIVE = re.compile(r"['’]s$")
YEAR = re.compile(r"^(?:19|20)\d\d$")  # a word that is a year


def word_count(text: str) -> int:
    """Words as whitespace separates them, a table's cell borders ("|") not counted (the passage
    splitter's and the benchmark's measure)."""
    return sum(word != "|" for word in text.split())


@lru_cache(maxsize=1)
def stemmer():
    """The English Snowball stemmer (PyStemmer), shared by BM25 and every rule that compares stems."""
    import Stemmer

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    return stemmer().stemWord(word)


# Words of a question that say nothing about its topic: bm25s's English stop words and question words.
QUESTION_STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these they "
    "this to was will with what which who whom whose how why when where does did do can could would should its "
    "from were has have had".split()
)

# --- sentences --------------------------------------------------------------------------------------
SENTENCE = re.compile(r"\w[.!?][\"'”’)]*(\s|$)")  # a sentence ends here (not in "example.org.uk")
# A sentence opening with one of these words leans on the one before ("This will help to support 1,400
# local jobs" says what the road before it will do).
LEANS_BACK = re.compile(r"(?:This|These|That|Those|It|Its|They|Their|Such|He|She|Both)\b")
# where one sentence of a paragraph ends and the next begins (the passage and sentence splitter's cut)
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’')]?\s+(?=[A-Z0-9£\"“‘'(])")
TERMINAL = ".!?:;\"'”’)"  # what a sentence (or a heading's date) ends with


def ends_sentence(text: str) -> bool:
    return bool(text) and text.rstrip()[-1] in TERMINAL


# --- titles -----------------------------------------------------------------------------------------
_HEADING_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")


def strip_number(label: str) -> str:
    """A heading's title without its number: "2.1. Key features" -> "Key features" ("2020 Vision" stays)."""
    return _HEADING_NUMBER.sub("", label)


# a title ending in a span of years, as case studies and other dated examples are titled: "... (2013-Present)"
DATED = re.compile(r"\((?:19|20)\d\d\s*[-–]\s*(?:[Pp]resent|(?:19|20)\d\d)\)\s*$")
# a line that opens as a numbered heading does: "2.4. Case studies", "5 Shared services"
NUMBERED = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?\s+[A-Z]")


# --- tables -----------------------------------------------------------------------------------------
# A table's row as the readers write it, a row a line, every cell's text kept: "| Total | -1,710 | -665 |"
TABLE_ROW = re.compile(r"\| .* \|")


def table_row(cells: list[str]) -> str:
    """A row's line: its cells up to the last one filled, between pipes ("|  | 2017-18 | 2018-19 |")."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    return "| " + " | ".join(cells) + " |"


def row_cells(line: str) -> list[str]:
    """The cells of a row's line (table_row's inverse)."""
    return line[2:-2].split(" | ")


def leading_rows(text: str) -> list[str]:
    """The table rows a passage's text begins with (a table starts its passage)."""
    rows = []
    for line in text.split("\n"):
        if not TABLE_ROW.fullmatch(line):
            break
        rows.append(line)
    return rows


def table_header_size(rows: list[str]) -> int:
    """How many of a table's first rows are its header: the first, and up to three right after it whose
    first cell is empty (they label columns: the years under "£ million"), with a row left below them."""
    size = 1
    while size < min(4, len(rows) - 1) and not row_cells(rows[size])[0]:
        size += 1
    return size


def read_row(header: list[str], row: str) -> str:
    """A row with each cell after its column's label: "Total policy decisions — 2017-18: -1,710; 2018-19:
    -665". A column's label is the lowest header cell filled in it; the first column, which names the
    row, is labelled only from the header's last row ("CO2 emissions (g/km): Over 255; First year rate: £2000").
    A header row is read as its cells."""
    columns = [row_cells(line) for line in header]
    labelled: list[tuple[str, str]] = []
    for j, cell in enumerate(row_cells(row)):
        above = [cells[j] for cells in (columns[-1:] if j == 0 else columns) if j < len(cells) and cells[j]]
        if cell:
            labelled.append((above[-1] if above and row not in header else "", cell))
    parts = [f"{label}: {cell}" if label else cell for label, cell in labelled]
    if len(parts) > 1 and not labelled[0][0] and row not in header:
        return parts[0] + " — " + "; ".join(parts[1:])
    return "; ".join(parts)
