"""Each document of a library has its own profile: found beside its file or given for the files of one
ingest, kept as stored for a document kept in the library, and the library's view of them all (no model)."""

from __future__ import annotations

import pytest

from latm_qa.answer.cite import citation, short_title
from latm_qa.errors import QueryError
from latm_qa.profile import Library, derive, derive_library
from latm_qa.profile_file import ProfileChoice, document_profiles, find_document_profiles, stored_tables
from latm_qa.read import read_document
from latm_qa.retrieve.filters import Filters
from latm_qa.structure import parse_sections
from latm_qa.types import Passage

HOME = """# Ways of working

## 1. Introduction

This report looks at how councils work together.

## 2. Shared services

### 2.1. Benefits

Sharing a back office saves money.

### 2.2. Challenges

Staff must move to one employer.

## 3. Joint ventures

### 3.1. Benefits

A joint venture can trade.

### 3.2. Challenges

Profits are never certain.
"""

PLAN = """# A departmental plan

## 1. Objectives

### 1.1. What we do

We pay pensions.

## 2. Welfare

### 2.1. What we do

We reform welfare.
"""

HOME_PROFILE = """
[report]
title = "Ways of Working"
examples = ["Which council set up a joint venture?", "What do councils share?"]
[places]
gazetteer = "uk-councils"
[search]
bm25_weight = 0.3
"""


@pytest.fixture
def files(tmp_path):
    """home/ways.md with its own ways.toml; plans/plan.md with nothing beside it."""
    (tmp_path / "home").mkdir()
    (tmp_path / "plans").mkdir()
    home, plan = tmp_path / "home" / "ways.md", tmp_path / "plans" / "plan.md"
    home.write_text(HOME, encoding="utf-8")
    plan.write_text(PLAN, encoding="utf-8")
    (tmp_path / "home" / "ways.toml").write_text(HOME_PROFILE, encoding="utf-8")
    return home, plan


def _documents(*paths):
    return [parse_sections(read_document(path)) for path in paths]


def test_each_file_finds_its_own_profile_and_a_given_one_applies_to_the_files_given(files, tmp_path):
    home, plan = files
    found = find_document_profiles([home, plan])
    assert found == {home: [home.with_suffix(".toml")], plan: []}
    folder = tmp_path / "plans" / "profile.toml"
    folder.write_text("[report]\npublisher = 'A department'\n", encoding="utf-8")
    assert find_document_profiles([plan]) == {plan: [folder]}

    read, tables = document_profiles([home, plan], ProfileChoice((home, plan)), {})
    assert read == [home.with_suffix(".toml"), folder]
    assert tables[str(home)]["report"]["title"] == "Ways of Working"
    assert tables[str(plan)] == {"report": {"publisher": "A department"}}

    given = tmp_path / "given.toml"
    given.write_text("[report]\ntitle = 'Given'\n", encoding="utf-8")
    read, tables = document_profiles([home, plan], ProfileChoice((plan,), given), {str(home): {"search": {}}})
    assert read == [given] and tables == {str(home): {"search": {}}, str(plan): {"report": {"title": "Given"}}}
    # tables already read (a benchmark's): for the files given only; {} means none
    _, tables = document_profiles([home, plan], ProfileChoice((plan,), {}), {str(home): None})
    assert tables == {str(home): None, str(plan): None}


def test_a_kept_document_keeps_the_profile_stored_for_it_not_what_lies_beside_its_file(files):
    home, plan = files
    documents = _documents(home)
    stored = derive_library(documents, {str(home): None}).to_json()  # indexed without a profile
    sources = [{"path": str(home), "document": documents[0].doc_id}]
    assert stored_tables(stored, sources) == {str(home): None}
    # adding plan.md: ways.md is not named, so its stored tables (none) stand, though ways.toml lies beside it
    read, tables = document_profiles([home, plan], ProfileChoice((plan,)), stored_tables(stored, sources))
    assert read == [] and tables == {str(home): None, str(plan): None}
    # a version written before each document had its own: its one profile was every document's
    old = derive(documents, {"report": {"title": "Old"}}).to_json()
    assert stored_tables(old, sources) == {str(home): {"report": {"title": "Old"}}}
    # a document the stored profile.json does not know (an index from before profiles) finds its own
    _, tables = document_profiles([home], None, {})
    assert tables[str(home)]["report"]["title"] == "Ways of Working"


