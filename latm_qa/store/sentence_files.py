"""A version's sentences: where each starts and ends in its passage's text (sentence_spans.npy), the
text itself cut from the passage's when read. A version written before it stored each sentence with its
text (sentences.jsonl), read as it is."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..types import Passage

SENTENCES = "sentences.jsonl"  # each sentence with its text, before sentence_spans.npy
SENTENCE_SPANS = "sentence_spans.npy"  # (sentences, 3): its passage, and where it starts and ends in the text


def write_sentences(out: Path, sentences: list[dict]) -> None:
    spans = [(s["passage"], s["start"], s["end"]) for s in sentences]
    np.save(out / SENTENCE_SPANS, np.array(spans, dtype="int64").reshape(-1, 3), allow_pickle=False)


def read_sentences(data: Path, passages: list[Passage], load) -> list[dict]:
    """Each sentence as {"passage", "start", "end", "text"}: its text cut from its passage's (sentence_spans.npy),
    or as an older version stored it (sentences.jsonl)."""
    if not (data / SENTENCE_SPANS).is_file():
        with open(data / SENTENCES, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    spans = load(data / SENTENCE_SPANS)
    if spans.ndim != 2 or spans.shape[1] != 3:
        raise ValueError(f"{SENTENCE_SPANS} holds an array of shape {spans.shape}, not (sentences, 3)")
    lengths = np.array([len(p.text) for p in passages], dtype="int64")
    rows, starts, ends = spans[:, 0], spans[:, 1], spans[:, 2]
    inside = (rows >= 0) & (rows < len(passages))
    if not inside.all() or ((starts < 0) | (starts > ends) | (ends > lengths[rows])).any():
        raise ValueError(f"{SENTENCE_SPANS} names sentences outside their passages")
    texts = [p.text for p in passages]
    return [{"passage": r, "start": a, "end": b, "text": texts[r][a:b]} for r, a, b in spans.tolist()]
