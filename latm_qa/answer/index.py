"""The loaded index and its one entry point for questions: Index.load(path).ask(question)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..build.passages import embedding_texts
from ..errors import IndexMismatchError, ModelLoadError
from ..places.gazetteer import case_study_councils
from ..profile import Library
from ..retrieve import Corpus, Filters
from ..settings import Retriever, Settings, load_settings
from ..store.files import data_dir, read_index_files, read_knowledge
from ..store.search_files import read_search_files
from ..types import Document, Passage
from .cite import citation
from .highlight import Highlighter
from .pipeline import run
from .query import Query
from .report import ReportFacts
from .results import Hit, SearchResult
from .select import SentenceTokens
from .spelling import Speller


def load_library(path: Path, manifest: dict, documents: list[Document]) -> Library:
    """The index's report knowledge as ingest stored it, each document's own and the library's (profile.py)."""
    return Library.from_json(read_knowledge(path, manifest), documents)


@lru_cache(maxsize=1)
def one_blas_thread() -> None:
    """Run numpy's products on one thread in a process that answers questions: a question's are small
    (its word pieces against a few thousand), where waking a second thread costs more than it saves,
    3x so on a busy 2-core machine (as for the model's own threads: MODELS.md)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


class Index:
    """A built index loaded from disk, ready to answer questions."""

    def __init__(self, path: Path, settings: Settings) -> None:
        one_blas_thread()
        self.path = Path(path)
        self.settings = settings
        manifest, documents, passages, vectors, sentences, sentence_vectors, tokens = read_index_files(self.path)
        self.manifest, self.documents, self.passages = manifest, documents, passages
        self.model_name: str = manifest["model"]
        self.library = load_library(self.path, manifest, documents)
        self.knowledge = self.library.knowledge  # for one document, its own; for several, the library's view
        self.settings = replace(settings, **dict(self.knowledge.search))  # the report's own weights
        stored = read_search_files(data_dir(self.path, manifest), len(passages), len(sentences))
        placed = self.library.placed  # the gazetteer only for the documents whose own profile names it
        self.facts = ReportFacts.of(documents, passages, self.knowledge.gazetteer, stored.lexicons, placed)
        embedded = stored.embedded or self._embedded(manifest)
        own = dict(self.library.documents) if len(documents) > 1 else None  # each document's own part intents
        self.corpus = Corpus(
            passages, embedded, vectors, sentences, sentence_vectors, tokens, self.knowledge, stored.passages_bm25, own
        )
        self.highlighter = Highlighter(sentences, passages, stored.sentences_bm25)
        self.sentence_tokens = SentenceTokens(self)  # which token vectors make each sentence, when first needed
        self.word_vectors: dict[str, np.ndarray] = {}  # single words' vectors, for the count check
        self._embedder = None
        self._reranker = None
        self._speller: Speller | None = None

    def _embedded(self, manifest: dict) -> list[str]:
        """Each passage's text as embedded, for an index written before ingest stored them."""
        written = manifest.get("settings", {})
        # as the index was written: an index from before EMBEDDING_TEXT 2 has no councils in its headers
        named = self.facts.places.active and written.get("embedding_text", 1) >= 2
        placed = [p for p in self.passages if p.document in self.facts.placed]
        councils = case_study_councils(placed, self.facts.places) if named else {}
        return embedding_texts(self.passages, bool(written.get("embed_headings", True)), councils)

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

    def cite(self, passage: Passage) -> str:
        """A passage's citation, naming its document when the index holds several."""
        return citation(passage, with_document=len(self.documents) > 1)

    def search_settings(self, filters: Filters | None) -> Settings:
        """The settings a question is scored with: a document's own [search] weights when the index holds it
        alone (``settings``) or the question is asked of it alone (a document filter naming only it), else the
        library's (the defaults, unless every document's profile sets the same)."""
        if len(self.documents) < 2 or not filters or not filters.documents:
            return self.settings
        named = [d for d in self.documents if {d.doc_id, d.doc_id.split("#")[0]} & set(filters.documents)]
        own = self.library.of(named[0].doc_id) if len(named) == 1 else None
        return replace(self.settings, **dict(own.search)) if own else self.settings

    def ask(
        self,
        question: str,
        k: int = 5,
        retriever: Retriever | None = None,
        filters: Filters | None = None,
        abstain: bool = True,
        keep_hits: bool = False,
    ) -> SearchResult:
        """Answer a question: ranked hits with highlights and a short answer, or an abstention with the
        nearest sections. The question runs through the steps ``settings.steps`` names (see pipeline.py)."""
        query = Query(question, k, retriever or self.settings.retriever, filters, abstain, keep_hits)
        return run(self, query)

    def search(
        self, question: str, k: int = 5, retriever: Retriever | None = None, filters: Filters | None = None
    ) -> list[Hit]:
        """The k best passages for a question."""
        return list(self.ask(question, k=k, retriever=retriever, filters=filters, abstain=False).hits)

    @property
    def embedder(self):
        if self._embedder is None:
            from ..embed.model import load_embedder

            self._embedder = load_embedder(self.model_name, self.settings.backend)
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
            texts = [d.text for d in self.documents]
            self._speller = Speller.from_texts(texts, self.embedder.is_whole_word, self.facts.places.place_words())
        return self._speller

    def spell(self, question: str) -> tuple[str, tuple]:
        """The question with misspelt words read as the report's own, and what was read so."""
        return self.speller.correct(question) if self.settings.correct_spelling else (question, ())

    def did_you_mean(self, unknown: list[str]) -> tuple[str, ...]:
        """The report's names that names it never mentions may have meant ("Lancashir": Lancashire)."""
        words = [word for name in unknown for word in name.split()]  # a name of several words: each word
        return tuple(dict.fromkeys(meant for word in words if (meant := self.speller.suggest(word))))

    def rerank(self, question: str, rows: list[int]) -> tuple[list[int], np.ndarray]:
        """The rows re-ordered by the cross-encoder, and its score of each (in the new order)."""
        texts = [self.corpus.embedded[row] for row in rows]
        scores = self.reranker.scores(question, texts)
        order = np.argsort(-scores, kind="stable")
        return [rows[i] for i in order], scores[order]

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)

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
