"""A tagged PDF's headings: the H1-H6 elements of its structure tree (as Chromium's print-to-PDF, Word
and LibreOffice write them for accessibility), each with the marked content on its pages.

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
class TaggedHeading:
    """One heading element: its position among the document's headings and its level (H1 = 1)."""

    ordinal: int
    level: int


def tagged_headings(reader) -> dict[tuple[int, int], TaggedHeading]:
    """(page number, MCID) -> the heading whose text that marked content holds; {} when the PDF is not
    tagged or tags no heading. A generic "H" takes its level from the sections ("Sect") around it."""
    try:
        root = reader.trailer["/Root"]
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return {}
        tree = tree.get_object()
        roles = {str(k): str(v) for k, v in (tree.get("/RoleMap") or {}).items()}
        pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, 1)}
    except Exception:  # noqa: BLE001 - an unreadable tree means: find headings from the fonts
        return {}
    found: dict[tuple[int, int], TaggedHeading] = {}
    ordinal = 0
    seen = 0

    def role(name: str) -> str:
        for _ in range(4):  # a custom type mapped to a standard one ("/Heading1" -> "/H1")
            if name not in roles:
                break
            name = roles[name]
        return name

    def page_of(node, inherited: int) -> int:
        ref = node.get("/Pg")
        return pages.get(getattr(ref, "idnum", None), inherited) if ref is not None else inherited

    def collect(node, page: int, heading: TaggedHeading) -> None:
        nonlocal seen
        seen += 1
        if seen > _MAX_NODES:
            return
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            found.setdefault((page, node), heading)
        elif isinstance(node, list):
            for kid in node:
                collect(kid, page, heading)
        elif hasattr(node, "get"):
            if node.get("/Type") == "/OBJR":
                return  # an annotation (a link's target), not text
            page = page_of(node, page)
            if "/MCID" in node:
                found.setdefault((page, int(node["/MCID"])), heading)
            elif "/K" in node:
                collect(node["/K"], page, heading)

    def walk(node, page: int, sections: int) -> None:
        nonlocal ordinal, seen
        seen += 1
        if seen > _MAX_NODES:
            return
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid, page, sections)
            return
        if not hasattr(node, "get") or "/K" not in node:
            return
        kind = role(str(node.get("/S", "")))
        page = page_of(node, page)
        level = _LEVEL.fullmatch(kind)
        if level or kind == "/H":
            ordinal += 1
            depth = int(level.group(1)) if level else min(max(sections, 1), _DEEPEST)
            collect(node["/K"], page, TaggedHeading(ordinal, depth))
            return
        walk(node["/K"], page, sections + (kind == "/Sect"))

    try:
        walk(tree.get("/K"), 0, 0)
    except Exception:  # noqa: BLE001 - a damaged tree: fall back to fonts
        return {}
    return found


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
