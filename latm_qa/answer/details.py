"""Detail checks: a question asking for a count, a figure or a year is answered only if the best passages
give one.

- "How many staff ...?" when the best passages speak of staff but never count them (counts.py);
- "How much ...?", "What percentage ...?" when none of them gives a figure of that kind on what the
  question is about (figures.py);
- "... in 2022?" when none of them speaks of 2022, however the report writes the year (dates.py): a
  report on growth to 2021 does not say what growth 2022 will bring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .counts import counted_thing, uncounted
from .dates import unspoken_years
from .figures import FIGURE_LABELS, asked_figure, unfigured
from .results import Check

if TYPE_CHECKING:
    from .index import Index
    from .query import Query

COUNT_DEPTH = 5  # "how many" is answered only if one of this many best passages counts the thing asked
SAME_THING = 0.6  # word cosine from which two words name the same thing ("staff", "employees": 0.72)
FIGURE_DEPTH = 3  # "how much" is answered only if one of this many best passages gives a figure on its topic
DATE_DEPTH = 5  # "in 2022" is answered only if one of this many best passages speaks of 2022


def not_counted_step(index: Index, query: Query) -> None:
    """What a "how many" question counts ("staff") when the best passages speak of it but none counts it;
    for "how much", "what percentage" or "what rate", the kind of figure when none of the best passages
    gives one on what the question is about (figures.py)."""
    thing, kind = counted_thing(query.text), asked_figure(query.text)
    corpus = index.corpus

    def sentences(depth: int) -> list[tuple[str, int]]:
        return [(corpus.sentences[i]["text"], row) for row in query.ranked[:depth] for i in corpus.sentence_rows[row]]

    if not query.ranked:
        return
    if thing:
        said = [text for text, _ in sentences(COUNT_DEPTH)]
        if uncounted(thing, said, lambda word, words: means_the_same(index, word, words)):
            reason = f"the passages closest to it give no number of {thing}"
            query.checks.append(Check("not_counted", reason, (thing,), True))
    elif kind:
        passages = index.passages
        headed = [(text, " / ".join(passages[row].heading_path), passages[row].text)
                  for text, row in sentences(FIGURE_DEPTH)]
        if unfigured(kind, query.text, headed):
            label = FIGURE_LABELS[kind]
            reason = f"the passages closest to it give no {label} on it"
            query.checks.append(Check("not_counted", reason, (label,), True))


def means_the_same(index: Index, word: str, words: list[str]) -> bool:
    """Whether any of the words means what ``word`` does ("employees" for "staff"), by the embedder's
    cosine of the single words; each word is encoded once per loaded index."""
    cache = index.word_vectors
    new = [w for w in dict.fromkeys([word, *words]) if w not in cache]
    if new:
        cache.update(zip(new, index.embedder.encode(new), strict=True))
    vectors = np.stack([cache[w] for w in words])
    return bool((vectors @ cache[word]).max() >= SAME_THING)


def not_dated_step(index: Index, query: Query) -> None:
    """The years the question asks about ("2022", "2016 to 2017") that none of the best passages speaks
    of, their tables' header rows and headings included."""
    passages = [index.passages[row] for row in query.ranked[:DATE_DEPTH]]
    texts = [f"{' / '.join(p.heading_path)}\n{p.shown_text}" for p in passages]
    years = unspoken_years(query.text, texts) if texts else []
    if years:
        reason = f"the passages closest to it say nothing of {' or '.join(years)}"
        query.checks.append(Check("not_dated", reason, tuple(years), True))
