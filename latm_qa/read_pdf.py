"""Read a PDF with pypdf: lines with font sizes, running headers/footers dropped, blocks rebuilt."""

from __future__ import annotations

import io
import logging
import math
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import InputFileError
from .types import Block, OutlineEntry, RawDocument

# Bullet glyphs as fonts deliver them: Unicode, the Symbol font's private-use bullet, and the
# DEL byte some generators (reportlab's standard fonts) emit for "•".
_BULLETS = {"•", "▪", "◦", "●", "○", "■", "□", "‣", "⁃", "∙", "·", "\uf0b7", "\uf0a7", "\x7f", "\x95"}
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
_WORD = re.compile(r"[A-Za-z]+")
_PAGE_NUMBER = re.compile(r"(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?", re.I)
_DATED_HEADING = re.compile(r"\((?:19|20)\d\d\s*[-–]\s*(?:[Pp]resent|(?:19|20)\d\d)\)$")


@dataclass
class _Line:
    page: int
    x: float
    y: float
    size: float
    bold: bool
    text: str
    bullet: bool = False
    footnote: bool = False
    heading: int = 0  # 0 = body; otherwise a key shared by the lines of one heading


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
        lines = [line for number, page in enumerate(pages, 1) for line in _page_lines(page, number)]
        outline = _outline(reader)
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
    lines = _drop_running_lines(lines, len(pages))
    body = _body_size(lines)
    _mark_headings(lines, body, outline)
    blocks = _blocks(lines)
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading"), path.stem)
    return RawDocument(
        path=str(path), title=title, sha256=sha, blocks=tuple(blocks), outline=outline, page_count=len(pages)
    )


