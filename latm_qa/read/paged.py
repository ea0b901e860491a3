"""Plain text taken from a PDF (pdftotext and the like): pages split by form feeds.

Such a file repeats a running header and footer on every page, puts each page number on a line of its
own, sets footnotes at the foot of a page ("1" on a line, then its text) with their marks glued to the
word they follow ("Parliament.1 So"), and often has no blank line between paragraphs. Here the
running lines and page numbers are dropped, footnotes become footnote blocks with their marks taken
out of the text, and a paragraph ends at a blank line or at a line that ends a sentence short of a
full line. Each block knows its pages, so citations give them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ..text import DATED, NUMBERED, TERMINAL
from ..types import Block
from .pdf_blocks import Vocabulary, full_length, join_wrapped, vocabulary
from .pdf_lines import PAGE_NUMBER, line_key, running_threshold

PAGE_BREAK = "\f"
# a list item: "- text", "• text"; a bullet glyph at any indent ("    • text", as a word processor's
# plain-text export sets a list), a dash or star only near the margin
ITEM = re.compile(r"^(?:\s{0,3}[-*+]|\s*[•▪◦●■‣∙·])\s+(.*)$")
_LONE_NUMBER = re.compile(r"\d{1,3}")
_LOST_DASH = re.compile(r"\(((?:19|20)\d\d)(Present|(?:19|20)\d\d)\)")
_MARKED_END = re.compile(r"[.!?;:)]\d{1,3}$")
_GLUED_NOTE = re.compile(r"^(.*[a-z])(\d{1,2})$")  # "... ethnic and/or socio2": "socio-" and note 2
_RUN_IN = re.compile(r"^(\S.{2,200}?\((?:19|20)\d\d\s*[-–]\s*(?:[Pp]resent|(?:19|20)\d\d)\))\s+([A-Z\d£\"'“‘].*)$")
MARGIN = 2  # a page's first and last lines that may be a running header, footer or page number
_FOOT = 4  # lines from a page's end within which a footnote is the last thing on the page


def is_paged(text: str) -> bool:
    """Whether a text file holds pages: form feeds between them, as pdftotext writes."""
    return text.count(PAGE_BREAK) >= 2


def paged_blocks(
    text: str, is_heading: Callable[[str], bool], heading_hint: Callable[[str], int]
) -> tuple[list[Block], int]:
    """The blocks of a paged text file and its number of pages. ``is_heading(line)`` tells a heading set
    on a line of its own ("2.4. Case studies", a dated case study) from a line of body text, and
    ``heading_hint(line)`` how strong a heading it is (1: set as a title; 0: weak)."""
    pages = [[line.strip() for line in page.split("\n")] for page in text.split(PAGE_BREAK)]
    while pages and not any(pages[-1]):
        pages.pop()
    pages = _drop_running_lines(pages)
    pages, notes = _split_footnotes(pages, full_length([len(line) for page in pages for line in page if line]))
    body = [line for page in pages for line in page if line]
    full = full_length([len(line) for line in body])
    pages = [_join_wrapped_headings(page, is_heading, full) for page in pages]
    vocab = vocabulary(body)
    blocks: list[Block] = []
    kind, text_so_far, marks = "paragraph", "", [(0, 1)]

    def flush() -> None:
        if text_so_far.strip():
            hint = heading_hint(text_so_far.strip()) if kind == "heading" else 0
            blocks.append(Block(kind=kind, text=text_so_far.strip(), pages=tuple(marks), heading_hint=hint))  # type: ignore[arg-type]

    ended = sentence_ended = True  # the line before ended a paragraph / a sentence
    for number, page in enumerate(pages, 1):
        lines = _trim(page)
        sentence_ended = sentence_ended or bool(lines and NUMBERED.match(lines[0]))  # "8. ..." tops a page
        for i, line in enumerate(lines):
            if not line:
                ended = sentence_ended = True
                continue
            item = ITEM.match(line)
            heading = not item and sentence_ended and is_heading(line)
            if heading and not NUMBERED.match(line) and not DATED.search(line):
                # a title-like line heads text: it is short, and a full line of text follows it
                following = next((n for n in lines[i + 1 :] if n), "")
                heads_text = len(following) >= full or (bool(NUMBERED.match(following)) and is_heading(following))
                heading = (not blocks and not text_so_far) or (len(line) < 0.8 * full and heads_text)
            if item or heading or ended:
                flush()
                kind = "item" if item else "heading" if heading else "paragraph"
                text_so_far, marks = (item.group(1) if item else line), [(0, number)]
            else:
                if marks[-1][1] != number:
                    marks.append((len(join_wrapped(text_so_far, "x", vocab)) - 1, number))
                text_so_far = join_wrapped(text_so_far, line, vocab)
            sentence_ended = heading or _ends_sentence(line)
            ended = heading or (sentence_ended and len(line) < full)
        blocks.extend(notes.get(number, ()))  # after the text above them: sections keep them at their end
    flush()
    return blocks, len(pages)


def _join_wrapped_headings(page: list[str], is_heading: Callable[[str], bool], full: float) -> list[str]:
    """A heading wrapped over two or three short lines, as one line: a dated case study
    ("Calderdale Metropolitan Borough Council, ..." / "... (Pennine Councils" / "Partnership) (2015-Present)") or a
    numbered heading and the title-like rest of it ("8. Common lessons across Local Authority" /
    "Shared Service Models"). A dash pdftotext lost in a date is put back ("(2013Present)")."""
    page = _split_run_in([_LOST_DASH.sub(r"(\1-\2)", line) for line in page], is_heading)
    out: list[str] = []
    i = 0
    while i < len(page):
        starts = not out or not out[-1] or _ends_sentence(out[-1])
        for size in (3, 2):
            run = page[i : i + size]
            if not starts or len(run) < size or not all(run) or any(len(line) >= full for line in run[:-1]):
                continue
            if any(line[-1] in ".!?" for line in run[:-1]):  # "... Jane.Smith@kirklees.gov.uk."
                continue
            joined = run[0]
            for line in run[1:]:
                joined = join_wrapped(joined, line, Vocabulary())  # "(2013-" + "Present)"
            dated = bool(DATED.search(joined)) and not any(DATED.search(line) for line in run[:-1])
            rest = run[-1]  # "Shared Service Models": title-like, neither numbered nor dated itself
            numbered = size == 2 and bool(NUMBERED.match(run[0])) and is_heading(run[0]) and is_heading(rest)
            numbered = numbered and not NUMBERED.match(rest) and not DATED.search(rest)
            # a dated title's first line may read as a title itself when long ("Calderdale ... and Kirklees")
            first_alone = is_heading(run[0]) and len(run[0]) < 0.6 * full
            if numbered or (dated and is_heading(joined) and not first_alone):
                out.append(joined)
                i += size
                break
        else:
            out.append(page[i])
            i += 1
    return out


def _split_run_in(page: list[str], is_heading: Callable[[str], bool]) -> list[str]:
    """A case study's title run in to its first paragraph on one line, after a sentence or heading ends ("Kirklees
    Council (2011-Present) The Kirklees Model ..."), as the title's line and the paragraph's."""
    out: list[str] = []
    for line in page:
        run_in = _RUN_IN.match(line)
        after_end = not out or not out[-1] or _ends_sentence(out[-1]) or is_heading(out[-1])
        if run_in and after_end and is_heading(run_in.group(1)):
            out += [run_in.group(1), run_in.group(2)]
        else:
            out.append(line)
    return out


