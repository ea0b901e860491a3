"""Ranking: dense (FAISS inner product), BM25 (bm25s, stemmed, stop words), and their fusion."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection

import numpy as np

from .errors import QueryError
from .types import TokenVectors

_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_question(question: object, max_chars: int = 2000) -> tuple[str, bool]:
    """Normalise a question: control and bidi characters out, whitespace collapsed, long ones cut.

    Returns the cleaned question and whether it was cut.
    """
    if not isinstance(question, str):
        raise QueryError(f"the question must be text, got {type(question).__name__}")
    text = _INVISIBLE.sub("", question)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    if not re.search(r"\w", text):
        raise QueryError(
            'the question is empty: type a question about the report, e.g. "What did Essex earn from traded services?"'
        )
    cut = len(text) > max_chars
    if cut:
        text = text[:max_chars].rsplit(" ", 1)[0] or text[:max_chars]
    return text, cut


class Bm25:
    """A bm25s index over the passages' texts, with an English stemmer and stop words."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s
        import Stemmer

        self._bm25s = bm25s
        self.stemmer = Stemmer.Stemmer("english")
        self.size = len(texts)
        self.model = bm25s.BM25()
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.model.index(tokens, show_progress=False)

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every passage for the question (zeros when no query term is known)."""
        tokens = self._bm25s.tokenize(
            [question], stopwords="en", stemmer=self.stemmer, show_progress=False, return_ids=False
        )
        if not tokens or not tokens[0]:
            return np.zeros(self.size, dtype="float32")
        return np.asarray(self.model.get_scores(tokens[0]), dtype="float32")


def dense_scores(index, query_vector: np.ndarray) -> np.ndarray:
    """Cosine similarity of the query to every passage (vectors are normalised; inner product)."""
    n = index.ntotal
    if n == 0:
        return np.zeros(0, dtype="float32")
    scores, rows = index.search(query_vector.reshape(1, -1).astype("float32"), n)
    out = np.full(n, -1.0, dtype="float32")
    valid = rows[0] >= 0
    out[rows[0][valid]] = scores[0][valid]
    return out


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each item under descending score (ties broken by position)."""
    order = np.argsort(-scores, kind="stable")
    out = np.empty(len(scores), dtype="int64")
    out[order] = np.arange(1, len(scores) + 1)
    return out


def rrf(score_lists: list[np.ndarray], weights: list[float], k: int = 60) -> np.ndarray:
    """Weighted reciprocal rank fusion over full score vectors."""
    total = np.zeros(len(score_lists[0]), dtype="float64")
    for scores, weight in zip(score_lists, weights, strict=True):
        total += weight / (k + ranks(scores))
    return total


def sentence_max(sentence_scores: np.ndarray, starts: np.ndarray, count: int) -> np.ndarray:
    """Best sentence score per passage; sentences are stored passage by passage, ``starts`` their first rows."""
    out = np.full(count, -1.0, dtype="float32")
    if len(sentence_scores):
        present = starts < len(sentence_scores)
        out[present] = np.maximum.reduceat(sentence_scores, starts[present])
    return out


# Word pieces of a question that say nothing about its topic: bm25s's English stop words and question words.
QUESTION_STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these they "
    "this to was will with what which who whom whose how why when where does did do can could would should its "
    "from were has have had".split()
)


def late_interaction(query_tokens: np.ndarray, pieces: list[str], tokens: TokenVectors) -> np.ndarray:
    """Per passage, the mean over the question's content word pieces of their best cosine with any word
    piece of the passage (late interaction, as in ColBERT, on the embedder's own token vectors)."""
    out = np.zeros(len(tokens.counts), dtype="float32")
    keep = [i for i, piece in enumerate(pieces) if piece.lstrip("#").lower() not in QUESTION_STOP_WORDS]
    present = tokens.counts > 0
    if not keep or not present.any():
        return out
    similarity = query_tokens[keep] @ tokens.matrix.T
    out[present] = np.maximum.reduceat(similarity, tokens.starts[present], axis=1).mean(axis=0)
    return out


def fuse(
    dense: np.ndarray,
    sentences: np.ndarray,
    bm25: np.ndarray,
    prior: np.ndarray,
    late: np.ndarray,
    weights: tuple[float, float, float, float],
) -> np.ndarray:
    """Linear fusion on the dense scale: BM25 is min-max scaled to the spread of the dense scores.

    weights: (best sentence, BM25, structure prior, late interaction), each added to the dense cosine.
    """
    sentence_weight, bm25_weight, prior_weight, late_weight = weights
    spread = float(dense.max() - dense.min()) if len(dense) else 0.0
    low, high = (float(bm25.min()), float(bm25.max())) if len(bm25) else (0.0, 0.0)
    scaled = (bm25 - low) / (high - low) * spread if high > low else np.zeros_like(bm25)
    return dense + sentence_weight * sentences + bm25_weight * scaled + prior_weight * prior + late_weight * late


_NAME_OR_YEAR = re.compile(r"(?<![\w'])(?:[A-Z][a-z][\w'-]*|(?:19|20)\d\d)\b")


