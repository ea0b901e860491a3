"""Pipe tables (GitHub-flavoured markdown's, and the same set in a text file): a header row, a delimiter
row ("|---|:--:|") and body rows, read into a table block whose text is a row a line, every cell's text
kept ("| Total policy decisions | -1,710 | -665 |"). A one-column "table" is a converter's box of notes
("| 1 Costings reflect ... |"): its notes are read as a paragraph, a note a line."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..text import table_row
from ..types import Block

# a delimiter row: cells of dashes, with colons for alignment, split by pipes ("|---|:---:|", "--- | ---")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")

Clean = Callable[[str], str]


def split_cells(line: str) -> list[str]:
    """A row's cells as written, outer pipes dropped; an escaped pipe ("\\|") stays in its cell."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.strip() for cell in _UNESCAPED_PIPE.split(line)]


def plain_cell(cell: str) -> str:
    """A cell of a table in plain text: an escaped pipe as a pipe."""
    return cell.replace("\\|", "|")


def is_table_start(lines: list[str], i: int) -> bool:
    """Whether a table begins at line i: a row with a pipe, then a delimiter row with a pipe and as many
    cells (so "Title" underlined "---" stays a heading)."""
    if i + 1 >= len(lines) or "|" not in lines[i] or "|" not in lines[i + 1]:
        return False
    return bool(_DELIMITER.match(lines[i + 1])) and len(split_cells(lines[i + 1])) == len(split_cells(lines[i]))


def table_block(rows: list[list[str]]) -> Block | None:
    """The block of a table's cleaned rows (header first): a table of its non-empty rows, or, for one
    column, a paragraph of its notes; None if every cell is empty."""
    if max(len(row) for row in rows) == 1:
        notes = [row[0] for row in rows if row[0]]
        return Block(kind="paragraph", text="\n".join(notes)) if notes else None
    lines = [table_row(row) for row in rows if any(row)]
    return Block(kind="table", text="\n".join(lines)) if lines else None


def split_tables(lines: list[str], clean: Clean) -> list[list[str] | Block]:
    """The lines as runs of other text and the blocks of the pipe tables between them. A table runs from
    its header row to the first blank line or line without a pipe; each cell is cleaned by ``clean``
    (a markdown reader's inline markup to plain text)."""
    parts: list[list[str] | Block] = []
    run: list[str] = []
    i = 0
    while i < len(lines):
        if not is_table_start(lines, i):
            run.append(lines[i])
            i += 1
            continue
        end = i + 2
        while end < len(lines) and lines[end].strip() and "|" in lines[end]:
            end += 1
        rows = [[clean(cell) for cell in split_cells(line)] for line in [lines[i], *lines[i + 2 : end]]]
        block = table_block(rows)
        parts += ([run] if run else []) + ([block] if block else [])
        run, i = [], end
    return parts + ([run] if run else [])
