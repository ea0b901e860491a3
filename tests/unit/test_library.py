"""What an ingest keeps, adds and drops (build/library.py), on small files and no model."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from latm_qa.build.library import plan_library, select_documents
from latm_qa.errors import LatmQaError


def _source(path: Path, title: str = "") -> dict:
    sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "0" * 64
    return {"path": str(path), "file": path.name, "sha256": sha, "document": f"{path.name}#{sha[:8]}",
            "title": title or path.stem}


@pytest.fixture
def library(tmp_path):
    """Two indexed reports, a and b, both still on disk and unchanged."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(f"# Report {name}\n\nText of {name}.\n", encoding="utf-8")
    return tmp_path, [_source(tmp_path / "a.md", "Report A"), _source(tmp_path / "b.md", "Report B")]


def test_adding_a_file_keeps_every_other_document(library):
    folder, sources = library
    new = folder / "c.md"
    new.write_text("# C\n\nNew.\n", encoding="utf-8")
    plan = plan_library([new], sources, "add")
    assert plan.order == (str(folder / "a.md"), str(folder / "b.md"), str(new))
    assert not plan.removed and not plan.stored
    assert plan.not_given == ("a.md", "b.md")


def test_a_file_given_again_updates_its_document_in_place(library):
    folder, sources = library
    (folder / "a.md").write_text("# Report a\n\nEdited.\n", encoding="utf-8")
    plan = plan_library([folder / "a.md"], sources, "add")
    assert plan.order == (str(folder / "a.md"), str(folder / "b.md"))
    assert plan.read == (folder / "a.md", folder / "b.md") and plan.not_given == ("b.md",)


def test_a_document_whose_file_has_gone_or_changed_stays_as_indexed(library):
    folder, sources = library
    (folder / "a.md").unlink()
    (folder / "b.md").write_text("changed", encoding="utf-8")
    new = folder / "c.md"
    new.write_text("# C\n\nNew.\n", encoding="utf-8")
    plan = plan_library([new], sources, "add")
    assert plan.read == (new,)
    assert plan.stored == {str(folder / "a.md"): sources[0]["sha256"], str(folder / "b.md"): sources[1]["sha256"]}
    assert any("a.md: kept as indexed (gone since)" in note for note in plan.kept_as_indexed)
    assert any("b.md: kept as indexed (changed since)" in note for note in plan.kept_as_indexed)


def test_a_moved_file_of_the_same_bytes_takes_its_documents_place(library):
    folder, sources = library
    moved = folder / "sub" / "a.md"
    moved.parent.mkdir()
    (folder / "a.md").rename(moved)
    plan = plan_library([moved], sources, "add")
    assert plan.order == (str(moved), str(folder / "b.md")) and not plan.stored


def test_sync_makes_the_index_exactly_the_files_and_names_what_it_drops(library):
    folder, sources = library
    plan = plan_library([folder / "b.md"], sources, "sync")
    assert plan.order == (str(folder / "b.md"),) and plan.removed == ("a.md",)


def test_remove_by_file_name_title_id_or_path(library):
    folder, sources = library
    assert plan_library([], sources, "remove", ("a.md",)).order == (str(folder / "b.md"),)
    assert plan_library([], sources, "remove", ("report b",)).removed == ("b.md",)
    assert plan_library([], sources, "remove", (sources[0]["document"],)).removed == ("a.md",)
    assert plan_library([], sources, "remove", (str(folder / "b.md"),)).removed == ("b.md",)


def test_remove_refuses_what_names_nothing_or_everything(library):
    _, sources = library
    with pytest.raises(LatmQaError, match=r"'zz\.md' names no document in the index; it holds a\.md \(Report A\)"):
        select_documents(sources, ("zz.md",))
    with pytest.raises(LatmQaError, match="would remove every document"):
        plan_library([], sources, "remove", ("a.md", "b.md"))
    with pytest.raises(LatmQaError, match="name the documents to remove"):
        select_documents(sources, ())


def test_one_name_for_two_documents_asks_for_the_path(tmp_path):
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "report.md").write_text(f"# {sub}\n", encoding="utf-8")
    sources = [_source(tmp_path / "x" / "report.md"), _source(tmp_path / "y" / "report.md")]
    with pytest.raises(LatmQaError, match="names 2 documents .*give its path"):
        select_documents(sources, ("report.md",))
    assert plan_library([], sources, "remove", (str(tmp_path / "y" / "report.md"),)).removed == ("report.md",)


def test_the_plan_tells_the_files_named_from_the_documents_kept(library):
    folder, sources = library
    new = folder / "c.md"
    new.write_text("# C\n\nNew.\n", encoding="utf-8")
    plan = plan_library([new, folder / "a.md"], sources, "add")
    assert plan.given == (str(folder / "a.md"), str(new))
    assert plan.kept == {str(folder / "b.md"): sources[1]["sha256"]}
    assert plan.notes == ("1 other document(s) kept (b.md): `latm-qa remove FILE` drops one, "
                          "`latm-qa ingest --sync FILES` makes the index exactly those files",)
    synced = plan_library([new], sources, "sync")
    assert synced.given == (str(new),) and not synced.kept and not synced.notes
