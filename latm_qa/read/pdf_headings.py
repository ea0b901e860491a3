"""Which of a PDF's lines are headings, where its structure tree does not say: by font (larger than the
body, or bold at its size and standing alone), by numbering and dates in the body's own font, by a
short title-cased line above its text, and by the outline's titles."""

from __future__ import annotations

import re
from dataclasses import replace

from ..text import DATED, NUMBERED, SENTENCE, strip_number
from ..types import OutlineEntry
from .pdf_blocks import full_length
from .pdf_lines import Line
from .pdf_outline import apply_outline_entry
from .plain import looks_like_heading, title_case

_WORD = re.compile(r"[A-Za-z]+")
_TITLE_WORDS = 6  # the longest unnumbered title found in the body's font alone ("About the Authors")
_LABEL_LINES = 6  # lines below a body-font title within which its text must end a sentence
_WRAP = 1.75  # in font sizes: the farthest a heading's wrapped line sits below its first
_LARGER, _BOLD_LARGER = 1.08, 1.03  # in body sizes: a heading's font, in the body's weight or in bold
_BOLD_LINES = 3  # the most lines a title set in bold alone wraps over
_CLAUSE_GOES_ON = ",;)]"  # punctuation a run-in title's paragraph never opens with


def split_run_in_headings(lines: list[Line]) -> list[Line]:
    """A heading run in to its paragraph (LaTeX's \\paragraph: "**Kirklees Council (2011-Present)** The
    Kirklees Model ...") as a bold line of its own, then the paragraph: a bold start that is a dated
    case-study title or a short numbered one. A bold lead-in ("**Efficiency savings:** Across ...") stays, as
    does a bold start the line's sentence goes on from ("4.0 International licence; and")."""
    out: list[Line] = []
    for line in lines:
        lead = line.lead
        above: list[Line] = []  # a long title's first lines, wholly bold, just above
        while lead and len(above) < 2 and len(out) > len(above):
            prev = out[-1 - len(above)]
            if not prev.bold or prev.heading or not _close_below(prev, above[0] if above else line):
                break
            above.insert(0, prev)
        title = " ".join([*(ln.text for ln in above), lead])
        titled = bool(DATED.search(lead) or NUMBERED.match(title)) and looks_like_heading(title) and len(title) < 250
        rest = line.text[len(lead) :].strip()
        # the rest of a sentence ("4.0 International licence; and"): what follows a title opens no clause
        if not titled or not rest or rest[:1] in _CLAUSE_GOES_ON:
            out.append(line)
            continue
        out.append(replace(line, text=lead, bold=True, lead=""))
        out.append(replace(line, text=rest, lead="", x=line.x + 0.5 * line.size * len(lead)))  # about where it starts
    return out


def mark_headings(lines: list[Line], body: float, outline: tuple[OutlineEntry, ...]) -> None:
    """Heading lines: by font (larger than body, or bold and numbered, with their wrapped lines), runs
    of bold lines that end like a case-study heading ("... (2013-Present)"), and the outline's titles;
    in the body's own font, a short numbered title or a dated case-study title standing on its own."""
    key = 0
    previous: Line | None = None
    plain_before = False  # the line before is a numbered heading in the body's font
    full = full_length([len(line.text) for line in lines])  # characters in a full line of text
    for i, line in enumerate(lines):
        # larger than the body (a little larger, in bold: Chromium's h4 is 1.05 times its text)
        big = line.size >= body * (_BOLD_LARGER if line.bold else _LARGER) and bool(_WORD.search(line.text))
        # a numbered title is never set smaller than the body (table rows, notes), nor runs on as a paragraph does
        numbered = bool(NUMBERED.match(line.text)) and line.size > body - 0.5
        numbered = numbered and not _runs_on(line, lines[i + 1] if i + 1 < len(lines) else None, full)
        bold_numbered = line.bold and numbered and len(line.text) < 90
        # in the body's font: a short numbered title on a line of its own, after a sentence or heading ends,
        # and the title-cased rest of it on the next line ("Shared Service Models")
        plain = numbered and looks_like_heading(line.text) and _after_end(previous, line)
        wrapped = (
            previous is not None
            and previous.heading > 0
            and (big or line.bold or (plain_before and title_case(line.text) and looks_like_heading(line.text)))
            and (big or line.bold or len(previous.text) >= 0.7 * full)  # a plain title wraps only when it is long
            and _close_below(previous, line)
            and previous.y - line.y < _WRAP * line.size  # a heading's next line, not the next heading below it
            and not NUMBERED.match(line.text)
        )
        bold_numbered = bold_numbered or plain
        plain_before = plain and not big and not line.bold
        if big or bold_numbered or wrapped:
            if not wrapped:
                key += 1
            line.heading = key
        previous = line
    run: list[Line] = []
    for line in [*lines, None]:
        if line is not None and line.bold and not line.heading and (not run or _close_below(run[-1], line)):
            run.append(line)
            continue
        joined = " ".join(ln.text for ln in run)
        if run and len(joined) < 250 and DATED.search(joined):
            key += 1
            for ln in run:
                ln.heading = key
        run = [line] if line is not None and line.bold and not line.heading else []
    key = _mark_bold_titles(lines, body, key)
    for i, line in enumerate(lines):  # a case study titled in the body's font, on up to three lines of its own
        if line.heading or not DATED.search(line.text):
            continue
        first = i
        while i - first < 2 and first and not lines[first - 1].heading and _close_below(lines[first - 1], lines[first]):
            if lines[first - 1].text[-1:] in ".!?":
                break
            first -= 1
        title = " ".join(ln.text for ln in lines[first : i + 1])
        alone = _after_end(lines[first - 1] if first else None, lines[first])
        if alone and len(title) < 250 and looks_like_heading(title):
            key += 1
            for ln in lines[first : i + 1]:
                ln.heading = key
    for i, line in enumerate(lines):  # an unnumbered title in the body's font ("About the Authors") above its text
        below = lines[i + 1] if i + 1 < len(lines) else None
        if line.heading or line.bullet or line.footnote or below is None or below.heading:
            continue
        short = len(line.text) < 0.6 * full and len(line.text.split()) <= _TITLE_WORDS  # not a paragraph's first line
        short = short and title_case(line.text) and looks_like_heading(line.text)
        ended = i > 0 and lines[i - 1].text[-1:] in ".!?" and not lines[i - 1].heading
        next_column = below.page != line.page or below.y > line.y  # its text starts the next column or page
        heads_text = (_close_below(line, below) or next_column) and len(below.text) >= 0.7 * full
        heads_text = heads_text and not NUMBERED.match(line.text) and _sentence_follows(lines, i + 1)
        if short and ended and heads_text:
            key += 1
            line.heading = key
    for entry in outline:
        key = apply_outline_entry(lines, entry, key)