def test_a_library_keeps_each_documents_knowledge_and_shows_them_all(files):
    home, plan = files
    documents = _documents(home, plan)
    _, tables = document_profiles([home, plan], ProfileChoice((home, plan)), {})
    library = derive_library(documents, tables)
    ways, dwp = (library.of(d.doc_id) for d in documents)
    assert ways == derive([documents[0]], tables[str(home)])  # each its own, as if indexed alone
    assert ways.gazetteer == "uk-councils" and dict(ways.search) == {"bm25_weight": 0.3}
    assert dwp.gazetteer == "" and dwp.search == () and dwp.profile is None
    assert not set(dwp.examples) & set(ways.examples)  # the plan's own examples, from its headings
    assert library.placed == {documents[0].doc_id}

    view = library.knowledge
    assert view.title == "Library of 2 reports" and view.chapters == () and view.search == ()
    assert view.description == "The library holds Ways of working and A departmental plan."
    assert view.examples[:2] == (ways.examples[0], dwp.examples[0])  # each document's in turn
    assert view.profile is None and view.gazetteer == "uk-councils"

    stored = library.to_json()
    assert set(stored["documents"]) == {d.doc_id for d in documents}
    assert Library.from_json(stored, documents) == library  # written and read back unchanged
    old = Library.from_json(derive(documents, tables[str(home)]).to_json(), documents)  # the format before
    assert all(k == old.knowledge for _, k in old.documents) and old.knowledge.search == ways.search


def test_one_document_is_its_own_library_and_a_shared_title_names_the_library(files):
    home, plan = files
    documents = _documents(home)
    library = derive_library(documents, {str(home): {"report": {"title": "Ways"}}})
    assert library.knowledge == derive(documents, {"report": {"title": "Ways"}}) == library.of(documents[0].doc_id)
    both = _documents(home, plan)
    shared = {"report": {"title": "Council papers"}, "search": {"prior_weight": 0.1}}
    library = derive_library(both, {str(home): shared, str(plan): shared})
    assert library.knowledge.title == "Council papers" and dict(library.knowledge.search) == {"prior_weight": 0.1}


def _passage(document: str, section: str, **kw) -> Passage:
    base = dict(passage_id=f"{document}{section}", document=document, document_title=f"{document} title",
                section=section, section_title="What we do", chapter_title="Objectives",
                heading_path=(f"{section[0]}. Objectives", f"{section}. What we do"), text="We pay pensions.",
                start=0, end=16, pages=(), section_kind="subsection")
    return Passage(**{**base, **kw})


def test_a_chapter_two_documents_have_must_be_qualified_by_its_document():
    passages = [_passage("a.md#1", "1.1"), _passage("b.md#2", "1.1"), _passage("b.md#2", "2.1")]
    with pytest.raises(QueryError, match=r"chapter '1' is in 2 documents of this index \(a.md, b.md\): say which"):
        Filters(chapters=("1",)).check(passages)
    Filters(chapters=("1",), documents=("b.md",)).check(passages)  # named: b.md's chapter 1
    Filters(chapters=("2",)).check(passages)  # only b.md has a chapter 2
    assert Filters(chapters=("1",), documents=("a.md#1",)).mask(passages).tolist() == [True, False, False]


def test_a_citation_names_its_document_by_a_short_title():
    assert short_title("DWP single departmental plan: 2015 to 2020") == "DWP single departmental plan: 2015 to 2020"
    long = "Spring Budget 2017: the Chancellor's statement on the economy, public finances and taxes"
    assert short_title(long) == "Spring Budget 2017"
    cut = short_title("A very long title without any colon that goes on and on about many different things")
    assert cut.endswith("…") and len(cut) <= 60
    passage = _passage("b.md#2", "1.1", document_title="A departmental plan")
    assert citation(passage) == "§1.1 What we do"
    assert citation(passage, with_document=True) == "§1.1 What we do · A departmental plan"
