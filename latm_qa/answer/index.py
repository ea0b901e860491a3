"""The loaded index and its one entry point for questions: Index.load(path).ask(question)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..build.passages import embedding_texts
from ..errors import IndexMismatchError, ModelLoadError
from ..places.gazetteer import Gazetteer, case_study_councils
from ..retrieve.filters import Filters
from ..retrieve.prior import CONTACT_INTENT, QUANTITY_INTENT, Structure, has_contact_details, has_figure
from ..retrieve.scorers import (
    Bm25,
    clean_question,
    dense_scores,
    fuse,
    late_interaction,
    rrf,
    sentence_max,
)
from ..settings import Retriever, Settings, load_settings
from ..store.files import read_index_files
from ..types import Correction, Document, Hit, SearchResult
from .acronyms import acronym_table, expand_acronyms, recase_acronyms, report_acronyms
from .checks import (
    about_texts,
    after_the_report,
    corpus_vocabulary,
    last_year,
    nearest_sections,
    not_in_report,
    off_topic_councils,
)
from .counts import counted_thing, uncounted
from .present import best_sentences, citation
from .spelling import Speller

COUNT_DEPTH = 5  # "how many" is answered only if one of this many best passages counts the thing asked
SAME_THING = 0.6  # word cosine from which two words name the same thing ("staff", "employees": 0.72)


class Index:
    """A built index loaded from disk, ready to answer questions."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = Path(path)
        self.settings = settings
        (
            self.manifest, self.documents, self.passages, self.vectors, self.sentences, self.sentence_vectors,
            self.tokens,
        ) = read_index_files(self.path)
        self.model_name: str = self.manifest["model"]
        self.embed_headings = bool(self.manifest.get("settings", {}).get("embed_headings", True))
        texts = [d.text for d in self.documents]
        self.places = Gazetteer.from_texts(texts)
        # as the index was written: an index from before EMBEDDING_TEXT 2 has no councils in its headers
        written = self.manifest.get("settings", {}).get("embedding_text", 1)
        councils = case_study_councils(self.passages, self.places) if written >= 2 else {}
        self._embedded = embedding_texts(self.passages, self.embed_headings, councils)
        self.bm25 = Bm25(self._embedded)
        self._sentence_rows: list[list[int]] = [[] for _ in self.passages]
        for i, sentence in enumerate(self.sentences):
            self._sentence_rows[sentence["passage"]].append(i)
        self._sentence_starts = np.array(
            [rows[0] if rows else len(self.sentences) for rows in self._sentence_rows], dtype="int64"
        )
        self.structure = Structure.of(self.passages)
        self._contact_sentences = np.array([has_contact_details(s["text"]) for s in self.sentences], dtype=bool)
        # "Some of the challenges ... include:" introduces a list; it says nothing of its own.
        self._lead_ins = np.array([s["text"].rstrip().endswith(":") for s in self.sentences], dtype=bool)
        self._figures = np.array([has_figure(s["text"]) for s in self.sentences], dtype=bool)
        self._sentence_bm25 = Bm25([s["text"] for s in self.sentences]) if self.sentences else None
        self._about_text = about_texts(self.passages)
        self.vocabulary = corpus_vocabulary(texts)
        self._last_year = last_year(self.vocabulary)
        self._acronym_table = acronym_table(texts)
        self._acronyms = report_acronyms(texts)
        self._acronym_words = frozenset(self._acronyms | set(self._acronym_table))
        self._embedder = None
        self._reranker = None
        self._speller: Speller | None = None
        self._word_vectors: dict[str, np.ndarray] = {}

    @classmethod
    def load(cls, path: Path | str | None = None, model: str | None = None, settings: Settings | None = None) -> Index:
        """Load an index; refuse it if ``model`` is given and differs from the model it was built with."""
        settings = settings or load_settings()
        index = cls(Path(path) if path is not None else settings.index_dir, settings)
        if model is not None and model != index.model_name:
            raise IndexMismatchError(
                f"index at {index.path} was built with model {index.model_name!r}, not {model!r}: "
                f"search without --model, or rebuild with `latm-qa ingest --model {model} --index {index.path}`"
            )
        return index

    @property
    def embedder(self):
        if self._embedder is None:
            from ..embed.model import load_embedder

            self._embedder = load_embedder(self.model_name)
        return self._embedder

    @property
    def reranker(self):
        """The configured cross-encoder, loaded on first use; a clear error when none is configured."""
        if self._reranker is None:
            if not self.settings.reranker:
                raise ModelLoadError(
                    "the rerank retriever needs a cross-encoder: pass --reranker DIR (or set LATM_QA_RERANKER) "
                    "with the folder of one, or choose another --retriever such as fused"
                )
            from ..embed.cross_encoder import load_reranker

            self._reranker = load_reranker(self.settings.reranker)
        return self._reranker

    @property
    def speller(self) -> Speller:
        """The report's words and names for reading typos, built on first use (see spelling.py)."""
        if self._speller is None:
            self._speller = Speller.from_texts([d.text for d in self.documents], self.embedder.is_whole_word)
        return self._speller

    def spell(self, question: str) -> tuple[str, tuple[Correction, ...]]:
        """The question with misspelt words read as the report's own, and what was read so."""
        return self.speller.correct(question) if self.settings.correct_spelling else (question, ())

    def did_you_mean(self, unknown: list[str]) -> tuple[str, ...]:
        """The report's names that names it never mentions may have meant ("Stafordshir": Staffordshire)."""
        words = [word for name in unknown for word in name.split()]  # "Stafordshir Moorlands": each word
        return tuple(dict.fromkeys(meant for word in words if (meant := self.speller.suggest(word))))

    def rerank(self, question: str, rows: list[int]) -> tuple[list[int], np.ndarray]:
        """The rows re-ordered by the cross-encoder, and its score of each (in the new order)."""
        texts = [self._embedded[row] for row in rows]
        scores = self.reranker.scores(question, texts)
        order = np.argsort(-scores, kind="stable")
        return [rows[i] for i in order], scores[order]

    def answer_scores(self, question: str, per_sentence: np.ndarray) -> np.ndarray:
        """How well each sentence answers, for highlights and the short answer: its cosine to the question
        plus its BM25 (scaled to the best sentence's). A contact line ("For further information,
        contact ...") counts only when the question asks for one, and a list's lead-in ("... include:")
        only when its passage has nothing else. Asked for a figure ("how much", what a council earned), a
        sentence with a figure in it gains a little."""
        scores = per_sentence
        if self._sentence_bm25 is not None and self.settings.answer_bm25_weight:
            bm25 = self._sentence_bm25.scores(question)
            if bm25.max() > 0:
                scores = scores + self.settings.answer_bm25_weight * bm25 / bm25.max()
        if self._contact_sentences.any() and not re.search(CONTACT_INTENT, question.lower()):
            scores = np.where(self._contact_sentences, scores - 1.0, scores)
        if re.search(QUANTITY_INTENT, question.lower()):
            scores = scores + 0.1 * self._figures
        return np.where(self._lead_ins, scores - 1.0, scores)

    def not_counted(self, question: str, rows: list[int]) -> str:
        """What a "how many" question counts ("staff") when the passages ``rows`` speak of it but none
        counts it, else ""."""
        thing = counted_thing(question)
        if not thing or not rows:
            return ""
        sentences = [self.sentences[i]["text"] for row in rows for i in self._sentence_rows[row]]
        return thing if uncounted(thing, sentences, self._means_the_same) else ""

    def _means_the_same(self, word: str, words: list[str]) -> bool:
        """Whether any of the words means what ``word`` does ("employees" for "staff"), by the embedder's
        cosine of the single words; each word is encoded once per loaded index."""
        new = [w for w in dict.fromkeys([word, *words]) if w not in self._word_vectors]
        if new:
            self._word_vectors.update(zip(new, self.embedder.encode(new), strict=True))
        vectors = np.stack([self._word_vectors[w] for w in words])
        return bool((vectors @ self._word_vectors[word]).max() >= SAME_THING)

    def _hits(
        self, question: str, per_sentence: np.ndarray, final: np.ndarray, order: list[int], scores: list[float],
        retriever: str,
    ) -> list[Hit]:
        """The ranked rows as hits, each with the sentences that best answer the question highlighted."""
        answering = self.answer_scores(question, per_sentence)
        hits = []
        for rank, (row, score) in enumerate(zip(order, scores, strict=True), 1):
            spans = best_sentences(answering, self._sentence_rows[row], self.sentences)
            hits.append(
                Hit(
                    rank=rank,
                    score=score,
                    passage=self.passages[row],
                    highlights=tuple((s, e) for s, e, _ in spans),
                    fused_score=float(final[row]) if retriever == "rerank" else None,
                )
            )
        return hits

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)

    def scores(self, question: str, retriever: Retriever | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(final scores and dense scores of every passage, cosine of every sentence) for a cleaned question.

        fused (default): dense cosine + best-sentence cosine + scaled BM25 + a structure prior (the
        part of the model the question asks about, or contact details) + late interaction of the
        question's and passages' word-piece vectors, less ``cover_step`` for the report's cover (plus it when
        the question asks for the report's title), then the topic step (contact and reading-list
        entries on the topic of the best passage); hybrid: RRF of dense and BM25; late: late interaction;
        rerank: fused (the cross-encoder re-scores its best passages in ``ask``).
        """
        retriever = retriever or self.settings.retriever
        question = recase_acronyms(question, self._acronym_words, self.embedder.is_whole_word)
        question = expand_acronyms(question, self._acronym_table, self.vocabulary, self._acronyms)
        question = self.places.expand(question)
        query, query_tokens, pieces = self.embedder.encode_query_tokens(question)
        dense = dense_scores(self.vectors, query)
        per_sentence = self.sentence_vectors @ query  # for the fused score and for highlights
        if retriever == "dense":
            return dense.astype("float64"), dense, per_sentence
        late = late_interaction(query_tokens, pieces, self.tokens)
        if retriever == "late":
            return late.astype("float64"), dense, per_sentence
        bm25 = self.bm25.scores(question)
        if retriever == "bm25":
            return bm25.astype("float64"), dense, per_sentence
        if retriever == "hybrid":
            return rrf([dense, bm25], [1.0, 1.0], self.settings.rrf_k), dense, per_sentence
        sentences = sentence_max(per_sentence, self._sentence_starts, len(self.passages))
        prior = self.structure.prior(question)
        s = self.settings
        weights = (s.sentence_weight, s.bm25_weight, s.prior_weight, s.late_weight)
        final = fuse(dense, sentences, bm25, prior, late, weights) + s.cover_step * self.structure.cover_step(question)
        if s.topic_weight:
            final = final + s.topic_weight * self.structure.topic(question, final)
        return final.astype("float64"), dense, per_sentence

    def search(
        self, question: str, k: int = 5, retriever: Retriever | None = None, filters: Filters | None = None
    ) -> list[Hit]:
        """The k best passages for a question."""
        return list(self.ask(question, k=k, retriever=retriever, filters=filters, abstain=False).hits)

    def ask(
        self,
        question: str,
        k: int = 5,
        retriever: Retriever | None = None,
        filters: Filters | None = None,
        abstain: bool = True,
        keep_hits: bool = False,
    ) -> SearchResult:
        """Answer a question: ranked hits with highlights and a short answer, or an abstention."""
        retriever = retriever or self.settings.retriever
        typed, truncated = clean_question(question, self.settings.max_question_chars)
        text, corrections = self.spell(typed)
        if filters:
            filters.check(self.passages)  # a filter naming nothing is an error, not "not in the report"
        final, dense, per_sentence = self.scores(text, retriever)
        mask = filters.mask(self.passages) if filters else np.ones(len(self.passages), dtype=bool)
        ranked = [int(i) for i in np.argsort(-final, kind="stable") if mask[i]]
        order = ranked[: max(1, k)]
        scores = [float(final[row]) for row in order]
        confidence = float(dense[mask].max()) if mask.any() else 0.0
        unknown = not_in_report(text, self.vocabulary, self.places, self._acronym_table, self.embedder.is_whole_word)
        off_topic = ()
        if ranked and self.settings.abstain_off_topic:
            off_topic = off_topic_councils(text, self._about_text[ranked[0]], self.places)
        after = after_the_report(text, self._last_year)
        not_counted = self.not_counted(text, ranked[:COUNT_DEPTH]) if self.settings.abstain_uncounted else ""
        abstained = abstain and bool(
            unknown or after or off_topic or not_counted or confidence < self.settings.abstain_below
        )
        shown = keep_hits or not abstained  # no cross-encoder or highlighting time on hits not shown
        if retriever == "rerank" and shown:
            order, reranked = self.rerank(text, ranked[: max(k, self.settings.rerank_depth)])
            order, scores = order[: max(1, k)], [float(x) for x in reranked[: max(1, k)]]
        hits = self._hits(text, per_sentence, final, order, scores, retriever) if shown else []
        places = tuple(r for r in self.places.described(text) if r.councils)
        if abstained:
            meant = self.did_you_mean(unknown)
            named = self.places.named(text) if off_topic else self.places.named(" ".join(meant))
            suggestions = nearest_sections(ranked, order, self.passages, self._about_text, self.places, named)
            return SearchResult(
                question=typed,
                hits=tuple(hits),
                abstained=True,
                suggestions=suggestions,
                truncated=truncated,
                confidence=confidence,
                not_in_report=tuple(unknown),
                places=places,
                retriever=retriever,
                off_topic=off_topic,
                corrections=corrections,
                did_you_mean=meant,
                not_counted=not_counted,
                after_the_report=after,
            )
        answer, answer_citation = "", ""
        if hits and hits[0].highlights:
            start, end = hits[0].highlights[0]
            answer, answer_citation = hits[0].passage.text[start:end].strip(), citation(hits[0].passage)
        return SearchResult(
            question=typed,
            hits=tuple(hits),
            answer=answer,
            answer_citation=answer_citation,
            truncated=truncated,
            confidence=confidence,
            not_in_report=tuple(unknown),
            places=places,
            retriever=retriever,
            corrections=corrections,
        )

    def sections(self) -> list[dict]:
        """The section tree of every document with passage counts and pages."""
        counts: dict[tuple[str, tuple[str, ...]], int] = {}
        for p in self.passages:
            counts[(p.document, p.heading_path)] = counts.get((p.document, p.heading_path), 0) + 1
        return [
            {
                "section": s.number,
                "title": s.title,
                "heading_path": list(s.heading_path),
                "level": s.level,
                "pages": list(s.pages),
                "passages": counts.get((s.document, s.heading_path), 0),
                "kind": s.kind,
                "document": s.document,
            }
            for d in self.documents
            for s in d.sections
        ]
