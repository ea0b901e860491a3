"""Read a PDF with pypdf: lines with font sizes, running headers/footers dropped, blocks rebuilt."""

from __future__ import annotations

import io
import logging
import re
import warnings
from pathlib import Path

from ..errors import InputFileError
from ..types import RawDocument
from .pdf_blocks import lines_to_blocks
from .pdf_headings import mark_headings, split_run_in_headings
from .pdf_lines import Line, body_size, drop_running_lines, page_lines
from .pdf_outline import read_outline
from .pdf_spaces import respace, spaces_lost, usual_spacing, word_counts
from .pdf_tags import TaggedCell, TaggedHeading, tagged_cells, tagged_headings

_WORD = re.compile(r"[A-Za-z]+")


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
        by_page: dict[int, dict[int, TaggedHeading]] = {}
        for (number, mcid), heading in tagged_headings(reader).items():
            by_page.setdefault(number, {})[mcid] = heading
        cells: dict[int, dict[int, TaggedCell]] = {}
        for (number, mcid), cell in tagged_cells(reader).items():
            cells.setdefault(number, {})[mcid] = cell
        lines = [
            line
            for number, page in enumerate(pages, 1)
            for line in page_lines(page, number, by_page.get(number), cells.get(number))
        ]
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
    # a tagged PDF says which lines are headings, and their levels; one that tags a title alone (a document
    # whose headings were typed in bold rather than styled as headings) is read by its fonts
    if len({line.tag.ordinal for line in lines if line.tag}) >= 2:
        for line in lines:
            line.heading = line.tag.ordinal if line.tag else 0
    else:
        lines = split_run_in_headings(lines)
        mark_headings(lines, body_size(lines), outline)
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
