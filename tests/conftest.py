"""Session fixtures: the real bundled model and real indexes of the real report, built once."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MARKDOWN = ROOT / "ingest" / "local-authority-transformational-models.md"
PROFILE = ROOT / "ingest" / "local-authority-transformational-models.toml"  # the home report's profile
PDF = DATA / "local-authority-transformational-models.pdf"
PDF_NO_OUTLINE = DATA / "local-authority-transformational-models-no-outline.pdf"
REPORTS = {"md": MARKDOWN, "pdf": PDF, "pdf_no_outline": PDF_NO_OUTLINE}


@pytest.fixture(scope="session")
def home_knowledge():
    """The home report's knowledge (its profile and what its markdown says of itself), with no model."""
    from latm_qa.profile import derive, read_profile
    from latm_qa.read import read_document
    from latm_qa.structure import parse_sections

    return derive([parse_sections(read_document(MARKDOWN))], read_profile(PROFILE))


@contextmanager
def switched_on(index, **settings):
    """The index with some settings changed (a profile's [search] options) for the body of a with-block."""
    original = index.settings
    index.settings = replace(original, **settings)
    try:
        yield index
    finally:
        index.settings = original


@pytest.fixture(scope="session")
def embedder():
    from latm_qa.embed.model import load_embedder

    return load_embedder()


def _build(tmp_path_factory, name: str, source: Path):
    from latm_qa import Index, ingest, load_settings

    settings = load_settings(index_dir=tmp_path_factory.mktemp(name) / "index")
    report = ingest([source], settings, profile=PROFILE)
    return Index.load(settings.index_dir, settings=settings), report


@pytest.fixture(scope="session")
def md_built(tmp_path_factory, embedder):
    return _build(tmp_path_factory, "md", MARKDOWN)


@pytest.fixture(scope="session")
def md_index(md_built):
    return md_built[0]


@pytest.fixture(scope="session")
def pdf_index(tmp_path_factory, embedder):
    return _build(tmp_path_factory, "pdf", PDF)[0]


@pytest.fixture(scope="session")
def pdf_no_outline_index(tmp_path_factory, embedder):
    return _build(tmp_path_factory, "pdf_no_outline", PDF_NO_OUTLINE)[0]


@pytest.fixture(scope="session")
def indexes(md_index, pdf_index, pdf_no_outline_index):
    return {"md": md_index, "pdf": pdf_index, "pdf_no_outline": pdf_no_outline_index}


# --- re-ingestion and bad input: a private index to change, the CLI as a user runs it, file hashes ---


@pytest.fixture
def md_index_copy(md_index, tmp_path):
    """A private copy of the session's markdown index directory, free to re-ingest into."""
    import shutil

    target = tmp_path / "index"
    shutil.copytree(md_index.path, target)
    return target


def run_cli(*args, env: dict | None = None, timeout: float = 300):
    """`python -m latm_qa.cli ARGS` in a subprocess, offline, with no LATM_QA_* settings from outside."""
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith("LATM_QA_")}
    return subprocess.run(
        [sys.executable, "-m", "latm_qa.cli", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, timeout=timeout,
        env={**clean, "HF_HUB_OFFLINE": "1", **(env or {})},
    )


def tree_hashes(path: Path) -> dict[str, str]:
    """sha256 of every file under path (hidden ones too), by relative path: "byte-identical" made checkable."""
    import hashlib

    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(path).rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def app_index_dir(md_index) -> Path:
    """The directory of the session-built markdown index, for the chat page's LATM_QA_INDEX."""
    return Path(md_index.path)
