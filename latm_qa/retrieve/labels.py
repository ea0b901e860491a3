"""Numbered parts a question names: "year 6", "key stage 3", "Table 2.4", "objective 4", "Annex A".

Reports built of numbered parts of one kind (a curriculum's years, a plan's objectives, a budget's tables)
repeat the same words in every part, so words alone cannot tell "What do year 6 pupils learn about place
value?" from year 3's passage on place value, and BM25 drops a lone digit. A heading that names a
numbered part ("Year 6 programme of study", "Upper key stage 2 - years 5 and 6", "Table 2.4: Financial
transactions") is read as labels: (label, number) pairs, a label being the word before the number. A
question naming a label the report's headings number ("year 6") favours the passages under that number's
headings. Labels the headings never number ("count to 100", "multiples of 4") decide nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..text import QUESTION_STOP_WORDS, stem
from ..types import Passage

# a label and its number or numbers: "year 6", "years 5 and 6", "Table 2.4", "Annex A", "Box 1.A"
_NUMBER = r"(?:\d{1,3}(?:\.\d{1,3})*(?:\.[A-Z])?|[A-Z](?:\.\d{1,3})*)(?![\w%£$€/]|,\d)"
_LABELLED = re.compile(rf"\b([A-Za-z][A-Za-z-]+)\s+({_NUMBER}(?:\s*(?:,|and|to|-|–|&)\s*{_NUMBER})*)", re.I)
_EACH = re.compile(_NUMBER, re.I)
_LETTER = re.compile(r"^[A-Z](?:\.\d+)*$", re.I)


def labels(text: str) -> set[tuple[str, str]]:
    """The (label stem, number) pairs a text names: "Upper key stage 2 - years 5 and 6" gives
    (stage, 2), (year, 5), (year, 6). A letter is a number only as a capital ("Annex A", not "a")."""
    out = set()
    for match in _LABELLED.finditer(text):
        word = match.group(1).lower()
        if word in QUESTION_STOP_WORDS:
            continue
        for number in _EACH.findall(match.group(2)):
            if _LETTER.match(number) and not number[0].isupper():
                continue
            out.add((stem(word), number.upper()))
    return out


class Labels:
    """The labelled numbers of every passage's heading path, and which passages a question's labels favour."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.size = len(passages)
        self.rows: dict[tuple[str, str], list[int]] = {}  # (label, number) -> the passages under it
        for row, passage in enumerate(passages):
            for pair in labels(" / ".join(passage.heading_path)):
                self.rows.setdefault(pair, []).append(row)
        self.numbered = {label for label, _ in self.rows}

    def scores(self, question: str) -> np.ndarray:
        """1 for a passage whose headings name a numbered part the question names, else 0."""
        out = np.zeros(self.size, dtype="float64")
        for pair in labels(question):
            out[self.rows.get(pair, [])] = 1.0
        return out