def _ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence, a footnote mark after it aside ("... is taken.2")."""
    return line[-1:] in TERMINAL or bool(_MARKED_END.search(line))


def _trim(page: list[str]) -> list[str]:
    """A page without its leading and trailing blank lines (a paragraph may run on over the break)."""
    filled = [i for i, line in enumerate(page) if line]
    return page[filled[0] : filled[-1] + 1] if filled else []


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop a page's first or last lines that repeat (digits aside) at the top or foot of many pages,
    and bare page numbers there. A running header or footer appears once a page, so each is dropped
    once from each margin: a cover that repeats the header as its title keeps the title."""

    def margins(page: list[str]) -> list[tuple[bool, int]]:
        filled = [i for i, line in enumerate(page) if line]
        top = filled[:MARGIN]
        return [(True, i) for i in top] + [(False, i) for i in filled[-MARGIN:] if i not in top]

    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({line_key(page[i]) for _, i in margins(page)})
    threshold = running_threshold(len(pages))
    out = []
    for page in pages:
        drop: set[int] = set()
        dropped: set[tuple[bool, str]] = set()
        for top, i in margins(page):
            key = (top, line_key(page[i]))
            if (seen[key[1]] >= threshold and key not in dropped) or PAGE_NUMBER.fullmatch(page[i]):
                drop.add(i)
                dropped.add(key)
        out.append([line for i, line in enumerate(page) if i not in drop])
    return out


