"""The model on onnxruntime (the default) and on torch: the same vectors, the same rankings, a fallback."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

from latm_qa import Index
from latm_qa.embed.model import DEFAULT_MODEL, FALLBACKS, load_embedder, resolve_model

TEXTS = [
    "How much did the council save by sharing its back office?",
    "Essex County Council's traded services bring in income each year.",
    "A cooperative council works with residents to design and deliver services together, "
    "sharing power and responsibility for outcomes across the borough.",
]


@pytest.fixture(scope="module")
def torch_embedder():
    return load_embedder(DEFAULT_MODEL, "torch")


def test_the_default_runs_on_onnxruntime_with_torchs_vectors(embedder, torch_embedder):
    assert embedder.backend == "onnx-fp32" and DEFAULT_MODEL not in FALLBACKS
    assert torch_embedder.backend == "torch"
    for text in TEXTS:
        onnx, torch = embedder.encode_query(text), torch_embedder.encode_query(text)
        assert float(onnx @ torch) >= 0.999
    bulk_onnx, tokens_onnx = embedder.encode_with_tokens(TEXTS)
    bulk_torch, tokens_torch = torch_embedder.encode_with_tokens(TEXTS)
    assert ((bulk_onnx * bulk_torch).sum(axis=1) >= 0.999).all()
    for mine, theirs in zip(tokens_onnx, tokens_torch, strict=True):
        assert mine.shape == theirs.shape and ((mine * theirs).sum(axis=1) >= 0.999).all()
    vector, pieces_vectors, pieces = embedder.encode_query_tokens(TEXTS[0])
    assert pieces == torch_embedder.encode_query_tokens(TEXTS[0])[2] and len(pieces) == len(pieces_vectors)
    assert np.array_equal(embedder.token_starts(TEXTS[2]), torch_embedder.token_starts(TEXTS[2]))


def test_benchmark_rankings_are_the_same_on_either_backend(md_index):
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").open()][:40]
    on_torch = Index.load(md_index.path, settings=replace(md_index.settings, backend="torch"))
    assert on_torch.embedder.backend == "torch" and md_index.embedder.backend == "onnx-fp32"
    for question in questions:
        mine = [hit.passage.passage_id for hit in md_index.search(question, k=5)]
        theirs = [hit.passage.passage_id for hit in on_torch.search(question, k=5)]
        assert mine[0] == theirs[0] and len(set(mine) & set(theirs)) >= 4, question


def test_a_model_onnxruntime_cannot_run_falls_back_to_torch_and_says_why(tmp_path, torch_embedder):
    copy = tmp_path / "model-without-tokenizer-json"  # torch reads vocab.txt; the ONNX path needs tokenizer.json
    copy.mkdir()
    for item in Path(resolve_model(DEFAULT_MODEL)).iterdir():
        if item.name != "tokenizer.json":
            (copy / item.name).symlink_to(item)
    fallen = load_embedder(str(copy), "onnx")
    assert fallen.backend == "torch" and "tokenizer.json" in FALLBACKS[str(copy)]
    assert float(fallen.encode_query(TEXTS[0]) @ torch_embedder.encode_query(TEXTS[0])) > 0.9999
