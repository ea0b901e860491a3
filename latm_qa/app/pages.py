"""A PDF page as the officer would see it in print, with the passage's sentences marked: the page view a
card's citation opens. Rendered with pypdfium2; the sentences are found on the page by their words, a few
at a time (a line break or hyphen in print does not stop the rest being found)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..errors import LatmQaError
from ..types import Document, Passage

WINDOW = 4  # words searched at a time
SCALE = 1.5  # pixels per PDF point
MARK = (255, 214, 0, 110)  # the highlighter's yellow, see-through


def pdf_source(passage: Passage, document: Document | None) -> Path | None:
    """The PDF a passage was read from (its ``document``), when it was and the file is still there."""
    if document is None or not passage.pages or not document.path.lower().endswith(".pdf"):
        return None
    path = Path(document.path)
    return path if path.exists() else None


def _windows(text: str) -> list[str]:
    words = re.findall(r"\S+", text)
    return [" ".join(words[i : i + WINDOW]) for i in range(0, len(words), WINDOW)]


def page_png(path: Path | str, page: int, marks: list[str], scale: float = SCALE) -> bytes:
    """Page ``page`` (1-based) of the PDF as a PNG, with every run of words of ``marks`` found on it marked."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise LatmQaError(f"cannot open {path} to show its page {page}: {exc}") from None
    try:
        if not 1 <= page <= len(pdf):
            raise LatmQaError(f"{path} has no page {page}: it has {len(pdf)} pages; re-ingest the report")
        sheet = pdf[page - 1]
        height = sheet.get_height()
        image = sheet.render(scale=scale).to_pil().convert("RGBA")
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        text = sheet.get_textpage()
        for window in (w for mark in marks for w in _windows(mark)):
            found = text.search(window, match_case=False).get_next()
            if not found:
                continue
            start, count = found
            for i in range(text.count_rects(start, count)):
                left, bottom, right, top = text.get_rect(i)
                draw.rectangle([left * scale, (height - top) * scale, right * scale, (height - bottom) * scale],
                               fill=MARK)
        out = io.BytesIO()
        Image.alpha_composite(image, overlay).convert("RGB").save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        pdf.close()