def footnote_marks(numbers: list[int], bracketed: bool = False) -> re.Pattern[str]:
    """The marks of these footnotes where they follow a word, its closing punctuation kept as group 1:
    each note's, or two running notes' glued together ("Service).56", "Service).[5][6]"), bare or in
    brackets ("Parliament.[1]"); never a page reference ("p.11", "pp.16")."""
    form = "[{}]" if bracketed else "{}"
    runs = [form.format(n) + form.format(n + 1) for n in numbers if n + 1 in numbers]
    runs += [form.format(n) for n in numbers]
    alternatives = "|".join(re.escape(run) for run in runs)
    return re.compile(rf"(?<=[^\W\d_])(?<!\bp)(?<!\bpp)([.,;:!?)’'\"”]{{0,2}})(?:{alternatives})(?=\s|$|[.,;:])")


def _split_footnotes(pages: list[list[str]], full: float) -> tuple[list[list[str]], dict[int, list[Block]]]:
    """Footnotes: a line holding only the next footnote number, then its text up to a blank line, the
    next number, or a line ending short of a full one (a note's last line); at a page's foot, all that
    follows ("1" / "Institute for Fiscal Studies (2015) - ..."). pdftotext glues the number to a line
    ending in a hyphen, which it drops ("socio-" / "2" as "socio2"): the hyphen goes back. Notes leave
    the page's text, and their marks leave the text of that page and the one before ("Parliament.1 So",
    "Service).56")."""
    expected = 1
    notes: dict[int, list[Block]] = {}
    out: list[list[str]] = []
    for number, page in enumerate(pages, 1):
        keep: list[str] = []
        found: list[list[str]] = []
        i = 0
        while i < len(page):
            after = next((j for j in range(i + 1, len(page)) if page[j]), None)
            note = int(page[i]) if _LONE_NUMBER.fullmatch(page[i]) else 0
            glued = _GLUED_NOTE.match(page[i])
            if glued and int(glued.group(2)) == expected and after is not None and after > i + 1 \
                    and not _LONE_NUMBER.fullmatch(page[after]):
                keep.append(glued.group(1) + "-")
                note = expected
            if not expected <= note <= expected + 2 or after is None or _LONE_NUMBER.fullmatch(page[after]):
                keep.append(page[i])  # (a mark lost in the text may skip a number or two)
                i += 1
                continue
            end = after + 1
            while end < len(page) and page[end] and not _LONE_NUMBER.fullmatch(page[end]):
                if len(page[end - 1]) < 0.75 * full:  # the note's line before ended short: the note ended
                    break
                end += 1
            foot = _trim(page[after:])
            if len(foot) <= _FOOT and all(foot):  # at the page's foot: all of it is the note
                end = next((j for j in range(after, len(page)) if _LONE_NUMBER.fullmatch(page[j])), len(page))
            found.append([f"[{note}]", *page[after:end]])
            expected, i = note + 1, end
        if found:
            marks = footnote_marks([int(note[0][1:-1]) for note in found])
            if out:
                out[-1] = [marks.sub(r"\1", line) for line in out[-1]]
            keep = [marks.sub(r"\1", line) for line in keep]
            notes[number] = [Block(kind="footnote", text=" ".join(note), pages=((0, number),)) for note in found]
        out.append(keep)
    return out, notes