def _mult(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _page_lines(page, number: int) -> list[_Line]:
    """Fragments in content-stream order, grouped into lines by baseline."""
    frags: list[tuple[float, float, float, bool, str]] = []

    def visit(text, cm, tm, font, size):  # noqa: ANN001 - pypdf's callback signature
        if not text or not text.strip("\n"):
            return
        m = _mult([float(v) for v in tm], [float(v) for v in cm])
        scale = math.hypot(m[2], m[3]) or 1.0
        name = str((font or {}).get("/BaseFont", "")) if hasattr(font, "get") else ""
        bold = bool(re.search(r"bold|black|heavy|semibold|demi", name, re.I))
        frags.append((m[4], m[5], float(size or 0) * scale, bold, text))

    page.extract_text(visitor_text=visit)
    sizes: Counter[float] = Counter()
    for _x, _y, size, _bold, text in frags:
        sizes[round(size, 1)] += len(text.strip())
    page_size = sizes.most_common(1)[0][0] if sizes else 0.0
    lines: list[_Line] = []
    bullets: list[tuple[float, float]] = []
    footnote_mark = ""
    for x, y, size, bold, text in frags:
        stripped = text.strip()
        last = lines[-1] if lines else None
        if stripped in _BULLETS and stripped:
            bullets.append((x, y))
            continue
        if stripped.isdigit() and last is not None and size < 0.85 * min(last.size or page_size, page_size):
            if abs(y - last.y) < 0.6 * last.size and x > last.x:
                continue  # a footnote reference mark raised above the line: "Parliament.¹ So"
            footnote_mark = stripped  # the number that starts a footnote
            continue
        if last is not None and abs(last.y - y) < 0.35 * max(size, 1.0):
            last.text += text
            if stripped:
                last.bold = last.bold and bold
                last.size = max(last.size, size)
            continue
        if not stripped:
            continue
        line = _Line(page=number, x=x, y=y, size=size, bold=bold, text=text)
        if footnote_mark:
            line.footnote, line.text, footnote_mark = True, f"[{footnote_mark}] {text}", ""
        lines.append(line)
    out = []
    for line in lines:
        line.text = re.sub(r"\s+", " ", line.text).strip()
        for glyph in _BULLETS:
            if glyph and line.text.startswith(glyph + " "):
                line.text, line.bullet = line.text[2:].strip(), True
        # a bullet glyph drawn separately: on this line's row, just left of its text (not another column's)
        line.bullet = line.bullet or any(abs(by - line.y) < 2 and 0 < line.x - bx < 6 * line.size for bx, by in bullets)
        if line.text:
            out.append(line)
    return out


def _drop_running_lines(lines: list[_Line], page_count: int) -> list[_Line]:
    """Drop running headers, footers and page numbers: lines in a page's top or bottom two rows that
    repeat (digits aside) on many pages, or that are a bare page number. Body lines are never
    candidates, however often they repeat ("2.1. Key features" heads every chapter)."""
    rows: dict[int, list[float]] = {}
    for line in lines:
        rows.setdefault(line.page, []).append(round(line.y))
    margins = {}
    for page, ys in rows.items():
        ordered = sorted(set(ys), reverse=True)
        margins[page] = set(ordered[:2]) | set(ordered[-2:])

    def marginal(line: _Line) -> bool:
        return round(line.y) in margins[line.page]

    def key(line: _Line) -> tuple[str, float]:
        return re.sub(r"\d+", "#", line.text.lower()), round(line.size)

    pages_with: Counter[tuple[str, float]] = Counter()
    for k, _page in {(key(line), line.page) for line in lines if marginal(line)}:
        pages_with[k] += 1
    threshold = max(3, page_count // 2) if page_count >= 3 else page_count + 1
    return [
        line
        for line in lines
        if not marginal(line)
        or (pages_with[key(line)] < threshold and not _PAGE_NUMBER.fullmatch(line.text))
    ]


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        if line.size > 0:
            weights[round(line.size, 1)] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _mark_headings(lines: list[_Line], body: float, outline: tuple[OutlineEntry, ...]) -> None:
    """Heading lines: by font (larger than body, or bold and numbered, with their wrapped lines), runs
    of bold lines that end like a case-study heading ("... (2013-Present)"), and the outline's titles."""
    key = 0
    previous: _Line | None = None
    for line in lines:
        big = line.size >= body * 1.08 and bool(_WORD.search(line.text))
        bold_numbered = line.bold and bool(_NUMBERED.match(line.text)) and len(line.text) < 90
        wrapped = (
            previous is not None
            and previous.heading > 0
            and (big or line.bold)
            and _close_below(previous, line)
            and not _NUMBERED.match(line.text)
        )
        if big or bold_numbered or wrapped:
            if not wrapped:
                key += 1
            line.heading = key
        previous = line
    run: list[_Line] = []
    for line in [*lines, None]:
        if line is not None and line.bold and not line.heading and (not run or _close_below(run[-1], line)):
            run.append(line)
            continue
        joined = " ".join(ln.text for ln in run)
        if run and len(joined) < 250 and _DATED_HEADING.search(joined):
            key += 1
            for ln in run:
                ln.heading = key
        run = [line] if line is not None and line.bold and not line.heading else []
    for entry in outline:
        key = _apply_outline_entry(lines, entry, key)


def _close_below(previous: _Line, line: _Line) -> bool:
    """The next line of the same block: same page and size, just below."""
    same_block = previous.page == line.page and abs(previous.size - line.size) < 0.5
    return same_block and 0 < previous.y - line.y < 2.2 * line.size


def _apply_outline_entry(lines: list[_Line], entry: OutlineEntry, key: int) -> int:
    """Mark the line(s) that spell an outline title on its page as one heading."""
    target = _norm(entry.title)
    if not target:
        return key
    for i, line in enumerate(lines):
        if not entry.page - 1 <= line.page <= entry.page + 1:
            continue
        joined = ""
        for j in range(i, min(i + 4, len(lines))):
            joined += _norm(lines[j].text)
            if joined == target:
                span = lines[i : j + 1]
                if not span[0].heading or any(ln.heading != span[0].heading for ln in span):
                    key += 1
                    for ln in span:
                        ln.heading = key
                return key
            if not target.startswith(joined):
                break
    return key


def _blocks(lines: list[_Line]) -> list[Block]:
    """Group lines into headings, paragraphs, list items and footnotes, across page breaks."""
    vocab = {w.lower() for line in lines for w in _WORD.findall(line.text)}
    gaps = Counter(
        round(a.y - b.y)
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and not a.heading and not b.heading and a.y > b.y
    )
    line_gap = float(gaps.most_common(1)[0][0]) if gaps else 14.0
    blocks: list[Block] = []
    kind, text, marks, prev = "paragraph", "", [], None

    def flush() -> None:
        if text.strip():
            hint = 1 if kind == "heading" else 0
            blocks.append(Block(kind=kind, text=text.strip(), pages=tuple(marks), heading_hint=hint))  # type: ignore[arg-type]

    for line in lines:
        if line.heading:
            line_kind, new = "heading", prev is None or prev.heading != line.heading
        else:
            line_kind = "footnote" if line.footnote else ("item" if line.bullet else "paragraph")
            new = prev is None or bool(prev.heading) or line.footnote or line.bullet
            if not new and prev is not None:
                jumped = prev.page != line.page or line.y > prev.y + line_gap  # next page or column
                if jumped:
                    new = text.rstrip()[-1:] in ".!?:" and line.text[:1].isupper()
                else:
                    new = prev.y - line.y > (1.2 if kind == "footnote" else 1.45) * line_gap
        if new:
            flush()
            kind, text, marks = line_kind, line.text, [(0, line.page)]
        else:
            if prev is not None and line.page != prev.page:
                marks.append((len(_join(text, "x", vocab)) - 1, line.page))
            text = _join(text, line.text, vocab)
        prev = line
    flush()
    return blocks


def _join(before: str, after: str, vocab: set[str]) -> str:
    """Join a wrapped line; keep a hyphen at the break unless the unbroken word is used elsewhere."""
    if before.endswith("/"):
        return before + after  # "shared/" + "joint commissioning"
    if not before.endswith("-") or before.endswith(" -"):
        return f"{before} {after}"
    head = re.search(r"([A-Za-z]+)-$", before)
    tail = _WORD.match(after)
    if head and tail and after[:1].islower():
        merged = (head.group(1) + tail.group(0)).lower()
        if merged in vocab:
            return before[:-1] + after
    return before + after


def _outline(reader) -> tuple[OutlineEntry, ...]:
    entries: list[OutlineEntry] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            try:
                page = reader.get_destination_page_number(item) + 1
            except Exception:  # noqa: BLE001 - a broken bookmark is skipped, not fatal
                continue
            title = re.sub(r"\s+", " ", str(item.title or "")).strip()
            if title:
                entries.append(OutlineEntry(title=title, depth=depth, page=page))

    try:
        walk(reader.outline, 0)
    except Exception:  # noqa: BLE001 - an unreadable outline means: detect from text
        return ()
    return tuple(entries)
