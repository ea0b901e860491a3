"""Embed: the sentence-embedding model (model.py: passages on every core, questions on one thread) and an
optional cross-encoder that re-scores the best passages (cross_encoder.py). Both load offline."""

from __future__ import annotations

from .model import Embedder, load_embedder, resolve_model

__all__ = ["Embedder", "load_embedder", "resolve_model"]
