"""Spaces a PDF's text lost: words run together on a line ("Forfurtherinformation, contactSteveMullineux")
split again at the document's own words.

A PDF need not draw spaces: many typesetters (TeX among them) move the pen between words instead, and
the text extractor guesses a space from the size of the move. Where a justified line is set tight, the
moves fall under its guess and the whole line comes out with its words run together. Such a line is
told by its few spaces for its length; each long run of letters on it is cut into words that the rest
of the document uses, fewest words first, and only where every piece is such a word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_LETTERS = re.compile(r"[^\W\d_]+")
_LONGEST = 24  # the longest word looked for inside a run
_RUN = 10  # letters from which a run may be several words
_SPARSE = 0.4  # a line with under this share of the document's usual spaces per letter lost its spaces


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each word (lower-cased) occurs in the texts."""
    return Counter(w.lower() for text in texts for w in _LETTERS.findall(text))


_ADDRESS = re.compile(r"\S*[@/]\S*|\S*[^\W\d_]\.[^\W\d_]\S*")  # an e-mail or web address: never respaced


def _spacing(text: str) -> tuple[int, int]:
    """(spaces, letters) of a line's prose, its addresses aside."""
    prose = _ADDRESS.sub("", text)
    return prose.count(" "), sum(ch.isalpha() for ch in prose)


def spaces_lost(text: str, usual: float) -> bool:
    """Whether a line has far fewer spaces than the document's usual share for its letters."""
    spaces, letters = _spacing(text)
    return letters >= 30 and spaces < _SPARSE * usual * letters


def usual_spacing(texts: list[str]) -> float:
    """The document's spaces per letter, over its longer lines."""
    counted = [_spacing(t) for t in texts if len(t) >= 30]
    letters = sum(n for _, n in counted)
    return sum(s for s, _ in counted) / letters if letters else 0.0


def respace(text: str, counts: Counter[str]) -> str:
    """A line with its run-together words apart: at a lower-to-upper case change ("contactSteve"), around
    a bracket between letters ("RSA(2013)New"), after a comma, and where a long run of letters splits into
    known words. Addresses stay as they are."""
    return " ".join(token if _ADDRESS.fullmatch(token) else _respace_token(token, counts) for token in text.split(" "))


def _respace_token(token: str, counts: Counter[str]) -> str:
    token = re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", " ", token)
    token = re.sub(r"(?<=[^\W\d_])(?=\()|(?<=\))(?=[^\W\d_])|(?<=[,;:])(?=[^\W\d_])", " ", token)
    return _LETTERS.sub(lambda m: _split_run(m.group(0), counts), token)


def _split_run(run: str, counts: Counter[str]) -> str:
    """A run of letters cut into the fewest words the document uses elsewhere, or left whole. One piece
    of five letters or more may be a word it does not use, at a cost that grows with its length, so long
    as known words make up at least half the run."""
    if len(run) < _RUN or counts[run.lower()] > 1:
        return run
    lower = run.lower()
    # best[i]: (cost, unknown letters, start of the last piece) of the cheapest cut of lower[:i]
    best: list[tuple[float, int, int] | None] = [(0.0, 0, 0)] + [None] * len(lower)
    for end in range(1, len(lower) + 1):
        for start in range(max(0, end - _LONGEST), end):
            piece, before = lower[start:end], best[start]
            if before is None or (len(piece) < 2 and piece not in ("a", "i")):
                continue
            known = counts[piece] > 0
            if not known and (len(piece) < 5 or before[1]):
                continue
            cost = 1.0 if known else 2 + len(piece) / 3
            option = (before[0] + cost, before[1] + (0 if known else len(piece)), start)
            if best[end] is None or option[:2] < best[end][:2]:  # type: ignore[index]
                best[end] = option
    cut = best[-1]
    if cut is None or cut[2] == 0 or 2 * cut[1] > len(lower):  # no cut, one piece, or mostly unknown
        return run
    cuts, end = [], len(lower)
    while end:
        start = best[end][2]  # type: ignore[index]
        cuts.append(run[start:end])
        end = start
    return " ".join(reversed(cuts))
