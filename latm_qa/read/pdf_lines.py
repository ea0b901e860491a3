"""PDF pages to text lines: fragments from pypdf with their position, size and weight, grouped by
baseline; bullet glyphs and footnote marks recognised; running headers, footers and page numbers
dropped."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..text import PLAIN_LETTERS
from .pdf_tags import MarkedContent, TaggedCell, TaggedHeading

# Bullet glyphs as fonts deliver them: Unicode, the Symbol font's private-use bullet, and the
# DEL byte some generators (reportlab's standard fonts) emit for "•".
_BULLETS = {"•", "▪", "◦", "●", "○", "■", "□", "‣", "⁃", "∙", "·", "\uf0b7", "\uf0a7", "\x7f", "\x95"}
PAGE_NUMBER = re.compile(r"(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?", re.I)


@dataclass
class Line:
    """One text line of a page, internal to the PDF reader (headings are marked on it in place)."""

    page: int
    x: float
    y: float
    size: float
    bold: bool
    text: str
    bullet: bool = False
    footnote: bool = False
    heading: int = 0  # 0 = body; otherwise a key shared by the lines of one heading
    lead: str = ""  # the bold start of a line that goes on in the body's weight (a run-in heading, a lead-in)
    tag: TaggedHeading | None = None  # the heading a tagged PDF's structure tree says this line belongs to
    cell: TaggedCell | None = None  # the table cell it says this line's text is in (a line per cell)
    spread: bool = False  # its text stands in parts far apart on its baseline, as a table's row's cells do


def _mult(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def page_lines(
    page, number: int, tags: dict[int, TaggedHeading] | None = None, cells: dict[int, TaggedCell] | None = None
) -> list[Line]:
    """Fragments in content-stream order, grouped into lines by baseline; ``tags`` and ``cells`` map the
    page's marked-content ids to the headings and table cells a tagged PDF's structure tree puts them in.
    A table cell's text is a line of its own, never joined to the next cell's on the same baseline."""
    frags: list[tuple[float, float, float, bool, str, TaggedHeading | None, TaggedCell | None]] = []
    marked = MarkedContent()

    def visit(text, cm, tm, font, size):  # noqa: ANN001 - pypdf's callback signature
        if not text or not text.strip("\n"):
            return
        m = _mult([float(v) for v in tm], [float(v) for v in cm])
        scale = math.hypot(m[2], m[3]) or 1.0
        name = str((font or {}).get("/BaseFont", "")) if hasattr(font, "get") else ""
        bold = bool(re.search(r"bold|black|heavy|semibold|demi", name, re.I))
        current = marked.current
        tag = tags.get(current) if tags and current is not None else None
        cell = cells.get(current) if cells and current is not None else None
        frags.append((m[4], m[5], float(size or 0) * scale, bold, text, tag, cell))

    page.extract_text(visitor_text=visit, visitor_operand_before=marked.visit if tags or cells else None)
    sizes: Counter[float] = Counter()
    for _x, _y, size, _bold, text, _tag, _cell in frags:
        sizes[round(size, 1)] += len(text.strip())
    page_size = sizes.most_common(1)[0][0] if sizes else 0.0
    lines: list[Line] = []
    bullets: list[tuple[float, float]] = []
    footnote_mark = ""
    prev_x, prev_text = 0.0, ""  # the last fragment set on a line
    for x, y, size, bold, text, tag, cell in frags:
        stripped = text.strip()
        last = lines[-1] if lines else None
        if stripped in _BULLETS and stripped:
            bullets.append((x, y))
            continue
        if stripped.isdigit() and last is not None and size < 0.85 * min(last.size or page_size, page_size):
            # a footnote reference mark raised above the line ("Parliament.¹ So"; pypdf may give it the x of
            # the line's start, as reportlab's "<super>" at a paragraph's end: a footnote's own number starts a row)
            if abs(y - last.y) < 0.6 * last.size and x >= last.x:
                continue
            footnote_mark = stripped  # the number that starts a footnote
            continue
        if last is not None and abs(last.y - y) < 0.35 * max(size, 1.0) and (last.cell == cell or not stripped):
            if stripped and last.bold and not bold and not last.lead:
                last.lead = last.text
            last.spread = last.spread or bool(stripped) and _apart(prev_x, prev_text, x, size)
            prev_x, prev_text = (x, text) if stripped else (prev_x, prev_text + text)
            last.text += text
            if stripped:
                last.bold = last.bold and bold
                last.size = max(last.size, size)
                last.tag = last.tag or tag
            continue
        if not stripped:
            continue
        line = Line(page=number, x=x, y=y, size=size, bold=bold, text=text, tag=tag, cell=cell)
        prev_x, prev_text = x, text
        if footnote_mark and size < 1.08 * page_size:  # a note is never set larger than the text: a mark
            line.footnote, line.text = True, f"[{footnote_mark}] {text}"  # before a heading is no note's number
        footnote_mark = ""
        lines.append(line)
    out = []
    for line in lines:
        line.text, lead = _plain(line.text), _plain(line.lead)
        line.lead = lead if line.text.startswith(lead) else ""
        for glyph in _BULLETS:
            if glyph and line.text.startswith(glyph + " "):
                line.text, line.bullet = line.text[2:].strip(), True
        # a bullet glyph drawn separately: on this line's row, just left of its text (not another column's)
        line.bullet = line.bullet or any(abs(by - line.y) < 2 and 0 < line.x - bx < 6 * line.size for bx, by in bullets)
        if line.text:
            out.append(line)
    return out


def _apart(prev_x: float, prev_text: str, x: float, size: float) -> bool:
    """Whether a fragment at ``x`` starts well beyond where the one before it on its baseline ends, as a table's
    next column does: by a font size and 0.3 of that one's width (guessed from its letters, to within about a
    quarter), far more than a word's space."""
    width = size * sum(0.7 if ch.isupper() else 0.3 if ch == " " else 0.5 for ch in prev_text.strip())
    return x - (prev_x + width) > size + 0.3 * width


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(PLAIN_LETTERS)).strip()


def drop_running_lines(lines: list[Line], page_count: int) -> list[Line]:
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

    def marginal(line: Line) -> bool:
        return round(line.y) in margins[line.page]

    def key(line: Line) -> tuple[str, float]:
        return line_key(line.text), round(line.size)

    pages_with: Counter[tuple[str, float]] = Counter()
    for k, _page in {(key(line), line.page) for line in lines if marginal(line)}:
        pages_with[k] += 1
    threshold = running_threshold(page_count)
    large = 1.08 * body_size(lines)  # a number set larger than the text is a title's ("... plan: 2015 to" / "2020")
    return [
        line
        for line in lines
        if not marginal(line)
        or line.tag is not None  # a tagged heading is the document's content, not a running line
        or line.cell is not None  # nor is a table's cell
        or (pages_with[key(line)] < threshold and not (PAGE_NUMBER.fullmatch(line.text) and line.size < large))
    ]


def line_key(line: str) -> str:
    """A line as a running header or footer repeats it: digits (page numbers) aside, spacing folded."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line.lower())).strip()


def running_threshold(page_count: int) -> int:
    """On how many pages a margin line must recur to be a running header or footer (never, under 3 pages)."""
    return max(3, page_count // 2) if page_count >= 3 else page_count + 1


def body_size(lines: list[Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        if line.size > 0:
            weights[round(line.size, 1)] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0
