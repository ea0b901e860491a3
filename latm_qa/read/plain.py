"""Plain text into blocks: paragraphs, items, footnotes, pipe tables (tables.py) and headings found by
their look (numbered, set as a title, underlined, or a dated case study), in wrapped text or in a word
processor's export with a paragraph a line; and the running header, footer and page numbers a converter
leaves behind."""

from __future__ import annotations

import re
from collections import Counter

from ..text import DATED, NUMBERED, SENTENCE, ends_sentence
from ..types import Block
from .paged import ITEM
from .pdf_lines import PAGE_NUMBER, line_key
from .tables import plain_cell, split_tables

_UNDERLINE = re.compile(r"^\s*([=\-~*])\1{2,}\s*$")  # "=====" under a heading, or a rule
_TEXT_FOOTNOTE = re.compile(r"^\s*\[\d{1,3}\]\s+\S")


def drop_running_lines(blocks: list[Block]) -> list[Block]:
    """A converter's running header, footer and page numbers, kept as paragraphs of their own ("Local
    Government Association 7", "Page 7"): short paragraphs that end no sentence and recur, digits
    aside, three times or more, or that are a bare page number. Dropped, so the text they cut rejoins."""

    def short(block: Block) -> bool:
        return block.kind == "paragraph" and len(block.text.split()) <= 8 and not ends_sentence(block.text)

    counts = Counter(line_key(b.text) for b in blocks if short(b))
    return [
        b for b in blocks if not (short(b) and (counts[line_key(b.text)] >= 3 or PAGE_NUMBER.fullmatch(b.text)))
    ]


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one paragraph; a line ending in a hyphen joins without a space."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and not out.endswith((" -", " --")):
            out += line
        else:
            out += " " + line
    return out


def looks_like_heading(line: str) -> bool:
    """A lone short line in plain text that reads as a heading (numbered, or title-like)."""
    words = line.split()
    if not words or len(words) > 25 or line[-1] in ".,;:!?" or not line[0].isupper() and not line[0].isdigit():
        return False
    if NUMBERED.match(line):
        return line.count(",") < 2  # not an address: "12 Market Street, Huddersfield, HD1 2AB"
    return len(words) <= 12 or bool(DATED.search(line))


def title_case(line: str) -> bool:
    """A heading set as a title ("About the Authors", "Further Reading"): every word of four letters or
    more starting upper-case, no digits or colon; as sure a heading as a markdown "#" line."""
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    long_words = [w for w in words if len(w) >= 4]
    return len(words) >= 2 and not re.search(r"[\d:]", line) and all(w[0].isupper() for w in long_words)


def text_heading_hint(line: str) -> int:
    """The level of a heading found by its look alone: 1 (strong) when set as a title, else 0 (weak)."""
    return 1 if title_case(line) else 0


def text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        for piece in split_tables([ln.rstrip() for ln in chunk.split("\n") if ln.strip()], plain_cell):
            if isinstance(piece, Block):  # a pipe table, as a markdown one is read
                blocks.append(piece)
                continue
            for part in _underlined_parts(piece):
                blocks.extend([part] if isinstance(part, Block) else _run_blocks(part))
    return _labels_as_text(blocks)


def _labels_as_text(blocks: list[Block]) -> list[Block]:
    """A title-like line that heads no text is a label, not a heading: an unnumbered, undated "heading"
    (not the document's title) followed, up to the next heading, only by paragraphs with no sentence in
    them ("EXAMPLE RESEARCH LIMITED" above its address lines), or by nothing at the file's end, is a
    paragraph. A chapter's title right above its first part's heads that part."""
    out = list(blocks)
    first = next((i for i, b in enumerate(blocks) if b.kind == "heading"), -1)
    for i in range(len(out) - 1, first, -1):  # from the end: a label's address lines may look like labels too
        block = out[i]
        if block.kind != "heading" or NUMBERED.match(block.text) or DATED.search(block.text):
            continue
        following: list[Block] = []
        for after in out[i + 1 :]:
            if after.kind == "heading":
                break
            following.append(after)
        prose = any(b.kind != "paragraph" or SENTENCE.search(b.text) for b in following)
        if (following and not prose) or i == len(out) - 1:  # (the file's last line heads nothing either)
            out[i] = Block(kind="paragraph", text=block.text, pages=block.pages)
    return out


def _underlined_parts(lines: list[str]) -> list[list[str] | Block]:
    """A chunk's lines as runs of text and the headings underlined in it with "===" or "---" (as
    markdown's setext headings are); a line of such characters under no heading is a rule, dropped."""
    parts: list[list[str] | Block] = []
    run: list[str] = []
    for line in lines:
        underline = _UNDERLINE.match(line)
        if underline and run and looks_like_heading(run[-1].strip()):
            title = run.pop().strip()
            parts += [run] if run else []
            parts.append(Block(kind="heading", text=title, heading_hint=1 if underline.group(1) == "=" else 2))
            run = []
        elif underline:
            parts += [run] if run else []
            run = []
        else:
            run.append(line)
    return parts + ([run] if run else [])


def _run_blocks(lines: list[str]) -> list[Block]:
    """The blocks of a run of lines with no blank line between them."""
    if _one_block_a_line(lines):  # a word processor's "plain text": a paragraph a line, no blank lines
        groups = [[line] for line in lines]
    elif len(lines) > 1 and NUMBERED.match(lines[0].strip()) and looks_like_heading(lines[0].strip()):
        groups = [lines[:1], lines[1:]]  # "2.4. Case studies" right above its text
    else:
        groups = [lines]
    return [block for group in groups for block in _chunk_blocks(group)]


def _one_block_a_line(lines: list[str]) -> bool:
    """Whether each line of a chunk is a whole paragraph, item or heading rather than one paragraph
    wrapped: nearly every line but the last ends a sentence, is an item, or is a numbered or title-set
    heading. In wrapped text few lines end where a sentence does."""
    if len(lines) < 3:
        return False
    whole = sum(
        ends_sentence(line) or bool(ITEM.match(line)) or _is_set_heading(line.strip()) for line in lines[:-1]
    )
    return whole >= 0.8 * (len(lines) - 1)


def _is_set_heading(line: str) -> bool:
    """A line that is a heading by its form, not only its length: numbered, or set as a title."""
    return looks_like_heading(line) and (bool(NUMBERED.match(line)) or title_case(line))


def is_page_heading(line: str) -> bool:
    """A line of paged text that is a heading: numbered, set as a title, or a dated case study."""
    return _is_set_heading(line) or (looks_like_heading(line) and bool(DATED.search(line)))


def _chunk_blocks(lines: list[str]) -> list[Block]:
    """The blocks of one chunk of plain text: a lone heading-like line, or paragraphs and items."""
    if not lines:
        return []
    if len(lines) == 1 and looks_like_heading(lines[0].strip()):
        line = lines[0].strip()
        return [Block(kind="heading", text=line, heading_hint=text_heading_hint(line))]
    if _TEXT_FOOTNOTE.match(lines[0]):  # "[2] RSA (2013) - New approaches to shared services ..."
        return [Block(kind="footnote", text=join_lines(lines))]
    blocks: list[Block] = []
    current: list[str] = []
    is_item = False
    for line in lines:
        item = ITEM.match(line)
        if item:
            if current:
                blocks.append(Block(kind="item" if is_item else "paragraph", text=join_lines(current)))
            current, is_item = [item.group(1)], True
        else:
            current.append(line)
    if current:
        blocks.append(Block(kind="item" if is_item else "paragraph", text=join_lines(current)))
    return blocks


