"""Numbered parts a question names: "year 6", "key stage 3", "Table 2.4", "objective 4", "Annex A".

Reports built of numbered parts of one kind (a curriculum's years, a plan's objectives, a budget's tables)
repeat the same words in every part, so words alone cannot tell "What do year 6 pupils learn about place
value?" from year 3's passage on place value, and BM25 drops a lone digit. A heading that names a
numbered part ("Year 6 programme of study", "Upper key stage 2 - years 5 and 6", "Table 2.4: Financial
transactions") is read as labels: (label, number) pairs, a label being the word before the number. A
question naming a label the report's headings number ("year 6") favours the passages under that number's
headings. Labels the headings never number ("count to 100", "multiples of 4") decide nothing.

A report that numbers its paragraphs ("8.14 Agencies should ...", items "(a)", "(b)") is asked by those
numbers: "paragraph 8.14", "para 14(d)", "paras 13 and 14", or a bare "8.14(d)" or "8.14". A question naming
one favours the passages holding that paragraph (build/passages.py records them), and, naming an item,
the passages holding that item most.
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
# A named paragraph is an exact reference, scored this many times a heading's label: the words around it
# ("paragraph", "say") match any passage quoting "paragraph 28 of Schedule 4". Synthetic questions naming
# a held paragraph or item ("What does paragraph 33 say?", 55/55/40 on nzgoal md/pdf and the DEA code md),
# top passage holding it at label_weight 0.4: scored 1, 0.58/0.62/0.65; 2, 0.93/0.93/1.0; 3, 1.0/0.98/1.0.
PARAGRAPH_SCORE = 3.0
# a paragraph's number and item as a question writes them: "8.14", "14(d)", "8.14 (d)"
_PARA = r"(\d{1,3}(?:\.\d{1,3}){0,2})(?:\s?\(([a-z])\))?"
_NAMED_PARAGRAPHS = re.compile(
    rf"(?:\bparagraphs?|\bparas?\.?|¶|§)\s*({_PARA}(?:\s*(?:,|and|to|-|–|&)\s*{_PARA})*)", re.I
)
_EACH_PARAGRAPH = re.compile(_PARA, re.I)
# a bare "8.14" or "14(d)": not a sum, a share or a count ("£8.14", "1.5 million", "2.5%")
_BARE_PARAGRAPH = re.compile(
    r"(?<![\w.£$€/-])(\d{1,3}(?:\.\d{1,3}){1,2}(?:\s?\([a-z]\))?|\d{1,3}\s?\([a-z]\))(?![\w%£$€/]|\.\d|,\d)"
    r"(?!\s*(?:million|billion|trillion|bn|m\b|per\s?cent|percent|times|years?|months?|weeks?|days?))", re.I
)


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


def paragraph_refs(question: str) -> set[tuple[str, str]]:
    """The numbered paragraphs a question names, each with the item it names or "": "What does paragraph
    8.14(d) recommend?" gives ("8.14", "d"); "paras 13 and 14" gives ("13", ""), ("14", ""); a bare number
    set after a label ("Table 2.4") is that label's."""
    refs = set()
    for match in _NAMED_PARAGRAPHS.finditer(question):
        refs |= {(number, letter.lower()) for number, letter in _EACH_PARAGRAPH.findall(match.group(1))}
    labelled = {number for _, number in labels(question)}  # "Table 2.4" names a table, not paragraph 2.4
    for match in _BARE_PARAGRAPH.finditer(question):
        number, letter = _EACH_PARAGRAPH.match(match.group(1)).groups()
        if number not in labelled or letter:
            refs.add((number, (letter or "").lower()))
    return refs


class Labels:
    """The labelled numbers of every passage's heading path, and which passages a question's labels favour."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.size = len(passages)
        self.rows: dict[tuple[str, str], list[int]] = {}  # (label, number) -> the passages under it
        for row, passage in enumerate(passages):
            for pair in labels(" / ".join(passage.heading_path)):
                self.rows.setdefault(pair, []).append(row)
        self.numbered = {label for label, _ in self.rows}
        self.paragraphs: dict[str, list[int]] = {}  # a numbered paragraph ("8.14") or item ("8.14(d)") -> its passages
        for row, passage in enumerate(passages):
            for number in (*passage.paragraphs, *passage.paragraph_items):
                self.paragraphs.setdefault(number, []).append(row)

    def scores(self, question: str) -> np.ndarray:
        """1 for a passage whose headings name a numbered part the question names; PARAGRAPH_SCORE for one that
        holds a numbered paragraph it names (half that, holding the paragraph but not the item it names:
        "8.14(d)"); else 0."""
        out = np.zeros(self.size, dtype="float64")
        for pair in labels(question):
            out[self.rows.get(pair, [])] = 1.0
        if self.paragraphs:
            for number, item in paragraph_refs(question):
                holding = self.paragraphs.get(number, [])
                items = self.paragraphs.get(f"{number}({item})", []) if item else []
                out[holding] = np.maximum(out[holding], PARAGRAPH_SCORE / 2 if items else PARAGRAPH_SCORE)
                out[items] = PARAGRAPH_SCORE
        return out
