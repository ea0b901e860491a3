"""Structure: a reader's blocks into one document's cleaned text and section tree. Numbered reports
follow their numbering (numbering.py); reports without numbered headings nest by heading level
(levels.py); named examples (case studies) sit under the section that introduces them."""

from __future__ import annotations

from .sections import document_id, parse_sections

__all__ = ["document_id", "parse_sections"]
