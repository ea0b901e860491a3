"""Search on real indexes built with the bundled model: meaning, persistence, contract, errors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "latm_qa.cli", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )


def test_cli_errors_have_no_traceback(tmp_path):
    run = _cli("search", "anything", "--index", str(tmp_path / "none"))
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "no index at" in run.stderr and "latm-qa ingest" in run.stderr
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04 not a report")
    run = _cli("ingest", str(bad), "--index", str(tmp_path / "idx"))
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "notes.docx" in run.stderr and "unsupported file type" in run.stderr
    assert not (tmp_path / "idx").exists()


def test_late_interaction_is_mean_best_cosine_over_content_word_pieces():
    from latm_qa.retrieve.late import late_interaction
    from latm_qa.types import TokenVectors

    e = np.eye(3, dtype="float32")
    tokens = TokenVectors.stack([e[[0, 1]], e[[2]], np.zeros((0, 3), "float32")], dim=3)
    assert list(tokens.starts) == [0, 2, 3] and np.array_equal(tokens.rows(1), e[[2]])
    query = np.array([[1, 0, 0], [0, 0.6, 0.8], [0, 0, 1]], dtype="float32")
    scores = late_interaction(query, ["essex", "the", "income"], tokens)  # "the" is a stop word
    assert scores == pytest.approx([(1 + 0) / 2, (0 + 1) / 2, 0.0])
    assert not late_interaction(query, ["the", "what", "of"], tokens).any()
