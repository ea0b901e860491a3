"""A tagged PDF's tables: the lines its structure tree puts in table cells (pdf_tags.py), read back into
table blocks of rows and cells, as a markdown pipe table is read (tables.py). An untagged PDF's tables
stay lines of text."""

from __future__ import annotations

import re
import statistics

from ..types import Block
from .pdf_lines import Line
from .tables import table_block

_JOINING = re.compile(r"(?:and|or|to|nor)\b")  # "medium-" / "and high-level": a hyphen that waits for its word


def split_tables(lines: list[Line]) -> tuple[list[Line], list[tuple[int, Block]]]:
    """The lines outside tables, and each table's block with the index (among those lines) of the line
    that follows it."""
    body: list[Line] = []
    tables: list[tuple[int, Block]] = []
    run: list[Line] = []
    for line in [*lines, None]:
        if line is not None and line.cell is not None and (not run or run[-1].cell.table == line.cell.table):
            run.append(line)
            continue
        if run:
            block = _table(run)
            if block is not None:
                tables.append((len(body), block))
            run = [line] if line is not None and line.cell is not None else []
            if run:
                continue
        if line is not None:
            body.append(line)
    return body, tables


def with_tables(placed: list[tuple[int, Block]], tables: list[tuple[int, Block]]) -> list[Block]:
    """The blocks of the text around the tables (each with the index of its first line) and the tables,
    in the document's order."""
    out: list[Block] = []
    tables = list(tables)
    for first, block in placed:
        while tables and tables[0][0] <= first:
            out.append(tables.pop(0)[1])
        out.append(block)
    return out + [block for _, block in tables]


def _table(lines: list[Line]) -> Block | None:
    """A tagged table's block: its rows in order, each row's cells in order, a cell's lines joined. A
    header row a long table repeats on the next page (its text tagged to the same cells) is read once."""
    cells: dict[int, dict[int, list[Line]]] = {}
    for line in lines:
        cell = cells.setdefault(line.cell.row, {}).setdefault(line.cell.column, [])
        if not cell or line.page == cell[0].page or not line.cell.header:
            cell.append(line)
    rows = _aligned(cells)
    block = table_block(rows)
    if block is None:
        return None
    pages = [(0, lines[0].page)]
    if block.kind == "table":
        at = 0
        for r, row_text in zip(sorted(cells), block.text.split("\n"), strict=False):
            page = min(line.page for cell in cells[r].values() for line in cell)
            if page != pages[-1][1]:
                pages.append((at, page))
            at += len(row_text) + 1
    return Block(kind=block.kind, text=block.text, pages=tuple(pages))


def _aligned(cells: dict[int, dict[int, list[Line]]]) -> list[list[str]]:
    """The rows' cell texts, each in the column its position puts it in. A printer tags no element for an
    empty cell, so a row with fewer cells has its cells set under the columns of the table's fullest rows
    whose left edges are nearest theirs, in order ("| Memo | | | -0.1 |")."""
    width = max(len(row) for row in cells.values())
    full = [row for row in cells.values() if len(row) == width]
    anchors = [statistics.median(row[c][0].x for row in full) for c in sorted(next(iter(full)))] if full else []
    out = []
    for r in sorted(cells):
        row = [cells[r][c] for c in sorted(cells[r])]
        texts = [""] * width
        if len(row) == width or not anchors:
            texts[: len(row)] = [_joined(cell) for cell in row]
        else:
            at = 0
            for i, cell in enumerate(row):
                last = width - (len(row) - i)  # leave a column for each cell still to place
                at = min(range(at, last + 1), key=lambda c: abs(anchors[c] - cell[0].x))
                texts[at] = _joined(cell)
                at += 1
        out.append(texts)
    return out


def _joined(lines: list[Line]) -> str:
    """A cell's lines as one text: a number or word broken at its hyphen ("2016-" / "17") made whole."""
    text = ""
    for line in lines:
        glued = re.search(r"\d-$", text) and line.text[:1].isdigit() or (
            re.search(r"[a-z]-$", text) and re.match(r"[a-z]", line.text) and not _JOINING.match(line.text)
        )
        text = f"{text}{line.text}" if glued or not text else f"{text} {line.text}"
    return text
