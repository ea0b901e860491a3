"""Retrieve: score every passage for a question. Scorers (dense, BM25, late interaction, best sentence,
structure prior) each in a module of their own; ``fusion`` combines them; ``retrievers`` names the
combinations a question can be ranked by; ``filters`` restricts a search to documents, chapters, parts."""

from __future__ import annotations

from .corpus import Corpus
from .filters import Filters
from .retrievers import RETRIEVERS, QueryVectors, Scores, score

__all__ = ["RETRIEVERS", "Corpus", "Filters", "QueryVectors", "Scores", "score"]
