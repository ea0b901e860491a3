"""PDF lines to blocks: headings, paragraphs, list items and footnotes, with their pages.

Paragraph breaks are read from the document's own layout: the gap it puts between paragraphs, an
indented first line, the left edge list items share, and whether a line fills its column before a
page or column break.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..types import Block
from .pdf_lines import Line
from .pdf_tables import split_tables, with_tables

_WORD = re.compile(r"[A-Za-z]+")
_COMPOUND = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")
_NO_GAP = 1.45  # in line spacings: a paragraph's threshold where the document puts no space between them
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)]*\s*$")


def lines_to_blocks(lines: list[Line]) -> list[Block]:
    """Group lines into headings, paragraphs, list items, footnotes and tables, across page breaks. A
    tagged PDF's table is a table block of its rows (its cells' lines in order); the text around it is
    read as below, with a break where the table stood."""
    body, tables = split_tables(lines)
    return with_tables(_text_blocks(body, {at for at, _ in tables}), tables)


def _text_blocks(lines: list[Line], breaks: set[int]) -> list[tuple[int, Block]]:
    """Headings, paragraphs, list items and footnotes, each with the index of its first line; a block
    always starts at an index in ``breaks`` (where a table stood).

    A paragraph starts after a gap wider than the line spacing (the document's own paragraph gap is
    read from the gaps it uses most), at an indented first line, or, at a page or column break, when
    the previous line ends a sentence short of the column's width (a full line runs on).
    """
    vocab = vocabulary(line.text for line in lines)
    gaps = Counter(
        round(a.y - b.y)
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and not a.heading and not b.heading and a.y > b.y
    )
    line_gap = float(gaps.most_common(1)[0][0]) if gaps else 14.0
    paragraph_gap = _paragraph_gap(gaps, line_gap)
    gapless = paragraph_gap == _NO_GAP * line_gap  # paragraphs set apart by no gap (nor, unless indented, indent)
    full = _full_line_lengths(lines)
    indents = [
        _first_line_indent(above, line, below, line_gap)
        for above, line, below in zip([None, *lines[:-1]], lines, [*lines[1:], None], strict=True)
    ]
    indented_style = sum(indents) >= 3
    listed = _glyphless_item_edges(lines)  # the left edges of list items whose bullets are drawn, not text
    # heading levels for a report without numbered headings: 1 for the largest heading font, and so on
    # (at one size, bold before the body's weight)
    styles = sorted({(round(line.size * 2), line.bold) for line in lines if line.heading}, reverse=True)
    ranks = {style: rank for rank, style in enumerate(styles, 1)}
    blocks: list[tuple[int, Block]] = []
    kind, text, marks, prev, lines_in_block, first = "paragraph", "", [], None, 0, lines[0] if lines else None
    start = 0

    def flush() -> None:
        if text.strip():
            hint = 0
            if kind == "heading":  # a tagged heading's level (H2: 2) as a markdown "##" gives it; else its font's rank
                hint = first.tag.level if first.tag else ranks[(round(first.size * 2), first.bold)]
            block = Block(kind=kind, text=text.strip(), pages=tuple(marks), heading_hint=hint)  # type: ignore[arg-type]
            blocks.append((start, block))

    for index, (line, indented) in enumerate(zip(lines, indents, strict=True)):
        if index in breaks:
            prev = None  # a table stood here: what follows starts anew
        if line.heading:
            line_kind, new = "heading", prev is None or prev.heading != line.heading
        else:
            glyphless_item = round(line.x) in listed and not line.footnote
            line_kind = "footnote" if line.footnote else ("item" if line.bullet or glyphless_item else "paragraph")
            new = prev is None or bool(prev.heading) or line.footnote or line.bullet
            new = new or bool(listed) and line_kind != kind  # into or out of a list drawn without glyphs
            if not new and prev is not None:
                jumped = prev.page != line.page or line.y > prev.y + line_gap  # next page or column
                if glyphless_item:
                    # one item ends where a sentence or a short entry ("Kirklees Council (2012) Annual Review") does
                    ends = bool(_SENTENCE_END.search(text)) or len(prev.text) < 0.8 * full.get(round(prev.x), 10**6)
                    new = (ends and line.text[:1].isupper()) or (not jumped and prev.y - line.y > paragraph_gap)
                elif kind == "footnote":
                    # a footnote at a page's foot ends there: the next page's first line is body text again
                    apart = prev.y - line.y > min(1.2 * line_gap, paragraph_gap)
                    new = jumped or apart or abs(line.size - prev.size) >= 0.5
                elif kind == "item" and not jumped:
                    # an item's wrapped lines share one left edge (its first line may hang out to the left)
                    shift = line.x - prev.x
                    moved = shift < -0.5 * line.size if lines_in_block == 1 else abs(shift) > 0.15 * line.size
                    new = moved or prev.y - line.y > paragraph_gap
                elif indented and kind != "item":
                    new = True
                else:
                    # a sentence ending short of the column's width ends its paragraph, at a page or column
                    # break as in a layout that sets paragraphs apart by neither a gap nor an indent
                    stops = ".!?:" if jumped else ".!?"  # "... Councils:" wraps early before a long e-mail address
                    ends = text.rstrip()[-1:] in stops and line.text[:1].isupper() and not indented_style
                    ends = ends and (jumped or gapless) and len(prev.text) < full.get(round(prev.x), 10**6)
                    new = ends or (not jumped and prev.y - line.y > paragraph_gap)
        if new:
            flush()
            kind, text, marks, lines_in_block, first = line_kind, line.text, [(0, line.page)], 0, line
            start = index
        else:
            if prev is not None and line.page != prev.page:
                marks.append((len(join_wrapped(text, "x", vocab)) - 1, line.page))
            text = join_wrapped(text, line.text, vocab)
        prev = line
        lines_in_block += 1
    flush()
    return blocks


def _glyphless_item_edges(lines: list[Line]) -> set[int]:
    """Left edges of list items in a PDF that draws its bullets as shapes (Chromium's print-to-PDF): no
    line has a bullet glyph, and body lines start at one edge and a good many at another a little to
    its right (half a line's height to six), on the same pages."""
    if any(line.bullet for line in lines):
        return set()
    edges: dict[int, set[int]] = {}
    for line in lines:
        if not line.heading and not line.footnote:
            edges.setdefault(round(line.x), set()).add(line.page)
    counts = Counter(round(line.x) for line in lines if not line.heading and not line.footnote)
    size = sorted(line.size for line in lines)[len(lines) // 2] if lines else 10.0
    return {
        edge
        for edge, n in counts.items()
        if n >= 5
        and any(
            0.5 * size < edge - other <= 6 * size and counts[other] > n and edges[edge] & edges[other]
            for other in counts
        )
    }


def _paragraph_gap(gaps: Counter[int], line_gap: float) -> float:
    """The gap above which a paragraph starts: halfway to the space the document puts between
    paragraphs (its most common gap a little wider than a line), else 1.45 line spacings."""
    total = sum(gaps.values())
    wider = [(count, gap) for gap, count in gaps.items() if 1.15 * line_gap <= gap <= 2.6 * line_gap]
    if wider:
        count, gap = max(wider)
        if count >= max(3, 0.02 * total):
            return (line_gap + gap) / 2
    return _NO_GAP * line_gap


def _full_line_lengths(lines: list[Line]) -> dict[int, float]:
    """Per left edge (a column), the length in characters of a line that fills the column."""
    lengths: dict[int, list[int]] = {}
    for line in lines:
        if not line.heading and not line.footnote:
            lengths.setdefault(round(line.x), []).append(len(line.text))
    return {x: full_length(ns) for x, ns in lengths.items() if len(ns) >= 5}


def full_length(lengths: list[int]) -> float:
    """From how many characters a line counts as full (it ran on to the next): 85% of the length that
    a quarter of the lines reach."""
    return 0.85 * sorted(lengths)[int(0.75 * (len(lengths) - 1))] if lengths else float(10**6)


@dataclass(frozen=True)
class Vocabulary:
    """A document's words, lower-cased: what tells a word broken at a line's end ("trans-" / "formation")
    from a hyphenated one ("socio-" / "economic")."""

    words: frozenset[str] = frozenset()
    compounds: frozenset[str] = frozenset()  # hyphenated words written whole on a line ("long-term")
    breaks_words: bool = False  # the typesetter hyphenates: most line-end hyphens break a word

    def __contains__(self, word: str) -> bool:
        return word in self.words


def vocabulary(lines: Iterable[str]) -> Vocabulary:
    """The words of a document's lines, in reading order, and whether its typesetter breaks words at a
    line's end: at least three line-end hyphens rejoin into words it uses elsewhere, three times as many
    as rejoin into its hyphenated words (a word processor that does not hyphenate has next to none)."""
    lines = list(lines)
    # a word's halves at a line-end hyphen ("supe-" / "rior") are not words of the document
    halves = [re.sub(r"[A-Za-z]+-$", "", text) for text in lines]
    halves = [
        re.sub(r"^[a-z]+", "", text) if before.endswith("-") else text
        for before, text in zip(["", *lines], halves, strict=False)
    ]
    words = frozenset(w.lower() for text in halves for w in _WORD.findall(text))
    compounds = frozenset(m.lower() for text in lines for m in _COMPOUND.findall(text))
    broken = compound = 0
    for before, after in zip(lines, lines[1:], strict=False):
        head, tail = re.search(r"([A-Za-z]+)-$", before), re.match(r"[a-z]+", after)
        if head and tail:
            broken += (head.group(1) + tail.group(0)).lower() in words
            compound += f"{head.group(1)}-{tail.group(0)}".lower() in compounds
    return Vocabulary(words, compounds, broken >= 3 and broken >= 3 * compound)


def _first_line_indent(above: Line | None, line: Line, below: Line | None, line_gap: float) -> bool:
    """An indented first line: set in from the line below it, which is back at the column's edge, as
    the line above is (unless that one is a heading or in another column; a list item's last line is not)."""
    if below is None or line.heading or below.heading or line.bullet or line.footnote or below.footnote:
        return False
    if abs(line.size - below.size) >= 0.5 or not (below.page == line.page and 0 < line.y - below.y < 1.6 * line_gap):
        return False
    if not 0.8 * line.size < line.x - below.x < 5 * line.size:
        return False
    if above is None or above.heading or above.page != line.page or not 0 < above.y - line.y < 3 * line_gap:
        return True  # first in its column or under a heading
    return abs(above.x - below.x) < 0.15 * line.size


# Word endings that are never words of their own: a hyphen before one at a line's end only breaks a
# word ("conversa-" / "tions", "Partner-" / "ship", as a typesetter hyphenates).
_SUFFIXES = frozenset(
    "tion tions sion sions ment ments ness ship ships ity ities ing ings ance ances ence ences ally ised "
    "ized isation ization ising izing ous ive ively ible able ably ful".split()
)


def join_wrapped(before: str, after: str, vocab: Vocabulary) -> str:
    """Join a wrapped line. An address broken at its "@" or a dot rejoins without a space. A hyphen at the
    break goes when the unbroken word is used elsewhere or the line goes on with a mere word ending; where
    the typesetter breaks words, also unless the document writes the hyphenated word whole or both halves
    are words of its own ("outcome-" / "based", "arm's-" / "length")."""
    last, first = before.rsplit(" ", 1)[-1], after.split(" ", 1)[0]
    if before.endswith(("/", "@")) or _split_address(last, first):
        return before + after  # "shared/" + "joint", "Jane.Smith@" + "kirklees.gov.uk", "Jane." + "Smith@..."
    if not before.endswith("-") or before.endswith(" -"):
        return f"{before} {after}"
    head = re.search(r"(['’]?)([A-Za-z]+)-$", before)
    tail = _WORD.match(after)
    if head and tail and (after[:1].islower() or head.group(2).isupper() and tail.group(0).isupper()):
        word, rest = head.group(2).lower(), tail.group(0).lower()
        compound = f"{word}-{rest}" in vocab.compounds or bool(head.group(1)) or (word in vocab and rest in vocab)
        if word + rest in vocab or rest in _SUFFIXES or vocab.breaks_words and not compound:
            return before[:-1] + after
    return before + after


def _split_address(last: str, first: str) -> bool:
    """Whether an e-mail address runs over the break: "Tom.Brown@Calderdale." + "gov.uk", or a name and
    its dot before the rest of the address ("Jane." + "Smith@calderdale.gov.uk")."""
    if not last.endswith("."):
        return False
    if "@" in last:
        return bool(re.match(r"[a-z]{2,}\b", first))
    return "@" in first and bool(re.fullmatch(r"(?:[A-Za-z]+\.)*[A-Z][a-z]+\.", last))
