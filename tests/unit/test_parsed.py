"""Reusing an unchanged file's document and passages on re-ingest (build/reuse.py: Parsed)."""

from __future__ import annotations

from latm_qa.build.passages import library_passages
from latm_qa.build.reuse import Parsed
from latm_qa.build.sources import distinct_titles
from latm_qa.read import read_document
from latm_qa.settings import load_settings
from latm_qa.structure.sections import parse_sections

BODY = ("The council pooled its planning, waste and parking teams with its neighbour in 2014, and the shared "
        "service now saves £1.2 million a year. Residents report the same or better service. ")


def _write(path, title: str, sections: list[str]):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"# {title}\n\n" + "".join(f"## {s}\n\n{BODY * 3}\n\n" for s in sections)
    path.write_text(text, encoding="utf-8")
    return path


def _parsed(documents, passages) -> Parsed:
    return Parsed("v1", documents, passages)


def test_an_unchanged_document_gives_back_the_passages_a_fresh_split_gives(tmp_path):
    settings = load_settings(index_dir=tmp_path / "index")
    paths = [_write(tmp_path / "a.md", "Shared services", ["Planning", "Waste"]),
             _write(tmp_path / "b.md", "Trading", ["Energy", "Housing"])]
    documents = distinct_titles([parse_sections(read_document(p)) for p in paths])
    passages = library_passages(documents, settings)
    parsed = _parsed(documents, passages)
    assert parsed.document(str(paths[0]), documents[0].sha256) == documents[0]
    assert parsed.document(str(paths[0]), "0" * 64) is None  # changed bytes: read again
    # the library without the first report: the second's passages renumbered, ids kept
    again = library_passages(documents[1:], settings, parsed.split)
    assert [p.to_json() for p in again] == [p.to_json() for p in library_passages(documents[1:], settings)]


def test_a_document_whose_ids_or_title_the_library_changed_is_split_again(tmp_path):
    """Two files of one name and one title in two folders: the second's title carries its path and its
    passages' ids were made unique, so neither can be given back as split."""
    settings = load_settings(index_dir=tmp_path / "index")
    paths = [_write(tmp_path / "x" / "plan.md", "Plan", ["Aims"]), _write(tmp_path / "y" / "plan.md", "Plan", ["Aims"])]
    paths[1].write_text(paths[1].read_text(encoding="utf-8") + "Annex.\n", encoding="utf-8")  # other bytes
    documents = distinct_titles([parse_sections(read_document(p)) for p in paths])
    passages = library_passages(documents, settings)
    parsed = _parsed(documents, passages)
    assert all(parsed.document(d.path, d.sha256) is None for d in documents)  # titles with their path
    assert parsed.split(documents[1]) is None


def test_passages_whose_ids_were_made_unique_in_the_library_are_split_again(tmp_path):
    settings = load_settings(index_dir=tmp_path / "index")
    paths = [_write(tmp_path / "x" / "plan.md", "Plan for the north", ["Aims"]),
             _write(tmp_path / "y" / "plan.md", "Plan for the south", ["Aims"])]
    documents = distinct_titles([parse_sections(read_document(p)) for p in paths])
    passages = library_passages(documents, settings)
    parsed = _parsed(documents, passages)
    assert parsed.split(documents[0]) is not None
    assert parsed.split(documents[1]) is None  # one file name, one heading, one text: its ids were hashed
    assert [p.to_json() for p in library_passages(documents, settings, parsed.split)] == [
        p.to_json() for p in passages]
