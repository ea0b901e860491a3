"""Word-piece vectors kept as int8 codes or product-quantised, and scoring only a candidate set in a
large corpus."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from latm_qa.build.tokens import settle_tokens, token_manifest
from latm_qa.codes import PQ_MIN_TRAINING_ROWS, pq_decode, pq_encode, train_codebook
from latm_qa.retrieve.late import late_interaction
from latm_qa.retrieve.retrievers import candidates
from latm_qa.settings import Settings
from latm_qa.types import TokenVectors, quantise


def _unit_rows(n: int, dim: int = 48, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, dim)).astype("float32")
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_int8_codes_keep_each_unit_vector_to_a_cosine_of_0_9999():
    rows = _unit_rows(500)
    codes, scales = quantise(rows)
    assert codes.dtype == np.int8 and scales.dtype == np.float32 and np.abs(codes).max() == 127
    decoded = codes.astype("float32") * scales[:, None]
    cosine = (decoded * rows).sum(axis=1) / np.linalg.norm(decoded, axis=1)
    assert cosine.min() > 0.9999
    assert quantise(np.zeros((0, 48), "float32"))[0].shape == (0, 48)


def test_a_block_of_chosen_passages_is_their_rows_in_order():
    per_passage = [_unit_rows(n, seed=n) for n in (3, 0, 5, 2)]
    tokens = TokenVectors.stack(per_passage, dim=48)
    assert list(tokens.counts) == [3, 0, 5, 2] and list(tokens.starts) == [0, 3, 3, 8]
    matrix, begins = tokens.block(np.array([3, 0]))
    assert list(begins) == [0, 2]
    assert np.allclose(matrix, np.concatenate([tokens.rows(3), tokens.rows(0)]))
    again = TokenVectors.stack([tokens.stored(i) for i in range(4)], dim=48)  # reused as stored
    assert all(np.array_equal(a, b) for a, b in zip(again.segments[0], tokens.segments[0], strict=True))


def test_late_interaction_over_candidates_equals_the_full_scores_there_and_zero_elsewhere():
    tokens = TokenVectors.stack([_unit_rows(n, seed=10 + n) for n in (4, 7, 0, 3, 6)], dim=48)
    query = _unit_rows(4, seed=99)
    pieces = ["council", "savings", "the", "partnership"]
    full = late_interaction(query, pieces, tokens)
    some = late_interaction(query, pieces, tokens, np.array([1, 2, 4]))
    assert some[[1, 4]] == pytest.approx(full[[1, 4]], abs=1e-6)
    assert some[0] == some[2] == some[3] == 0.0 and full[0] != 0.0


def test_only_a_large_corpus_narrows_to_the_best_by_meaning_and_by_words():
    settings = Settings(candidates=10)
    assert candidates(type("C", (), {"__len__": lambda self: 40})(), "q", np.zeros(40), settings) is None
    n = 100
    dense = np.linspace(0, 1, n)  # passages 90..99 are the best by meaning
    bm25 = np.zeros(n)
    bm25[[3, 5]] = [2.0, 1.0]  # only two passages share a word with the question
    corpus = type("C", (), {"__len__": lambda self: n, "bm25": SimpleNamespace(scores=lambda q: bm25)})()
    assert list(candidates(corpus, "q", dense, settings)) == [3, 5, *range(90, 100)]


def test_a_large_index_scores_candidates_from_the_codes_as_a_small_one_does_from_decoded_rows(monkeypatch):
    import latm_qa.codes as codes

    per_passage = [_unit_rows(n, seed=20 + n) for n in (5, 2, 0, 8, 3)]
    query, pieces = _unit_rows(3, seed=7), ["savings", "council", "partnership"]
    small = TokenVectors.stack(per_passage, dim=48)
    expected = late_interaction(query, pieces, small, np.array([0, 2, 3]))
    monkeypatch.setattr(codes, "DECODED_ROWS", 0)  # too many rows to keep decoded: read from the codes
    large = TokenVectors.stack(per_passage, dim=48)
    assert large.decoded is None
    assert late_interaction(query, pieces, large, np.array([0, 2, 3])) == pytest.approx(expected, abs=1e-6)


def _passages(sizes: list[int], seed: int = 0) -> list[np.ndarray]:
    return [_unit_rows(n, seed=seed + i) for i, n in enumerate(sizes)]


def test_product_quantisation_keeps_the_vectors_direction_in_a_twelfth_of_their_int8_bytes():
    rows = _unit_rows(12_000)
    codebook = train_codebook(rows)  # 48 numbers: 12 slices of 4, one byte each
    assert codebook.shape == (12, 256, 4)
    codes = pq_encode(rows[:2000], codebook)
    assert codes.dtype == np.uint8 and codes.shape == (2000, 12)
    decoded = pq_decode(codes, codebook)
    cosine = (decoded * rows[:2000]).sum(axis=1) / np.linalg.norm(decoded, axis=1)
    assert cosine.mean() > 0.85  # random directions: the hardest case; real word pieces keep ~0.96 at 384
    assert pq_encode(np.zeros((0, 48), "float32"), codebook).shape == (0, 12)


def _fresh(sizes: list[int], seed: int = 0) -> list[tuple]:
    """Fresh int8 word pieces of passages of these sizes, as an ingest hands them to settle_tokens."""
    return [TokenVectors.stack([matrix], 48).stored(0) for matrix in _passages(sizes, seed)]


def test_a_large_library_settles_its_word_pieces_as_codes_learnt_from_them_and_a_small_one_as_int8():
    rows = _fresh([100] * 120)
    small = settle_tokens(rows[:20], 48, None, compress=True)  # 2,000 word pieces: too few to learn from
    assert small.encoding == "int8" and small.codebook is None
    large = settle_tokens(rows, 48, None, compress=True)
    assert 120 * 100 >= PQ_MIN_TRAINING_ROWS
    assert large.encoding == "pq" and large.segments[0][0].dtype == np.uint8 and list(large.counts) == [100] * 120
    original = TokenVectors.stack(rows, 48)
    cosine = (large.matrix * original.matrix).sum(axis=1) / np.linalg.norm(large.matrix, axis=1)
    assert cosine.mean() > 0.85
    stated = token_manifest(large, Settings(compress_tokens_above=5))
    assert stated["encoding"] == "pq" and stated["bytes_per_word_piece"] == 12 and stated["segments"] == 1
    assert stated["compress_above_passages"] == 5


def test_re_ingest_keeps_the_old_segment_and_puts_only_the_new_passages_word_pieces_in_a_new_one():
    first = settle_tokens(_fresh([100] * 110), 48, None, True)
    fresh = _fresh([7, 5], seed=500)
    again = settle_tokens([3, fresh[0], 9, fresh[1], *range(10, 100)], 48, first, compress=True)
    assert again.codebook is first.codebook and len(again.segments) == 2
    assert again.segments[0][0] is first.segments[0][0]  # kept as it is, not copied
    assert len(again.segments[1][0]) == 12  # the new segment: the two new passages' 7 + 5 word pieces
    assert np.array_equal(again.stored(0)[0], first.stored(3)[0])
    assert np.array_equal(again.stored(2)[0], first.stored(9)[0])
    assert np.array_equal(again.stored(1)[0], pq_encode(fresh[0][0] * fresh[0][1][:, None], first.codebook))
    back = settle_tokens([3, fresh[0], 9, fresh[1]], 48, first, compress=False)  # shrank below the threshold
    assert back.encoding == "int8" and len(back.segments) == 1 and np.allclose(back.rows(0), first.rows(3), atol=0.02)


def test_segments_mostly_unused_are_written_again_as_one():
    first = settle_tokens(_fresh([10] * 40), 48, None, False)
    kept = settle_tokens([*range(25), *_fresh([4], seed=9)], 48, first, False)  # 250 of 400 rows in use
    assert len(kept.segments) == 2 and kept.names[0] == first.names[0]
    compacted = settle_tokens([*range(15), *_fresh([4], seed=9)], 48, first, False)  # 150 of 400
    assert len(compacted.segments) == 1 and compacted.names == ("",)
    assert np.array_equal(compacted.rows(14), first.rows(14)) and list(compacted.counts) == [10] * 15 + [4]


def test_a_version_links_the_segments_it_keeps_and_writes_only_its_new_one(tmp_path):
    from latm_qa.store.files import load_npy
    from latm_qa.store.token_files import read_tokens, segment_paths, tokens_fit, write_tokens

    one, two = tmp_path / "v1", tmp_path / "v2"
    one.mkdir(), two.mkdir()
    first = settle_tokens(_fresh([10] * 30), 48, None, False)
    assert len(write_tokens(one, first, None)) == 1
    stored = read_tokens(one, load_npy)
    again = settle_tokens([*range(30), *_fresh([6], seed=3)], 48, stored, False)
    written = write_tokens(two, again, one)
    assert len(written) == 1 and len(again.segments) == 2  # only the new passage's segment was written
    kept = stored.names[0]
    assert segment_paths(two, kept)[0].stat().st_ino == segment_paths(one, kept)[0].stat().st_ino  # a hard link
    read = read_tokens(two, load_npy)
    assert tokens_fit(read, 31, 48) and not tokens_fit(read, 30, 48)
    assert np.array_equal(read.rows(5), first.rows(5)) and np.array_equal(read.rows(30), again.rows(30))


def test_a_version_written_before_segments_reads_as_one(tmp_path):
    from latm_qa.store.files import load_npy
    from latm_qa.store.token_files import read_tokens, tokens_fit

    tokens = TokenVectors.stack(_passages([3, 0, 5]), 48)
    codes, scales = tokens.segments[0]
    np.save(tmp_path / "token_vectors.npy", codes), np.save(tmp_path / "token_scales.npy", scales)
    np.save(tmp_path / "token_counts.npy", tokens.counts.astype("int32"))
    read = read_tokens(tmp_path, load_npy)
    assert tokens_fit(read, 3, 48) and np.array_equal(read.rows(2), tokens.rows(2)) and read.where is None


def test_late_interaction_reads_product_quantised_candidates_as_their_decoded_vectors():
    tokens = settle_tokens(_fresh([100] * 110), 48, None, True)
    query, pieces = _unit_rows(3, seed=7), ["savings", "council", "partnership"]
    picked = np.array([4, 50, 7])
    scores = late_interaction(query, pieces, tokens, picked)
    for row in picked:
        assert scores[row] == pytest.approx((query @ tokens.rows(row).T).max(axis=1).mean(), abs=1e-5)
    assert np.count_nonzero(scores) == 3


def test_an_approximate_index_scores_the_best_passages_it_finds_as_the_flat_one_does():
    from latm_qa.retrieve.dense import dense_scores
    from latm_qa.store.files import passage_index

    vectors = _unit_rows(3000, seed=4)
    query = vectors[17] + 0.05 * _unit_rows(1, seed=5)[0]
    query /= np.linalg.norm(query)
    flat, graph = passage_index(vectors, False), passage_index(vectors, True)
    assert type(flat).__name__ == "IndexFlatIP" and type(graph).__name__ == "IndexHNSWFlat"
    exact, approximate = dense_scores(flat, query, 20), dense_scores(graph, query, 20)
    found = np.flatnonzero(approximate > -1)
    assert len(found) == 20 and approximate[found] == pytest.approx(exact[found], abs=1e-5)
    best = set(np.argsort(-exact)[:10])
    assert len(best & set(found)) >= 9 and int(np.argmax(approximate)) == int(np.argmax(exact)) == 17


def test_float16_sentence_vectors_of_an_older_index_read_as_one_segment_and_are_written_again_as_int8(tmp_path):
    from latm_qa.store.files import load_npy
    from latm_qa.store.token_files import SENTENCE_VECTORS, read_tokens, tokens_fit

    vectors = _unit_rows(6, seed=11)
    np.save(tmp_path / "sentence_vectors.npy", vectors.astype("float16"))
    read = read_tokens(tmp_path, load_npy, SENTENCE_VECTORS)
    assert tokens_fit(read, 6, 48) and list(read.counts) == [1] * 6
    assert np.allclose(read.matrix, vectors, atol=1e-3)
    again = settle_tokens([0, 1, 2, 3, *_fresh([1], seed=12)], 48, read, compress=False)
    assert again.segments[0][0].dtype == np.int8 and again.names == ("",)  # not kept as float16
    assert np.allclose(again.matrix[:4], vectors[:4], atol=2e-2)