def corpus_vocabulary(texts: list[str]) -> set[str]:
    """Lower-cased words of the report, with possessives and hyphenated parts also on their own."""
    vocab: set[str] = set()
    for text in texts:
        for word in re.findall(r"[\w'’-]+", text.lower()):
            word = re.sub(r"['’]s$", "", word)
            vocab.add(word)
            vocab.update(part for part in re.split(r"[-'’]", word) if part)
    return vocab


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Names and years the question uses that appear nowhere in the report ("Glasgow", "2019").

    The first word is skipped (capitalised anyway); possessives are reduced ("Kent's" -> "Kent").
    """
    out = []
    for match in _NAME_OR_YEAR.finditer(question):
        if match.start() == 0:
            continue
        word = re.sub(r"['’]s$", "", match.group(0))
        if word.lower() not in vocabulary and word not in out:
            out.append(word)
    return out


_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
_MINOR = {"of", "and", "the", "for", "in", "on", "to", "&"}


def _initials(words: list[str]) -> str:
    """Initials of the significant words, hyphenated parts counted apart ("arm's-length" -> AL)."""
    parts = [part for w in words if w.lower() not in _MINOR for part in w.split("-") if part]
    return "".join(part[0] for part in parts).upper()


def _same_phrase(a: str, b: str) -> bool:
    return re.sub(r"[\s-]+", " ", a).casefold() == re.sub(r"[\s-]+", " ", b).casefold()


def acronym_table(texts: list[str]) -> dict[str, str]:
    """Acronyms the report uses or could stand for, mapped to long forms found in the report.

    From explicit definitions ("arm's-length management organisation (ALMO)") and from capitalised
    phrases whose initials spell an acronym ("Local Government Association" -> LGA).
    """
    table: dict[str, str] = {}
    for text in texts:
        for match in re.finditer(r"((?:[\w'’-]+\s+){1,6}?)\(([A-Z]{2,6})\)", text):
            acronym, words = match.group(2), match.group(1).split()
            for start in range(len(words)):
                if _initials(words[start:]) == acronym:
                    table.setdefault(acronym, " ".join(words[start:]))
                    break
        for match in re.finditer(r"\b[A-Z][\w'’-]*(?:\s+(?:of|and|the|for|&)?\s*[A-Z][\w'’-]*){1,5}", text):
            words = match.group(0).split()
            for start in range(len(words) - 1):
                for end in range(start + 2, len(words) + 1):
                    phrase = words[start:end]
                    if phrase[0].lower() in _MINOR or phrase[-1].lower() in _MINOR:
                        continue
                    table.setdefault(_initials(phrase), " ".join(phrase))
    return table


def report_acronyms(texts: list[str]) -> set[str]:
    """Acronyms written in capitals in the report (ALMO, LBC, ICT)."""
    return {m for text in texts for m in re.findall(r"\b[A-Z]{2,6}\b", text)}


def _acronyms_in(question: str) -> list[str]:
    """The acronyms a question uses, each once, plurals made singular ("LEPs" -> LEP)."""
    return list(dict.fromkeys(re.sub(r"(?<=[A-Z]{2})s$", "", m.group(0)) for m in _ACRONYM.finditer(question)))


def unknown_acronyms(
    question: str, vocabulary: set[str], table: dict[str, str], is_whole_word: Callable[[str], bool]
) -> list[str]:
    """Acronyms the report neither uses nor spells out, and the embedder does not know as a word
    ("TUPE"; not "NHS", which it knows, nor "LGA", the report's "Local Government Association").
    A question typed all in capitals has no acronyms to tell apart."""
    if question.upper() == question:
        return []
    return [
        acronym
        for acronym in _acronyms_in(question)
        if acronym.lower() not in vocabulary and acronym not in table and not is_whole_word(acronym.lower())
    ]


def recase_acronyms(question: str, acronyms: Collection[str], is_whole_word: Callable[[str], bool]) -> str:
    """In a question typed all in lower case, the report's acronyms written as acronyms ("has the lga
    published…" -> "LGA"): words of three letters or more that spell one and are no word the embedder
    knows ("ict" and "hr" are left, as the embedder reads them whole)."""
    if any(ch.isupper() for ch in question):
        return question

    def recase(match: re.Match[str]) -> str:
        word = match.group(0)
        return word.upper() if word.upper() in acronyms and not is_whole_word(word) else word

    return re.sub(r"\b[a-z]{3,6}\b", recase, question)


def expand_acronyms(question: str, table: dict[str, str], vocabulary: set[str], acronyms: set[str]) -> str:
    """Add the report's long form after an acronym the report does not use ("LGA"), and the
    report's acronym after a long form it abbreviates ("London Borough Council" -> "LBC")."""
    extra = [table[a] for a in _acronyms_in(question) if a.lower() not in vocabulary and a in table]
    # a long form never runs across punctuation ("Cheltenham, Cotswold" is two names, not "CC")
    runs = [re.findall(r"[\w'’-]+", run) for run in re.split(r"[,;:.?!()/\"“”]", question)]
    for words in runs:
        for start, end in [(s, e) for s in range(len(words)) for e in range(s + 2, min(len(words), s + 6) + 1)]:
            phrase = words[start:end]
            if phrase[0].lower() in _MINOR or phrase[-1].lower() in _MINOR:
                continue
            acronym = _initials(phrase)
            capitalised = all(w[0].isupper() for w in phrase if w.lower() not in _MINOR)
            # a lower-case phrase counts only as the report's own long form ("carried it out" is not CIO)
            defined = _same_phrase(table.get(acronym, ""), " ".join(phrase))
            if acronym in acronyms and (capitalised or defined) and acronym not in question:
                extra.append(acronym)
    return question if not extra else f"{question} ({'; '.join(dict.fromkeys(extra))})"
