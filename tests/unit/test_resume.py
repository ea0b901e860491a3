"""The resume cache's files (no model): what is appended is read back exactly; another model's cache, a
chunk cut short by a kill and a temporary file are ignored; the index folder accepts the cache."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from latm_qa.build.resume import CACHE_DIR, IDENTITY, EmbedCache, discard_cache
from latm_qa.settings import Settings
from latm_qa.store.versions import _is_ours, lock_index, remove_stale

DIM = 8


@pytest.fixture
def settings(tmp_path):
    return Settings(index_dir=tmp_path / "index")


def entries(names: list[str], tokens: bool, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    out = {}
    for n, key in enumerate(names):
        vector = rng.standard_normal(DIM).astype("float32")
        piece = None
        if tokens:  # a passage: its word pieces (a varying number, none for an empty text)
            piece = (rng.integers(-127, 128, (n % 4, DIM)).astype("int8"), rng.random(n % 4).astype("float32"))
        out[key] = (vector, piece)
    return out


def same(a: tuple, b: tuple) -> bool:
    if not np.array_equal(a[0], b[0]) or a[0].dtype != b[0].dtype or (a[1] is None) != (b[1] is None):
        return False
    pairs = zip(a[1], b[1], strict=True) if a[1] is not None else ()
    return all(x.tobytes() == y.tobytes() and x.dtype == y.dtype for x, y in pairs)


def chunk_files(settings) -> list[str]:
    return sorted(p.name for p in (settings.index_dir / CACHE_DIR).iterdir() if p.name != IDENTITY)


def test_appended_chunks_are_read_back_exactly(settings):
    cache = EmbedCache.open(settings.index_dir, settings)
    cache.flush_seconds = 0  # write every chunk as it comes
    passages = entries([f"p{i}" for i in range(6)], tokens=True)
    sentences = entries([f"s:{i}" for i in range(5)], tokens=False, seed=1)
    cache.append(passages)
    cache.append(sentences)
    assert chunk_files(settings) == ["000001.npz", "000002.npz"]

    again = EmbedCache.open(settings.index_dir, settings)
    assert all(same(again.lookup(k), v) for k, v in {**passages, **sentences}.items())
    assert again.holds(list(passages), tokens=True) and again.holds(list(sentences), tokens=False)
    assert not again.holds(list(sentences), tokens=True)  # kept without word pieces: not enough for a passage
    assert not again.holds(["p0", "missing"], tokens=False) and again.lookup("missing") is None
    again.flush_seconds = 0
    again.append(entries(["p9"], tokens=True, seed=2))
    assert chunk_files(settings)[-1] == "000003.npz"  # numbered after what is there


def test_pending_chunks_are_written_at_most_every_few_seconds_and_on_flush(settings):
    now = [0.0]
    cache = EmbedCache.open(settings.index_dir, settings)
    cache.clock, cache.written, cache.flush_seconds = (lambda: now[0]), 0.0, 5.0
    cache.append(entries(["a", "b"], tokens=True))
    now[0] = 3.0
    cache.append(entries(["c"], tokens=True, seed=1))
    assert chunk_files(settings) == []  # under 5 s: kept in memory
    now[0] = 6.0
    cache.append(entries(["d"], tokens=True, seed=2))
    assert chunk_files(settings) == ["000001.npz"]  # all three appends in one file
    cache.append(entries(["e"], tokens=True, seed=3))
    cache.flush()  # what the build does when embedding stops, finished or not
    assert chunk_files(settings) == ["000001.npz", "000002.npz"]
    assert set(EmbedCache.open(settings.index_dir, settings).entries) == {"a", "b", "c", "d", "e"}


def test_another_model_or_backend_never_reuses_the_cache(settings):
    cache = EmbedCache.open(settings.index_dir, settings)
    cache.flush_seconds = 0
    cache.append(entries(["a", "b"], tokens=True))
    for other in (replace(settings, model="another-model"), replace(settings, backend="torch")):
        stale = EmbedCache.open(settings.index_dir, other)
        assert stale.entries == {} and chunk_files(settings) == []  # ignored and removed
        stale.flush_seconds = 0
        stale.append(entries(["a"], tokens=True, seed=5))
    assert EmbedCache.open(settings.index_dir, settings).entries == {}  # and back again: nothing of torch's


def test_a_chunk_cut_short_by_a_kill_is_ignored(settings):
    cache = EmbedCache.open(settings.index_dir, settings)
    cache.flush_seconds = 0
    cache.append(entries(["a", "b"], tokens=True))
    cache.append(entries(["c", "d"], tokens=True, seed=1))
    folder = settings.index_dir / CACHE_DIR
    whole = (folder / "000002.npz").read_bytes()
    (folder / "000002.npz").write_bytes(whole[: len(whole) // 2])  # as if the rename had come before the data
    (folder / ".tmp-4242-000003.npz").write_bytes(whole[:100])  # killed while writing
    (folder / "000004.npz").write_bytes(b"not a chunk")
    again = EmbedCache.open(settings.index_dir, settings)
    assert set(again.entries) == {"a", "b"}
    assert chunk_files(settings) == ["000001.npz"]  # what cannot be read is removed


def test_the_index_folder_accepts_the_cache_and_discard_removes_it(settings):
    cache = EmbedCache.open(settings.index_dir, settings)  # a first ingest killed while embedding leaves this
    cache.flush_seconds = 0
    cache.append(entries(["a"], tokens=True))
    assert _is_ours(CACHE_DIR)
    with lock_index(settings.index_dir):  # not refused as "not a latm-qa index"
        assert remove_stale(settings.index_dir) == []  # and not swept as a leftover
    assert set(EmbedCache.open(settings.index_dir, settings).entries) == {"a"}
    cache.discard()
    assert not (settings.index_dir / CACHE_DIR).exists()
    discard_cache(settings.index_dir)  # nothing there: nothing to do
