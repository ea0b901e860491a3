"""A version's sentences stored as spans of their passages' texts, read back with their text."""

from __future__ import annotations

import json

import numpy as np
import pytest

from latm_qa.store.files import load_npy
from latm_qa.store.sentence_files import read_sentences, write_sentences
from latm_qa.types import Passage


def _passage(i: int, text: str) -> Passage:
    path = ("1. Part", "Case")
    return Passage(f"p{i}", "doc", "Doc", "", path[-1], path[0], path, text, 0, len(text))


PASSAGES = [_passage(0, "Savings were £3m. Staff moved."), _passage(1, "Contact a@b.gov.uk today.")]
SENTENCES = [{"passage": 0, "start": 0, "end": 17, "text": "Savings were £3m."},
             {"passage": 0, "start": 18, "end": 30, "text": "Staff moved."},
             {"passage": 1, "start": 0, "end": 25, "text": "Contact a@b.gov.uk today."}]


def test_sentences_come_back_with_their_text_cut_from_the_passage(tmp_path):
    write_sentences(tmp_path, SENTENCES)
    assert not (tmp_path / "sentences.jsonl").exists()
    assert read_sentences(tmp_path, PASSAGES, load_npy) == SENTENCES


def test_an_older_version_s_sentences_file_is_read_as_stored(tmp_path):
    (tmp_path / "sentences.jsonl").write_text("".join(json.dumps(s) + "\n" for s in SENTENCES), encoding="utf-8")
    assert read_sentences(tmp_path, PASSAGES, load_npy) == SENTENCES


@pytest.mark.parametrize("spans", [[[2, 0, 3]], [[0, 5, 40]], [[1, 9, 3]], [[0, 1]]])
def test_spans_outside_their_passages_are_refused(tmp_path, spans):
    np.save(tmp_path / "sentence_spans.npy", np.array(spans, dtype="int64"))
    with pytest.raises(ValueError, match="sentence_spans.npy"):
        read_sentences(tmp_path, PASSAGES, load_npy)
