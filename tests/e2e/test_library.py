"""A library maintainers can trust, through the real CLI on real reports: adding never deletes, removing is
asked for by name, --sync says what it drops, and a rollback stays until an ingest on purpose."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MARKDOWN, ROOT, run_cli, tree_hashes

from latm_qa import Index

DWP = ROOT.parent / "shared" / "reports" / "more" / "dwp-single-departmental-plan" / "report.md"
HOME = MARKDOWN.name

pytestmark = pytest.mark.skipif(not DWP.is_file(), reason="the shared reports are not beside the project")


@pytest.fixture
def library(md_index_copy, tmp_path):
    """The home report's index with the DWP plan added through the CLI (a copy of it under tmp_path)."""
    dwp = tmp_path / "dwp" / "dwp-plan.md"
    dwp.parent.mkdir()
    shutil.copy(DWP, dwp)
    out = run_cli("ingest", dwp, "--index", md_index_copy)
    assert out.returncode == 0, out.stderr
    assert "  documents: 1 added (dwp-plan.md)" in out.stdout.splitlines()
    assert "removed" not in out.stdout.split("passages:")[0]
    assert f"1 other document(s) kept ({HOME})" in out.stdout
    return md_index_copy, dwp


def _files(index_dir: Path) -> set[str]:
    return {Path(s["path"]).name for s in json.loads((index_dir / "manifest.json").read_text())["sources"]}


def test_adding_a_report_keeps_every_other_and_both_answer(library):
    index_dir, _ = library
    assert _files(index_dir) == {HOME, "dwp-plan.md"}
    index = Index.load(index_dir)
    assert {p.document.split("#")[0] for p in index.passages} == {HOME, "dwp-plan.md"}
    essex = index.ask("What did Essex earn from traded services?", k=3)
    assert essex.hits and essex.hits[0].passage.document.startswith(HOME)
    dwp = index.ask("What is DWP doing to help disabled people into work?", k=3)
    assert dwp.hits and dwp.hits[0].passage.document.startswith("dwp-plan.md")


def test_the_same_file_again_changes_nothing_and_keeps_the_library(library):
    index_dir, dwp = library
    before = tree_hashes(index_dir)
    out = run_cli("ingest", dwp, "--index", index_dir)
    assert out.returncode == 0, out.stderr
    assert "is up to date (2 document(s)" in out.stdout
    assert tree_hashes(index_dir) == before


