"""Read a source file (.md, .txt, .pdf) into blocks: the file checked first, then the reader for its
format (markdown.py, plain.py, paged.py for text taken from a PDF, pdf.py)."""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
from dataclasses import replace
from pathlib import Path

from ..errors import InputFileError
from ..text import PLAIN_LETTERS
from ..types import Block, RawDocument
from .markdown import markdown_blocks
from .paged import footnote_marks, is_paged, paged_blocks
from .plain import drop_running_lines, is_page_heading, text_blocks, text_heading_hint

SUPPORTED = (".md", ".markdown", ".txt", ".pdf")


def check_file(path: Path, max_mb: float = 50.0) -> bytes:
    """Return the file's bytes, or raise InputFileError naming the file and the reason."""
    if path.suffix.lower() not in SUPPORTED:
        raise InputFileError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}; latm-qa reads {', '.join(SUPPORTED)} files"
        )
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(f"{path}: is a folder named like a file; expected a {path.suffix} file")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"{path}: not a regular file (a pipe, socket or device); copy the report into a file")
        if info.st_size > max_mb * 1024 * 1024:
            raise InputFileError(
                f"{path}: {_size(info.st_size)} is over the {max_mb:g} MB limit; "
                "raise it with --max-file-mb or LATM_QA_MAX_FILE_MB"
            )
        data = path.read_bytes()
    except PermissionError:
        raise InputFileError(f"{path}: permission denied; make the file readable (chmod +r)") from None
    except FileNotFoundError:
        broken = " (a broken link)" if path.is_symlink() else ""
        raise InputFileError(f"{path}: no such file{broken}") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    if not data.strip():
        raise InputFileError(f"{path}: the file is empty; nothing to ingest")
    return data  # a text file's encoding is checked as it is decoded (decode_text), a PDF's bytes by read_pdf


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """A text file's text and the encoding it was read in: UTF-8, UTF-16 with its byte-order mark
    (Notepad's "Unicode"), or else Windows-1252 (Notepad's "ANSI"), the one other that Windows saves."""
    for bom, codec, name in ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
                             (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise InputFileError(f"{path}: not valid {name} text (byte {exc.start}); save it as UTF-8") from None
    if b"\x00" in data[:8192]:
        raise InputFileError(f"{path}: looks binary, not text; expected UTF-8 {path.suffix} text")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise InputFileError(
            f"{path}: not valid UTF-8 text (byte {utf8_error}), nor UTF-16 or Windows-1252; save it as UTF-8"
        ) from None


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 104858 else f"{n / 1024:.1f} KB"


def _drop_bracket_marks(blocks: list[Block]) -> list[Block]:
    """Footnote marks set in brackets ("Parliament.[1] So", as CommonMark and plain-text exports write
    them) out of the text, where a footnote "[1] ..." of that number is in the document."""
    numbers = [int(m.group(1)) for b in blocks if b.kind == "footnote" and (m := re.match(r"\[(\d{1,3})\]", b.text))]
    if not numbers:
        return blocks
    marks = footnote_marks(numbers, bracketed=True)
    return [b if b.kind == "footnote" else replace(b, text=marks.sub(r"\1", b.text)) for b in blocks]


def read_document(path: Path, max_mb: float = 50.0, data: bytes | None = None) -> RawDocument:
    """Read one supported file into a RawDocument; ``data``: its bytes, if already read (check_file)."""
    path = Path(path)
    data = check_file(path, max_mb) if data is None else data
    sha = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(path, data, sha)
    text, encoding = decode_text(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").translate(PLAIN_LETTERS)
    page_count = 0
    blocks = markdown_blocks(text) if suffix in (".md", ".markdown") else []
    if any(b.kind == "heading" for b in blocks):
        blocks = drop_running_lines(blocks)
    elif is_paged(text):  # text taken from a PDF, pages split by form feeds (pdftotext)
        blocks, page_count = paged_blocks(text, is_page_heading, text_heading_hint)
    else:  # plain text, or "markdown" without a heading marked (a PDF's text saved as .md)
        blocks = drop_running_lines(text_blocks(text))
    blocks = _drop_bracket_marks(blocks)
    if not any(b.kind != "heading" and len(b.text.split()) > 0 for b in blocks):
        raise InputFileError(f"{path}: no readable text found; nothing to ingest")
    title = next((b.text for b in blocks if b.kind == "heading"), path.stem)
    return RawDocument(
        path=str(path), title=title, sha256=sha, blocks=tuple(blocks), page_count=page_count, encoding=encoding
    )

