"""The stored BM25 index is the same bytes for the same texts in every process (its vocabulary numbered
alphabetically, not in the order of a Python set), and scores as bm25s does."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

TEXTS = ["the council saved money on its services", "shared services across councils",
         "a cooperative council model for residents", "money and services", ""]
BUILD = """
import sys
from pathlib import Path
from latm_qa.store.bm25 import Bm25
texts = {texts!r}
Bm25(texts).save(Path(sys.argv[1]))
"""


def _files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_same_texts_make_the_same_files_whatever_the_hash_seed(tmp_path):
    made = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", BUILD.format(texts=TEXTS), str(folder)], env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        made.append(_files(folder))
    assert made[0] == made[1] and "vocab.index.json" in made[0]


def test_renumbered_words_score_as_bm25s_numbers_them():
    from latm_qa.store.bm25 import Bm25, bm25s_module

    ours = Bm25(TEXTS)
    bm25s = bm25s_module()
    theirs = bm25s.BM25()
    theirs.index(bm25s.tokenize(TEXTS, stopwords="en", stemmer=ours.stemmer, show_progress=False),
                 show_progress=False)
    question = bm25s.tokenize(["council services money"], stopwords="en", stemmer=ours.stemmer,
                              show_progress=False, return_ids=False)[0]
    assert ours.scores("council services money").tolist() == theirs.get_scores(question).astype("float32").tolist()
    assert ours.scores("council services money")[3] > 0 and ours.scores("council services money")[4] == 0
