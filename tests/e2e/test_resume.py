"""A killed or interrupted ingest resumes: with the real model on the home report, embedding stopped by
Ctrl-C or SIGKILL after a chunk is finished, then run again, encodes only what was not finished and gives
exactly the vectors (and int8 codes) of an uninterrupted run. The functions are the ones ingest calls."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest
from conftest import MARKDOWN, ROOT

from latm_qa.build.passages import embedding_texts, library_passages, split_sentences
from latm_qa.build.resume import CACHE_DIR, CHUNK, EmbedCache
from latm_qa.build.reuse import Previous, embed_reusing, vector_key
from latm_qa.build.tokens import settle_sentences, settle_tokens
from latm_qa.read import read_document
from latm_qa.settings import load_settings
from latm_qa.structure import parse_sections

STAGE = "embedding passages"


@pytest.fixture(scope="module")
def report():
    """The home report's passages' embedded texts and their sentences, as ingest makes them."""
    passages = library_passages([parse_sections(read_document(MARKDOWN))], load_settings())
    texts = embedding_texts(passages, True, {})
    sentences = [p.text[s:e] for p in passages for s, e in split_sentences(p.text)]
    assert len(set(texts)) > CHUNK and len(set(sentences)) > 3 * CHUNK  # more than one chunk of each
    return texts, sentences


@pytest.fixture(scope="module")
def uninterrupted(report, embedder):
    """The passages' vectors and word pieces, and the sentences' int8 rows, embedded in one go (no cache)."""
    texts, sentences = report
    keys = [vector_key(t) for t in texts]
    vectors, pieces = embed_reusing(keys, texts, list(range(len(texts))), {}, embedder.dim, embedder, None, STAGE,
                                    old_tokens={})
    return vectors, pieces, _sentences(sentences, embedder, None, None)


def _sentences(sentences, embedder, progress, cache):
    keys = ["s:" + vector_key(s) for s in sentences]
    return settle_sentences(keys, sentences, list(range(len(sentences))), Previous(), embedder.dim, embedder,
                            progress, cache=cache)


class Counted:
    """A progress callback that counts the texts encoded, and stops the run (Ctrl-C) after ``stop_after``."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.stop_after, self.encoded, self.calls = stop_after, 0, []

    def __call__(self, stage: str, n: int, total: int) -> None:
        self.calls.append((stage, n, total))
        self.encoded += n
        if self.stop_after is not None and self.encoded > self.stop_after:
            raise KeyboardInterrupt


def _assert_same_passages(got, want):
    (vectors, pieces), (want_vectors, want_pieces) = got, want
    assert np.allclose(vectors, want_vectors, atol=1e-6)
    for (codes, scales), (want_codes, want_scales) in zip(pieces, want_pieces, strict=True):
        assert codes.tobytes() == want_codes.tobytes() and np.array_equal(scales, want_scales)
    stored = [settle_tokens(rows, vectors.shape[1], None, compress=False) for rows in (pieces, want_pieces)]
    assert stored[0].segments[0][0].tobytes() == stored[1].segments[0][0].tobytes()  # as the index stores them


def test_passages_and_sentences_resume_after_ctrl_c(report, embedder, uninterrupted, tmp_path):
    texts, sentences = report
    keys = [vector_key(t) for t in texts]
    index = tmp_path / "index"
    index.mkdir()
    settings = load_settings(index_dir=index)
    todo = list(range(len(texts)))

    stopped = Counted(stop_after=CHUNK)  # Ctrl-C in the second chunk: the first is finished
    with pytest.raises(KeyboardInterrupt):
        embed_reusing(keys, texts, todo, {}, embedder.dim, embedder, stopped, STAGE, old_tokens={},
                      cache=EmbedCache.open(index, settings))
    assert len(EmbedCache.open(index, settings).entries) == CHUNK  # written as embedding stopped

    resumed = Counted()
    got = embed_reusing(keys, texts, todo, {}, embedder.dim, embedder, resumed, STAGE, old_tokens={},
                        cache=EmbedCache.open(index, settings))
    left = len(set(texts)) - CHUNK
    assert resumed.encoded == left  # only what was not finished
    assert {(stage, total) for stage, _, total in resumed.calls} == {(f"{STAGE} (resumed: {CHUNK} done before)", left)}
    _assert_same_passages(got, uninterrupted[:2])

    stopped = Counted(stop_after=2 * CHUNK)  # sentences: Ctrl-C in the third chunk
    with pytest.raises(KeyboardInterrupt):
        _sentences(sentences, embedder, stopped, EmbedCache.open(index, settings))
    resumed = Counted()
    cache = EmbedCache.open(index, settings)
    rows = _sentences(sentences, embedder, resumed, cache)
    assert resumed.encoded == len(set(sentences)) - 2 * CHUNK
    want = uninterrupted[2]
    assert rows.segments[0][0].tobytes() == want.segments[0][0].tobytes()  # the same int8 codes, byte for byte
    assert np.array_equal(rows.segments[0][1], want.segments[0][1]) and np.array_equal(rows.counts, want.counts)

    again = Counted()  # everything is now in the cache: nothing is encoded at all
    embed_reusing(keys, texts, todo, {}, embedder.dim, None, again, STAGE, old_tokens={}, cache=cache)
    assert again.calls == []
    cache.discard()  # as ingest does once the new version is written
    assert not (index / CACHE_DIR).exists()


KILLED_RUN = """
import json, sys, time
from pathlib import Path
from latm_qa.build.resume import CACHE_DIR, EmbedCache
from latm_qa.build.reuse import embed_reusing, vector_key
from latm_qa.embed.model import load_embedder
from latm_qa.settings import load_settings

index, texts = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
settings = load_settings(index_dir=index)
embedder = load_embedder(settings.model, settings.backend)
cache = EmbedCache.open(index, settings)
cache.flush_seconds = 0  # every chunk written as soon as it is finished

def progress(stage, n, total):
    if any((index / CACHE_DIR).glob("*.npz")):  # a chunk is on disk: wait here to be killed
        print("flushed", flush=True)
        time.sleep(600)

keys = [vector_key(t) for t in texts]
embed_reusing(keys, texts, list(range(len(texts))), {}, embedder.dim, embedder, progress, "embedding passages",
              old_tokens={}, cache=cache)
print("finished", flush=True)
"""


def test_passages_resume_after_sigkill(report, embedder, uninterrupted, tmp_path):
    texts, _ = report
    index = tmp_path / "index"
    index.mkdir()
    (tmp_path / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(index), str(tmp_path / "texts.json")], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    try:
        assert proc.stdout.readline().strip() == "flushed"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    settings = load_settings(index_dir=index)
    cache = EmbedCache.open(index, settings)
    assert len(cache.entries) == CHUNK
    resumed = Counted()
    keys = [vector_key(t) for t in texts]
    got = embed_reusing(keys, texts, list(range(len(texts))), {}, embedder.dim, embedder, resumed, STAGE,
                        old_tokens={}, cache=cache)
    assert resumed.encoded == len(set(texts)) - CHUNK
    _assert_same_passages(got, uninterrupted[:2])
