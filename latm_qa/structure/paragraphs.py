"""Numbered paragraphs: a report that numbers its paragraphs ("14. Agencies should ...", "8.14 The Government
will ...", with lettered items "(a)", "b.") is cited and searched by those numbers. A paragraph's number is an
integer with a dot ("14.") or a dotted number ("8.14") opening a block of some words; the report numbers its
paragraphs when the longest run of such blocks whose numbers rise holds at least ``MIN_PARAGRAPHS`` (an
ordered list that restarts at 1 adds nothing to it). A "heading" whose number continues the paragraphs'
numbering around it (paragraph 1, then "2. This extension", then paragraph 3) is one of them, whatever its
font."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import pairwise

from ..types import Block

MIN_PARAGRAPHS = 5  # numbered paragraphs rising in order before a report is read as numbering its paragraphs
MIN_WORDS = 8  # a numbered block of fewer words is a title kept as text ("2.1 Trade and other receivables")
# "14. Agencies ...", "8.14 The Government ...", "8.14. Where ...": the number, then text opening as a sentence does
PARAGRAPH_START = re.compile(r"(\d{1,3}\.(?=\s)|\d{1,3}(?:\.\d{1,3}){1,2}\.?(?=\s))\s+(?=[A-Z“\"‘'(])")
# a lettered item of a paragraph: "(d) ...", "d. ...", "d) ..."
ITEM_START = re.compile(r"(?:\(([a-z])\)|([a-z])[.)])\s+(?=\S)")
_BLOCK_BREAK = re.compile(r"\n\s*\n")
_NOTE = re.compile(r"\[\w{1,4}\]\s")  # a footnote as the readers set one ("[22] Any proposed ..."), no paragraph's


def opens_item(text: str) -> bool:
    """Whether a block opens as a paragraph's lettered item ("b. sharealike licences", "(d) where ...")."""
    return bool(ITEM_START.match(text))


def paragraph_number(text: str) -> str:
    """The number a block opens with as a numbered paragraph's does ("14" of "14. Agencies should ...",
    "8.14" of "8.14 The Government will ..."); "" for any other block."""
    match = PARAGRAPH_START.match(text)
    return match.group(1).rstrip(".") if match else ""


def numbered_paragraph(text: str) -> str:
    """The number of a numbered paragraph: a block that opens with one and runs to MIN_WORDS words or more
    (a short numbered line is a title); "" for any other block."""
    number = paragraph_number(text)
    return number if number and len(text.split(None, MIN_WORDS)) >= MIN_WORDS else ""


def _key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def follows(before: str, after: str) -> bool:
    """Whether paragraph number ``after`` comes right after ``before``: "13" -> "14", "8.13" -> "8.14", and a
    new chapter's first paragraph, "8.14" -> "9.1"."""
    a, b = _key(before), _key(after)
    if len(a) != len(b):
        return False
    if a[:-1] == b[:-1]:
        return b[-1] == a[-1] + 1
    return len(a) > 1 and a[:-2] == b[:-2] and b[-2] == a[-2] + 1 and b[-1] == 1


def demote_paragraph_headings(blocks: list[Block]) -> list[Block]:
    """Headings that are numbered paragraphs read as headings (a PDF's first line of one, set apart): in a
    report of numbered paragraphs, headings set between two of them whose numbers carry theirs on, one after
    another (paragraph 1, "2. This extension", paragraph 3), are paragraphs."""
    numbered = [
        (i, number)
        for i, b in enumerate(blocks)
        if b.kind == "heading" and (number := paragraph_number(b.text))
        or b.kind == "paragraph" and (number := numbered_paragraph(b.text))
    ]
    if sum(blocks[i].kind == "paragraph" for i, _ in numbered) < MIN_PARAGRAPHS:
        return blocks
    out = list(blocks)
    k = 1
    while k < len(numbered):
        m = k  # numbered[k:m] a run of headings, between numbered[k - 1] and numbered[m]
        while m < len(numbered) and blocks[numbered[m][0]].kind == "heading":
            m += 1
        chain = [number for _, number in numbered[k - 1 : m + 1]]
        between = blocks[numbered[k - 1][0]].kind == "paragraph" and m < len(numbered) and m > k
        if between and all(follows(a, b) for a, b in pairwise(chain)):
            for i, _ in numbered[k:m]:
                out[i] = Block(kind="paragraph", text=blocks[i].text, pages=blocks[i].pages)
        k = m + 1
    return out


