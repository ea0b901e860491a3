"""A tagged PDF's headings and tables: the H1-H6 and Table/TR/TH/TD elements of its structure tree (as
Chromium's print-to-PDF, Word and LibreOffice write them for accessibility), each with the marked
content on its pages.

A tagged PDF says which text is a heading and at what level, as the markdown or HTML it was printed
from did; the reader trusts that over fonts. The tree points at text by marked-content ids (MCIDs),
which are numbered per page; the page content wraps the text of each id in "BDC ... EMC".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEVEL = re.compile(r"/H([1-6])")
_DEEPEST = 6
_MAX_NODES = 200_000  # a damaged or cyclic tree is not walked for ever


@dataclass(frozen=True)
class TaggedCell:
    """One table cell element: which table of the document, which row of it and which cell of the row."""

    table: int
    row: int
    column: int
    header: bool = False


@dataclass(frozen=True)
class TaggedHeading:
    """One heading element: its position among the document's headings and its level (H1 = 1)."""

    ordinal: int
    level: int


class _Tree:
    """A tagged PDF's structure tree, walked from its root: each element's standard role (through the role
    map: "/Heading1" -> "/H1") and page, and the marked content (page, MCID) under an element."""

    def __init__(self, reader) -> None:
        root = reader.trailer["/Root"]
        tree = root.get("/StructTreeRoot")
        self.root = tree.get_object() if tree is not None else None
        roles = (self.root.get("/RoleMap") or {}) if self.root is not None else {}
        self.roles = {str(k): str(v) for k, v in roles.items()}
        self.pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, 1)}
        self.seen = 0

    def tick(self) -> bool:
        """Count a node; False once a damaged or cyclic tree has been walked long enough."""
        self.seen += 1
        return self.seen <= _MAX_NODES

    def role(self, node) -> str:
        name = str(node.get("/S", ""))
        for _ in range(4):  # a custom type mapped to a standard one
            if name not in self.roles:
                break
            name = self.roles[name]
        return name

    def page_of(self, node, inherited: int) -> int:
        ref = node.get("/Pg")
        return self.pages.get(getattr(ref, "idnum", None), inherited) if ref is not None else inherited

    def collect(self, node, page: int, value, found: dict) -> None:
        """Map every marked content under ``node`` to ``value`` (the first value given wins)."""
        if not self.tick():
            return
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            found.setdefault((page, node), value)
        elif isinstance(node, list):
            for kid in node:
                self.collect(kid, page, value, found)
        elif hasattr(node, "get"):
            if node.get("/Type") == "/OBJR":
                return  # an annotation (a link's target), not text
            page = self.page_of(node, page)
            if "/MCID" in node:
                found.setdefault((page, int(node["/MCID"])), value)
            elif "/K" in node:
                self.collect(node["/K"], page, value, found)


    def walk(self, visit) -> None:
        """Call ``visit(node, role, page, sections)`` on every element in document order, ``sections``
        being how many "Sect" elements enclose it; its children are walked unless it returns False."""

        def down(node, page: int, sections: int) -> None:
            if not self.tick():
                return
            node = node.get_object() if hasattr(node, "get_object") else node
            if isinstance(node, list):
                for kid in node:
                    down(kid, page, sections)
                return
            if not hasattr(node, "get") or "/S" not in node and "/K" not in node:
                return
            kind, page = self.role(node), self.page_of(node, page)  # an empty cell has no "/K", and counts
            if visit(node, kind, page, sections) is not False and "/K" in node:
                down(node["/K"], page, sections + (kind == "/Sect"))

        down(self.root.get("/K"), 0, 0)


def tagged_headings(reader) -> dict[tuple[int, int], TaggedHeading]:
    """(page number, MCID) -> the heading whose text that marked content holds; {} when the PDF is not
    tagged or tags no heading. A generic "H" takes its level from the sections ("Sect") around it."""
    found: dict[tuple[int, int], TaggedHeading] = {}
    ordinal = 0

    def visit(tree: _Tree, node, kind: str, page: int, sections: int) -> bool:
        nonlocal ordinal
        level = _LEVEL.fullmatch(kind)
        if not (level or kind == "/H") or "/K" not in node:
            return True
        ordinal += 1
        depth = int(level.group(1)) if level else min(max(sections, 1), _DEEPEST)
        tree.collect(node["/K"], page, TaggedHeading(ordinal, depth), found)
        return False

    return found if _walked(reader, visit) else {}  # an unreadable or damaged tree: headings from the fonts


def tagged_cells(reader) -> dict[tuple[int, int], TaggedCell]:
    """(page number, MCID) -> the table cell whose text that marked content holds: the tables ("Table"),
    rows ("TR", under "THead", "TBody" or "TFoot" or not) and cells ("TH", "TD") of a tagged PDF, in
    order; {} when it tags no table."""
    found: dict[tuple[int, int], TaggedCell] = {}
    table = row = column = -1

    def visit(tree: _Tree, node, kind: str, page: int, _sections: int) -> bool:
        nonlocal table, row, column
        if kind == "/Table":
            table, row = table + 1, -1
        elif kind == "/TR" and table >= 0:
            row, column = row + 1, -1
        elif kind in ("/TH", "/TD") and row >= 0:
            column += 1
            if "/K" in node:
                tree.collect(node["/K"], page, TaggedCell(table, row, column, kind == "/TH"), found)
            return False
        return True

    return found if _walked(reader, visit) else {}  # a damaged tree: the tables' text is read as lines


def _walked(reader, visit) -> bool:
    """Walk the PDF's structure tree with ``visit(tree, node, role, page, sections)``; False when it has
    none or it cannot be read."""
    try:
        tree = _Tree(reader)
        if tree.root is None:
            return False
        tree.walk(lambda *element: visit(tree, *element))
    except Exception:  # noqa: BLE001 - pypdf raises many types on a damaged tree
        return False
    return True


class MarkedContent:
    """Follows a page's "BDC"/"BMC" ... "EMC" nesting while pypdf walks its content: the MCID the text
    drawn now belongs to (the innermost one that has an id), or None."""

    def __init__(self) -> None:
        self.stack: list[int | None] = []

    @property
    def current(self) -> int | None:
        return self.stack[-1] if self.stack else None

    def visit(self, operator: bytes, operands, _cm=None, _tm=None) -> None:  # noqa: ANN001 - pypdf's callback
        if operator == b"BDC":
            props = operands[1] if len(operands) > 1 else None
            mcid = props.get("/MCID") if hasattr(props, "get") else None
            self.stack.append(int(mcid) if isinstance(mcid, int) else self.current)
        elif operator == b"BMC":
            self.stack.append(self.current)
        elif operator == b"EMC" and self.stack:
            self.stack.pop()
