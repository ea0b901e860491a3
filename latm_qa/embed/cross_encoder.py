"""Optional reranking: a cross-encoder from a local folder re-scores the fused retriever's best passages.

No cross-encoder ships its weights in a PyPI package (see README), so none is on by default: a user
with a local copy of one (e.g. cross-encoder/ms-marco-MiniLM-L6-v2) passes its folder with
``--reranker DIR`` or ``LATM_QA_RERANKER``. It is loaded offline and checked to be a cross-encoder
giving one relevance score per question-passage pair before it is trusted with a ranking.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelLoadError
from .model import TORCH_LOCK, quiet_transformers

_EXAMPLE = "a local copy of cross-encoder/ms-marco-MiniLM-L6-v2"


def locate(name: str) -> Path:
    """The folder a reranker setting points at: a path, or a hub name already in the local cache."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    if path.exists():
        raise ModelLoadError(f"reranker {name!r} is a file: give the model's folder (the one holding config.json)")
    if name.startswith((".", "~", "/")) or name.count("/") > 1 or "\\" in name:
        raise ModelLoadError(
            f"reranker folder {name!r} does not exist: give the folder of a cross-encoder ({_EXAMPLE})"
        )
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, local_files_only=True))
    except Exception:  # noqa: BLE001 - not cached, bad name, no hub: the same for a user
        raise ModelLoadError(
            f"reranker {name!r} is not on this machine, and models cannot be downloaded at run time: download it "
            f"where there is internet (huggingface-cli download {name} --local-dir DIR), copy DIR here and pass "
            "--reranker DIR"
        ) from None


def check_cross_encoder(name: str, folder: Path) -> None:
    """Refuse a folder that is not a one-score cross-encoder (an embedding model, an NLI classifier)."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ModelLoadError(
            f"reranker {name!r} is not a model folder (no readable config.json in {folder}): give the folder of a "
            f"cross-encoder ({_EXAMPLE})"
        ) from None
    architectures = [str(a) for a in config.get("architectures") or []]
    if not any(a.endswith("ForSequenceClassification") for a in architectures):
        named = ", ".join(architectures) or "no architecture"
        raise ModelLoadError(
            f"reranker {name!r} is not a cross-encoder (its config.json names {named}): a reranker scores "
            f"question-passage pairs, e.g. {_EXAMPLE}; an embedding model goes to `latm-qa ingest --model` instead"
        )
    labels = len(config.get("id2label") or {}) or int(config.get("num_labels", 1))
    if labels != 1:
        raise ModelLoadError(
            f"reranker {name!r} gives {labels} scores per pair (a classifier, such as NLI): a reranker must give "
            f"one relevance score, e.g. {_EXAMPLE}"
        )


class Reranker:
    """A cross-encoder scoring (question, passage) pairs on one thread, like query encoding."""

    def __init__(self, name: str) -> None:
        folder = locate(name)
        check_cross_encoder(name, folder)
        from sentence_transformers import CrossEncoder

        quiet_transformers()
        try:
            self.model = CrossEncoder(str(folder), device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - many loader errors mean the same to a user
            raise ModelLoadError(
                f"cannot load reranker {name!r} from {folder} offline ({exc.__class__.__name__}): check that the "
                f"folder holds a whole cross-encoder ({_EXAMPLE})"
            ) from None
        self.name = name

    def scores(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """One relevance score per text, higher is better."""
        if not texts:
            return np.zeros(0, dtype="float64")
        with TORCH_LOCK:
            out = self.model.predict([(question, t) for t in texts], batch_size=32, show_progress_bar=False)
        return np.asarray(out, dtype="float64").reshape(len(texts))


@lru_cache(maxsize=2)
def load_reranker(name: str) -> Reranker:
    """One Reranker per setting per process."""
    return Reranker(name)