def paragraph_starts(text: str, bodies: list[tuple[int, int]] | None = None) -> list[tuple[int, str]]:
    """Where the report's numbered paragraphs start in its text, (offset, number), in order: of the blocks
    opening with a paragraph's number (within ``bodies``, the sections' text without their headings, if
    given), the longest run whose numbers rise, when it holds at least MIN_PARAGRAPHS (else none: the report
    numbers no paragraphs; a list numbered 1, 2, 3 again and again is no run)."""
    found: list[tuple[int, str]] = []
    spans = sorted(bodies) if bodies is not None else [(0, len(text))]
    firsts = [start for start, _ in spans]
    for at in _block_starts(text, 0, len(text)):
        k = bisect_right(firsts, at) - 1
        if k < 0 or at >= spans[k][1]:
            continue
        stop = text.find("\n\n", at)
        if number := numbered_paragraph(text[at : stop if stop >= 0 else len(text)]):
            found.append((at, number))
    run = _rising(found)
    return run if len(run) >= MIN_PARAGRAPHS else []


def _rising(found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The longest run of ``found`` whose numbers rise (patience sorting)."""
    tails: list[int] = []  # tails[n]: index in found of the last number of the best rising run of n + 1
    back: list[int] = []
    for i, (_, number) in enumerate(found):
        key = _key(number)
        low, high = 0, len(tails)
        while low < high:
            mid = (low + high) // 2
            if _key(found[tails[mid]][1]) < key:
                low = mid + 1
            else:
                high = mid
        back.append(tails[low - 1] if low else -1)
        tails[low:low + 1] = [i]
    run, i = [], tails[-1] if tails else -1
    while i >= 0:
        run.append(found[i])
        i = back[i]
    return run[::-1]


def item_starts(text: str, starts: list[tuple[int, str]], bodies: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Where the lettered items of numbered paragraphs start, (offset, "14(d)"): a block opening "(d)" or
    "d." after paragraph 14's start and before the next one's, in the same section's text (``bodies``), its
    letters in order from "a"."""
    items: list[tuple[int, str]] = []
    for start, end in bodies:
        inside = [(at, number) for at, number in starts if start <= at < end]
        k, last = -1, ""
        for at in _block_starts(text, start, end):
            while k + 1 < len(inside) and inside[k + 1][0] <= at:
                k, last = k + 1, ""
            match = ITEM_START.match(text, at)
            letter = (match.group(1) or match.group(2)) if match else ""
            # "a", then the letter after the last: an item "i." after "d." numbers "d"'s own list (roman)
            if k >= 0 and letter and ord(letter) == (ord(last) + 1 if last else ord("a")):
                items.append((at, f"{inside[k][1]}({letter})"))
                last = letter
    return items


def note_starts(text: str, bodies: list[tuple[int, int]]) -> set[int]:
    """Where footnotes start (gathered at a section's end): a passage opening with one goes on with no paragraph."""
    return {at for start, end in bodies for at in _block_starts(text, start, end) if _NOTE.match(text, at)}


def _block_starts(text: str, start: int, end: int) -> list[int]:
    """Where the blocks of text[start:end] start (blocks are set apart by blank lines)."""
    return [start, *(start + m.end() for m in _BLOCK_BREAK.finditer(text[start:end]))]


def held(starts: list[tuple[int, str]], start: int, end: int, section_start: int, fresh: set[int]) -> tuple[str, ...]:
    """The numbers of ``starts`` a span [start, end) holds: those starting in it, and the one it goes on
    with (started before it, in the same section) unless it opens a paragraph or item of its own (``fresh``:
    where numbered paragraphs and items start)."""
    out = [number for at, number in starts if start <= at < end]
    before = [number for at, number in starts if section_start <= at < start]
    if before and start not in fresh:
        out.insert(0, before[-1])
    return tuple(out)
