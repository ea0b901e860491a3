"""Per-document lexicons, stored at ingest and merged at load, give what reading all texts together gives."""

from __future__ import annotations

from types import SimpleNamespace

from latm_qa.build.lexicon import (
    LEXICON_VERSION,
    acronym_table,
    corpus_vocabulary,
    document_lexicon,
    lexicons,
    merged,
    report_acronyms,
    spelt_out,
)

TEXTS = [
    "The Local Government Association (LGA) asked councils about their arm's-length management "
    "organisation (ALMO). Black and minority ethnic staff were surveyed in 2015.",
    "Westshire's ALMO reported to the Local Government Association. The ethnic minority share rose by 2019; "
    "ICT costs fell and the London Borough Council (LBC) shared services.",
]


def _documents():
    return [SimpleNamespace(text=text, sha256=f"sha{i}") for i, text in enumerate(TEXTS)]


def test_merged_lexicons_equal_the_texts_read_together():
    vocabulary, table, acronyms = merged(lexicons(_documents()))
    assert vocabulary == corpus_vocabulary(TEXTS) and {"westshire", "almo", "2019"} <= vocabulary
    assert table == {**spelt_out(TEXTS), **acronym_table(TEXTS)}
    assert table["LGA"].endswith("Local Government Association") and table["LBC"].endswith("London Borough Council")
    assert acronyms == report_acronyms(TEXTS) == {"LGA", "ALMO", "ICT", "LBC"}


def test_a_stored_lexicon_is_reused_only_for_the_same_text_and_version():
    first, second = _documents()
    stored = {"sha0": {**document_lexicon(first), "vocabulary": ["only-from-the-store"]}}
    reused = lexicons([first, second], stored)
    assert reused[0]["vocabulary"] == ["only-from-the-store"] and reused[1]["sha256"] == "sha1"
    stale = {"sha0": {**stored["sha0"], "version": LEXICON_VERSION - 1}}
    assert "only-from-the-store" not in lexicons([first], stale)[0]["vocabulary"]
