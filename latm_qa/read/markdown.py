"""Markdown into blocks: "#" and underlined headings, bold lines a converter set as headings, list
items, footnotes (HTML "<sup>", pandoc's "[^2]:", CommonMark's "[2]"), pipe tables (tables.py), inline
markup to plain text. A blockquote's lines are read as the markdown they quote: "> #### Notes and
guidance" is a heading, as a PDF of the same page sets it."""

from __future__ import annotations

import html
import re

from ..types import Block
from .paged import ITEM
from .plain import join_lines, looks_like_heading, text_heading_hint
from .tables import split_tables

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SUP = re.compile(r"<sup>\s*(\d+)\s*</sup>|\[\^[^\]\s]+\](?!:)")  # "<sup>2</sup>", pandoc's "[^2]"
# a footnote: "<sup>2</sup> RSA ...", pandoc's "[^2]: RSA ...", or CommonMark's "[2] RSA ..." (a number in brackets)
_FOOTNOTE_START = re.compile(r"^\s*(?:<sup>\s*(\d+)\s*</sup>|\[\^([^\]\s]+)\]:|\[(\d{1,3})\](?=\s))\s*(.*)$")
_ATTRIBUTES = re.compile(r"\s*\{[#.][^{}]*\}\s*$")  # pandoc's "## 2.4. Case studies {#case-studies}"
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
# an autolink keeps its address: "<Tom.Brown@Calderdale.gov.uk>", "<mailto:x@y.uk>", "<https://...>"
_AUTOLINK = re.compile(r"<(?:mailto:)?([^<>\s@]+@[^<>\s@]+\.[^<>\s@]+|(?:https?|ftp)://[^<>\s]+)>", re.I)
_HARD_BREAK = re.compile(r"\\(?=\s|$)")  # pandoc's "\" ending a line (a line break) or before a space (a fixed one)
_DOUBLE_DASH = re.compile(r"(?<= )--(?= )")  # pandoc's "--" between words: an en dash ("the borough -- in")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_QUOTE = re.compile(r"^\s{0,3}>[ \t]?")  # a blockquote's marker, nested ones read one after another
_BOLD_LINE = re.compile(r"^\s{0,3}(\*\*|__)(?=\S)(?:(?!\1).)+(?<=\S)\1\s*$")  # "**2.4. Case studies**" alone on a line

def clean_inline(text: str) -> str:
    """Markdown inline markup to plain text: links, emphasis, footnote refs, tags, escapes."""
    text = _SUP.sub("", text)
    text = _LINK.sub(lambda m: m.group(1) or "", text)
    for _ in range(2):
        text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = _DOUBLE_DASH.sub("–", _AUTOLINK.sub(r"\1", text))
    text = _HARD_BREAK.sub("", text)
    text = _TAG.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def markdown_blocks(text: str) -> list[Block]:
    """The blocks of a markdown text: its pipe tables as tables, the text between them as below."""
    lines = [_unquoted(line) for line in text.split("\n")]
    # in a text that marks its headings with "#", a bold line is a sub-heading of the section it sits in (a
    # person's name and post under "#### Executive management"): one level deeper than the "#" heading above it
    depth = [6] if any(_HEADING.match(line) for line in lines) else []
    blocks: list[Block] = []
    for part in split_tables(lines, clean_inline):
        blocks += [part] if isinstance(part, Block) else _text_blocks(part, depth)
    return blocks


def _unquoted(line: str) -> str:
    while _QUOTE.match(line):
        line = _QUOTE.sub("", line, count=1)
    return line


def _text_blocks(lines: list[str], depth: list[int]) -> list[Block]:
    """``depth``: the "#" depth of the last heading, in a text that marks its headings so (else empty)."""
    blocks: list[Block] = []
    para: list[str] = []
    kind = "paragraph"

    def flush() -> None:
        nonlocal para, kind
        raw = join_lines(para)
        para, current = [], kind
        kind = "paragraph"
        footnote = _FOOTNOTE_START.match(raw)
        if footnote:
            number = footnote.group(1) or footnote.group(2) or footnote.group(3)
            current, raw = "footnote", f"[{number}] {footnote.group(4)}"
        cleaned = clean_inline(raw)
        if cleaned and re.search(r"\w", cleaned):
            blocks.append(Block(kind=current, text=cleaned))  # type: ignore[arg-type]

    for line in lines:
        heading = _HEADING.match(line)
        item = ITEM.match(line)
        setext = _SETEXT.match(line)
        if heading:
            flush()
            title = clean_inline(_ATTRIBUTES.sub("", heading.group(2)))
            depth[:] = [len(heading.group(1))] if depth else []
            if title:
                blocks.append(Block(kind="heading", text=title, heading_hint=len(heading.group(1))))
        elif setext and len(para) == 1 and kind == "paragraph":  # "Title" underlined with === or ---
            title, para, level = clean_inline(para[0]), [], 1 if setext.group(1)[0] == "=" else 2
            depth[:] = [level] if depth else []
            if title:
                blocks.append(Block(kind="heading", text=title, heading_hint=level))
        elif _RULE.match(line) or not line.strip():
            flush()
        elif not para and _BOLD_LINE.match(line) and looks_like_heading(title := clean_inline(line)):
            # a converter that sets headings as bold lines: as weak a heading as a lone line of plain text
            hint = depth[0] + 1 if depth else text_heading_hint(title)
            blocks.append(Block(kind="heading", text=title, heading_hint=hint))
        elif item:
            flush()
            kind, para = "item", [item.group(1)]
        else:
            para.append(line)
    flush()
    return blocks