def test_remove_drops_only_the_document_named_and_refuses_unknown_names(library):
    index_dir, _ = library
    before = tree_hashes(index_dir)
    out = run_cli("remove", "no-such-report.md", "--index", index_dir)
    assert out.returncode == 2
    assert "'no-such-report.md' names no document in the index; it holds" in out.stderr and HOME in out.stderr
    assert "Nothing was removed" in out.stderr and "Traceback" not in out.stderr
    assert tree_hashes(index_dir) == before

    out = run_cli("remove", "dwp-plan.md", "--index", index_dir, "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["mode"] == "remove" and report["documents_removed"] == ["dwp-plan.md"] and report["embedded"] == 0
    assert _files(index_dir) == {HOME}

    out = run_cli("remove", HOME, "--index", index_dir)
    assert out.returncode == 2 and "would remove every document" in out.stderr
    assert _files(index_dir) == {HOME}


def test_sync_makes_the_index_exactly_the_files_and_says_what_it_dropped(library):
    index_dir, dwp = library
    out = run_cli("ingest", "--sync", dwp, "--index", index_dir)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert f"  documents: 1 removed ({HOME})" in lines
    assert "  --sync dropped 1 document(s) not among the files given" in lines
    assert _files(index_dir) == {"dwp-plan.md"}


def test_a_rollback_stays_until_an_ingest_on_purpose(md_index_copy, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    report = folder / "plan.md"
    shutil.copy(DWP, report)
    assert run_cli("ingest", "--sync", folder, "--index", md_index_copy).returncode == 0
    report.write_text(DWP.read_text(encoding="utf-8").replace("## Vision", "## Our vision"), encoding="utf-8")
    assert run_cli("ingest", folder, "--index", md_index_copy).returncode == 0
    out = run_cli("ingest", "--rollback", "--index", md_index_copy)  # the edit was a mistake
    assert out.returncode == 0, out.stderr
    before = tree_hashes(md_index_copy)

    # what `make run` does: the index exists, so nothing is built, and it says how the index stands
    out = run_cli("ingest", "--if-missing", folder, "--index", md_index_copy)
    assert out.returncode == 0, out.stderr
    assert tree_hashes(md_index_copy) == before
    lines = out.stdout.splitlines()
    assert lines[0].endswith("is not built from " + str(folder) + " as it stands (it was left as it is):")
    assert lines[1].startswith("  the index was rolled back to version")
    assert "  1 file(s) changed since they were indexed: plan.md" in lines

    assert run_cli("ingest", folder, "--index", md_index_copy).returncode == 0  # an ingest on purpose
    out = run_cli("ingest", "--if-missing", folder, "--index", md_index_copy)
    assert out.stdout.startswith(f"Index at {md_index_copy} is built from {folder} as it stands.")


def test_if_missing_builds_an_index_where_there_is_none(tmp_path):
    report = tmp_path / "reports" / "plan.md"
    report.parent.mkdir()
    shutil.copy(DWP, report)
    out = run_cli("ingest", "--if-missing", report.parent, "--index", tmp_path / "index")
    assert out.returncode == 0, out.stderr
    assert "documents: 1 added (plan.md)" in out.stdout and _files(tmp_path / "index") == {"plan.md"}


def test_a_document_whose_file_has_gone_stays_as_indexed_when_another_is_added(library, tmp_path):
    index_dir, dwp = library
    dwp.unlink()
    other = tmp_path / "other.md"
    other.write_text(MARKDOWN.read_text(encoding="utf-8").split("## 3.")[0], encoding="utf-8")
    out = run_cli("ingest", other, "--index", index_dir)
    assert out.returncode == 0, out.stderr
    assert "dwp-plan.md: kept as indexed (gone since)" in out.stdout
    assert _files(index_dir) == {HOME, "dwp-plan.md", "other.md"}


def _files_holding(index_dir: Path, phrase: str) -> list[str]:
    needle = phrase.encode("utf-8")
    return [str(p.relative_to(index_dir)) for p in index_dir.rglob("*") if p.is_file() and needle in p.read_bytes()]


def _dead_rows(index_dir: Path) -> int:
    """Word-piece and sentence rows stored in the current version that no passage or sentence uses."""
    from latm_qa.store.files import read_index_files

    *_, sentence_vectors, tokens = read_index_files(index_dir)
    return sum(
        sum(len(codes) for codes, _ in vectors.segments) - int(vectors.counts.sum())
        for vectors in (tokens, sentence_vectors)
    )


def test_purge_leaves_no_copy_of_redacted_text_in_any_version(library):
    index_dir, dwp = library
    secret = "supporting people to become self-employed (New Enterprise Allowance)"
    text = dwp.read_text(encoding="utf-8")
    assert secret in text
    dwp.write_text(text.replace(f"- {secret}\n", ""), encoding="utf-8")
    out = run_cli("ingest", dwp, "--index", index_dir)  # an update keeps the old text for rollback
    assert out.returncode == 0, out.stderr
    assert _files_holding(index_dir, "New Enterprise Allowance")  # in the previous version
    assert _dead_rows(index_dir) > 0  # the dropped passage's word pieces, in a kept segment

    out = run_cli("purge", "--index", index_dir)
    assert out.returncode == 0, out.stderr
    assert "no copy of removed text is left" in out.stdout and "There is nothing to roll back to" in out.stdout
    assert _files_holding(index_dir, "New Enterprise Allowance") == []
    assert _dead_rows(index_dir) == 0
    assert [p.name for p in index_dir.iterdir() if p.name.startswith("v-")] == [
        json.loads((index_dir / "manifest.json").read_text())["current"]
    ]
    out = run_cli("ingest", "--rollback", "--index", index_dir)
    assert out.returncode == 2 and "no previous version" in out.stderr
    index = Index.load(index_dir)
    assert index.ask("What did Essex earn from traded services?", k=1).hits  # the library still answers

    out = run_cli("remove", dwp.name, "--purge", "--index", index_dir)
    assert out.returncode == 0, out.stderr
    assert _files_holding(index_dir, "Universal Credit") == [] and _dead_rows(index_dir) == 0
    assert _files(index_dir) == {HOME}


def test_a_copy_of_a_document_already_in_the_library_is_named_and_read_once(md_index_copy, tmp_path):
    copy = tmp_path / "copy-of-home.md"
    shutil.copy(MARKDOWN, copy)
    before = tree_hashes(md_index_copy)
    out = run_cli("ingest", copy, "--index", md_index_copy)
    assert out.returncode == 0, out.stderr
    assert f"{copy}: same content as {MARKDOWN}; ingested once" in out.stdout
    assert _files(md_index_copy) == {HOME}
    assert "is up to date" in out.stdout or tree_hashes(md_index_copy) != before  # nothing lost either way
