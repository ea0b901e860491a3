"""Which sentences answer the question: the scores behind highlights and the short answer.

A sentence's score is its cosine to the question and its BM25 (Highlighter.answer_scores), plus, for the
sentences of the passages shown:

- its late interaction: each content word piece of the question matched to its closest word piece of
  the sentence, as the passage was embedded (the pieces keep their passage's context, so "it" in a
  case study still leans towards its council);
- a step up when it holds an answer of the kind asked (kinds.py): a sum of money for "how much", a count
  for "how many", a year or month for "when", a name for "who", an e-mail or telephone number for
  "whom should I contact". The sentence next to the figure never wins over the figure's own sentence
  only because it repeats more of the question's words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from ..retrieve import QueryVectors
from ..retrieve.prior import has_contact_details, has_figure
from ..text import LEANS_BACK, QUESTION_STOP_WORDS, TABLE_ROW, leading_rows, read_row, table_header_size
from ..types import Passage
from .counts import counted_words
from .figures import gives_figure
from .kinds import answer_kind

if TYPE_CHECKING:
    from .index import Index
    from .query import Query

_MONTH = r"January|February|March|April|May|June|July|August|September|October|November|December"
_WHEN = re.compile(rf"\b(?:19|20)\d\d\b|\b(?:{_MONTH})\b|\b(?:spring|summer|autumn|winter)\b", re.I)
_SPAN = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|twenty)[- ]"
    r"(?:years?|months?|weeks?|days?)\b",
    re.I,
)
_PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'’&-]+")  # a capitalised word that does not begin the sentence
UNREAD = 0.5  # a sentence's late interaction when its word pieces were cut from the passage's vectors


def gives_kind(kind: str, sentence: str, context: str = "") -> bool:
    """Whether a sentence holds an answer of the kind asked (see kinds.py); ``context`` (heading path and
    passage) gives a table row's unit."""
    if kind in ("money", "percentage", "rate"):
        return gives_figure(kind, sentence, context)
    if kind == "count":
        return bool(counted_words(sentence))
    if kind == "figure":
        return has_figure(sentence)
    if kind == "date":
        return bool(_WHEN.search(sentence))
    if kind == "duration":
        return bool(_SPAN.search(sentence) or _WHEN.search(sentence))
    if kind == "contact":
        return has_contact_details(sentence) or bool(_PHONE.search(sentence))
    if kind in ("who", "place"):
        return bool(_NAME.search(sentence))
    return False


class SentenceTokens:
    """Which of a passage's token vectors belong to each of its sentences, worked out when first needed
    (by tokenising the passage as it was embedded) and kept for the life of the loaded index."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.starts: dict[int, tuple[np.ndarray, int] | None] = {}

    def of(self, row: int) -> tuple[np.ndarray, int] | None:
        """(each kept word piece's start in the embedded text, where the passage's own text begins there),
        or None when they cannot be matched to the stored vectors (another model, an older index)."""
        if row not in self.starts:
            index = self.index
            embedded, text = index.corpus.embedded[row], index.passages[row].text
            found = None
            if embedded.endswith(text) and hasattr(index.embedder, "token_starts"):
                starts = index.embedder.token_starts(embedded)
                if len(starts) == int(index.corpus.tokens.counts[row]):
                    found = (starts, len(embedded) - len(text))
            self.starts[row] = found
        return self.starts[row]

    def scores(self, vectors: QueryVectors | None, row: int) -> np.ndarray | None:
        """The late interaction of each of the passage's sentences with the question, or None."""
        found = self.of(row)
        if found is None or vectors is None or not len(vectors.tokens):
            return None
        keep = [i for i, piece in enumerate(vectors.pieces) if piece.lstrip("#").lower() not in QUESTION_STOP_WORDS]
        if not keep:
            return None
        starts, offset = found
        corpus = self.index.corpus
        similarity = vectors.tokens[keep] @ corpus.tokens.rows(row)[: len(starts)].T
        out = []
        for i in corpus.sentence_rows[row]:
            sentence = corpus.sentences[i]
            inside = (starts >= offset + sentence["start"]) & (starts < offset + sentence["end"])
            out.append(float(similarity[:, inside].max(axis=1).mean()) if inside.any() else UNREAD)
        return np.array(out)


def sentence_late(index: Index, query: Query, vectors: QueryVectors | None, row: int) -> np.ndarray | None:
    """SentenceTokens.scores for one passage, worked out once per question for the question's own vectors
    (highlights and confidence both read them); a part of the question (compose.py) is scored afresh."""
    if vectors is not query.vectors:
        return index.sentence_tokens.scores(vectors, row)
    if row not in query.late_cache:
        query.late_cache[row] = index.sentence_tokens.scores(vectors, row)
    return query.late_cache[row]


def answering_scores(index: Index, query: Query, text: str = "", vectors: QueryVectors | None = None) -> np.ndarray:
    """Every sentence's score as an answer to the question (or to ``text``, a part of it, with its
    ``vectors``), with late interaction and the asked kind counted for the sentences of the passages shown."""
    settings, corpus = index.settings, index.corpus
    text, vectors = (text, vectors) if vectors is not None else (query.text, query.vectors)
    per_sentence = query.scores.per_sentence if vectors is query.vectors else corpus.sentence_scores(
        vectors.vector, None if query.scores.candidates is None else np.array(query.order, dtype="int64")
    )
    scores = index.highlighter.answer_scores(text, per_sentence, settings.answer_bm25_weight).astype("float64")
    kind = answer_kind(text)
    for row in query.order:
        rows = corpus.sentence_rows[row]
        if not rows:
            continue
        late = sentence_late(index, query, vectors, row) if settings.answer_late_weight else None
        if late is not None:
            scores[rows] += settings.answer_late_weight * late
        if kind != "other" and settings.answer_kind_weight:
            passage = index.passages[row]
            context = f"{' / '.join(passage.heading_path)}\n{passage.text}"
            asked = [gives_kind(kind, corpus.sentences[i]["text"], context) for i in rows]
            scores[rows] += settings.answer_kind_weight * np.array(asked, dtype="float64")
    return scores


def answer_text(passage: Passage, start: int, end: int) -> str:
    """A span of a passage as an answer: a table's row is read with its columns' labels ("Total policy
    decisions — 2017-18: -1,710; 2018-19: -665; …")."""
    text = passage.text[start:end].strip()
    if TABLE_ROW.fullmatch(text):
        rows = leading_rows(passage.shown_text)
        text = read_row(rows[: table_header_size(rows)], text)
    return text


def answer_span(scores: np.ndarray, rows: list[int], sentences: list[dict], margin: float) -> tuple[int, int]:
    """The short answer's span in a passage: its best sentence, joined by the sentence before or after it
    when that one scores within ``margin`` of it (a figure's sentence and the one saying what it bought);
    else by the next sentence when that one leans on it ("This has saved ..."), else by the one before when
    the best leans on that one, so that the answer says what its "this" or "they" is."""
    local = scores[rows]
    best = int(np.argmax(local))
    start, end = sentences[rows[best]]["start"], sentences[rows[best]]["end"]
    near = [j for j in (best - 1, best + 1) if 0 <= j < len(rows) and local[j] >= local[best] - margin]
    if not near and best + 1 < len(rows) and LEANS_BACK.match(sentences[rows[best + 1]]["text"]):
        near = [best + 1]
    elif not near and best > 0 and LEANS_BACK.match(sentences[rows[best]]["text"]):
        near = [best - 1]
    if near:
        other = sentences[rows[max(near, key=lambda j: local[j])]]
        start, end = min(start, other["start"]), max(end, other["end"])
    return start, end