def _mark_bold_titles(lines: list[Line], body: float, key: int) -> int:
    """A title set in bold alone, at the body's size or larger: up to three wholly bold lines, one below the
    other, that end no sentence and are followed by text not in bold ("Box 1.A: The long-term fiscal
    outlook", "Key questions"); a bold sentence or paragraph, a table's bold row of figures or header row (its
    cells far apart on the line) is not one."""
    run: list[Line] = []
    for line in [*lines, None]:
        fits = line is not None and line.bold and not line.heading and not line.bullet and not line.footnote
        fits = fits and not line.spread  # a table's header row, its cells far apart, is no title
        if fits and line.size > body - 0.5 and (not run or _close_below(run[-1], line)):
            run.append(line)
            continue
        title = " ".join(ln.text for ln in run)
        letters, digits = sum(ch.isalpha() for ch in title), sum(ch.isdigit() for ch in title)
        ends = title[-1:] in ".,;:" or not (title[:1].isupper() or title[:1].isdigit())
        if run and len(run) <= _BOLD_LINES and len(title) < 250 and letters > digits and not ends:
            key += 1
            for ln in run:
                ln.heading = key
        run = [line] if fits and line.size > body - 0.5 else []
    return key


def _runs_on(line: Line, below: Line | None, full: float) -> bool:
    """Whether a numbered line is a paragraph's, not a title: a sentence ends in it ("1 Includes impact of
    change in nominal GDP. Source: ..."), or it fills its column and the line below goes on with it, not
    as a title's title-cased rest ("28. HMRC analysis estimates that ... population, as" / "announced ...")."""
    if SENTENCE.search(strip_number(line.text)):
        return True
    if below is None or len(line.text) < full or not _close_below(line, below):
        return False
    return below.text[:1].islower() or not title_case(below.text)


def _sentence_follows(lines: list[Line], start: int) -> bool:
    """Whether a sentence ends within the few lines from ``start``: text, not a label's address lines
    ("12 Market Street, Huddersfield, HD1 2AB" / "T: 01484 000 000" under "EXAMPLE RESEARCH LIMITED")."""
    return any(SENTENCE.search(line.text) for line in lines[start : start + _LABEL_LINES])


def _after_end(previous: Line | None, line: Line) -> bool:
    """Whether a line may start a heading set in the body's font: the line before it is a heading or a
    footnote, ends a sentence, or stands apart (a gap, another column or page), or there is none."""
    if previous is None or previous.heading > 0 or previous.footnote or previous.text[-1:] in ".!?:)":
        return True
    return previous.page != line.page or not 0 < previous.y - line.y < 1.5 * line.size


def _close_below(previous: Line, line: Line) -> bool:
    """The next line of the same block: same page and size, just below."""
    same_block = previous.page == line.page and abs(previous.size - line.size) < 0.5
    return same_block and 0 < previous.y - line.y < 2.2 * line.size
