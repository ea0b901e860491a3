"""Read: a source file into blocks (headings, paragraphs, items, footnotes) with pages where it has them.
One module per format: markdown.py, plain.py (plain text), paged.py (text taken from a PDF, pages split
by form feeds), pdf.py (with pdf_lines.py, pdf_blocks.py, pdf_spaces.py); files.py checks a file and
sends it to its reader."""

from __future__ import annotations

from .files import SUPPORTED, check_file, read_document

__all__ = ["SUPPORTED", "check_file", "read_document"]
