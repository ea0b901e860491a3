"""Read a PDF with pypdf: lines with font sizes, running headers/footers dropped, blocks rebuilt."""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import replace
from pathlib import Path

from ..errors import InputFileError
from ..text import DATED, NUMBERED, SENTENCE
from ..types import OutlineEntry, RawDocument
from .pdf_blocks import full_length, lines_to_blocks
from .pdf_lines import Line, body_size, drop_running_lines, page_lines
from .pdf_outline import apply_outline_entry, read_outline
from .pdf_spaces import respace, spaces_lost, usual_spacing, word_counts
from .pdf_tags import TaggedHeading, tagged_headings
from .plain import looks_like_heading, title_case

_WORD = re.compile(r"[A-Za-z]+")
_TITLE_WORDS = 6  # the longest unnumbered title found in the body's font alone ("About the Authors")
_LABEL_LINES = 6  # lines below a body-font title within which its text must end a sentence
_WRAP = 1.75  # in font sizes: the farthest a heading's wrapped line sits below its first


def read_pdf(path: Path, data: bytes, sha: str) -> RawDocument:
    check_pdf_bytes(path, data)
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR + 10)  # a damaged file gets one clear error, not pypdf's warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read_pdf(path, data, sha)
    finally:
        logger.setLevel(level)


def check_pdf_bytes(path: Path, data: bytes) -> None:
    """Refuse what is not a PDF, or is cut short, before pypdf tries to repair it into a partial text."""
    if b"%PDF-" not in data[:1024]:
        raise InputFileError(f"{path}: not a PDF (no %PDF- header); is it another kind of file renamed to .pdf?")
    if b"%%EOF" not in data.rstrip(b"\x00\t\n\r\f ")[-4096:]:
        raise InputFileError(f"{path}: the PDF is truncated (no %%EOF end marker); copy or download it again")


def _read_pdf(path: Path, data: bytes, sha: str) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure means we cannot read it
                ok = 0
            if not ok:
                raise InputFileError(
                    f"{path}: the PDF is encrypted (password-protected); save an unprotected copy, "
                    "e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`"
                )
        pages = list(reader.pages)
        tagged = tagged_headings(reader)
        by_page: dict[int, dict[int, TaggedHeading]] = {}
        for (number, mcid), heading in tagged.items():
            by_page.setdefault(number, {})[mcid] = heading
        lines = [line for number, page in enumerate(pages, 1) for line in page_lines(page, number, by_page.get(number))]
        outline = read_outline(reader)
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except InputFileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise InputFileError(
            f"{path}: not a readable PDF ({exc.__class__.__name__}: {exc}); is it truncated or damaged?"
        ) from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise InputFileError(
            f"{path}: not a readable PDF ({exc.__class__.__name__}); is it truncated or damaged?"
        ) from None
    if not any(_WORD.search(line.text) for line in lines):
        raise InputFileError(
            f"{path}: the PDF has no text layer (scanned or image-only); run OCR first, e.g. `ocrmypdf in.pdf out.pdf`"
        )
    lines = _respaced(drop_running_lines(lines, len(pages)))
    if any(line.tag for line in lines):  # a tagged PDF says which lines are headings, and their levels
        for line in lines:
            line.heading = line.tag.ordinal if line.tag else 0
    else:
        lines = _split_run_in_headings(lines)
        _mark_headings(lines, body_size(lines), outline)
    blocks = lines_to_blocks(lines)
    first = next((b.text for b in blocks if b.kind == "heading"), "")
    if not title or (first and _norm(title).startswith(_norm(first))):
        # the document's own first heading, as a markdown reader takes it, where the metadata's title is that
        # heading and its subtitle ("De-risking custom technology projects: A handbook for ...")
        title = first or path.stem
    return RawDocument(
        path=str(path), title=title, sha256=sha, blocks=tuple(blocks), outline=outline, page_count=len(pages)
    )


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _respaced(lines: list[Line]) -> list[Line]:
    """Lines whose words ran together ("Forfurtherinformation") with their spaces back (pdf_spaces.py)."""
    usual = usual_spacing([line.text for line in lines])
    lost = [spaces_lost(line.text, usual) for line in lines]
    if not any(lost):
        return lines
    counts = word_counts(line.text for line, gone in zip(lines, lost, strict=True) if not gone)
    for line, gone in zip(lines, lost, strict=True):
        if gone:
            line.text, lead = respace(line.text, counts), respace(line.lead, counts)
            line.lead = lead if line.text.startswith(lead) else ""
    return lines


def _split_run_in_headings(lines: list[Line]) -> list[Line]:
    """A heading run in to its paragraph (LaTeX's \\paragraph: "**Kirklees Council (2011-Present)** The
    Kirklees Model ...") as a bold line of its own, then the paragraph: a bold start that is a dated
    case-study title or a short numbered one. A bold lead-in ("**Efficiency savings:** Across ...") stays."""
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
        if not titled or not rest:
            out.append(line)
            continue
        out.append(replace(line, text=lead, bold=True, lead=""))
        out.append(replace(line, text=rest, lead="", x=line.x + 0.5 * line.size * len(lead)))  # about where it starts
    return out


def _mark_headings(lines: list[Line], body: float, outline: tuple[OutlineEntry, ...]) -> None:
    """Heading lines: by font (larger than body, or bold and numbered, with their wrapped lines), runs
    of bold lines that end like a case-study heading ("... (2013-Present)"), and the outline's titles;
    in the body's own font, a short numbered title or a dated case-study title standing on its own."""
    key = 0
    previous: Line | None = None
    plain_before = False  # the line before is a numbered heading in the body's font
    full = full_length([len(line.text) for line in lines])  # characters in a full line of text
    for line in lines:
        big = line.size >= body * 1.08 and bool(_WORD.search(line.text))
        bold_numbered = line.bold and bool(NUMBERED.match(line.text)) and len(line.text) < 90
        # in the body's font: a short numbered title on a line of its own, after a sentence or heading ends,
        # and the title-cased rest of it on the next line ("Shared Service Models")
        plain = bool(NUMBERED.match(line.text)) and looks_like_heading(line.text) and _after_end(previous, line)
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
