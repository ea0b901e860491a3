"""A library of two reports, each with its own profile: the home report with its profile (its weights,
examples and gazetteer) and the DWP plan with none. Every citation names its document; the home profile
applies to the home report only; the page presents the library. Real model, real index, real files."""

from __future__ import annotations

import html
import io
import json
import re
import shutil

import pytest
from conftest import ROOT, run_cli
from streamlit.testing.v1 import AppTest

from latm_qa import Index, Settings, ingest, load_settings
from latm_qa.answer.present import format_plain, result_to_json
from latm_qa.app import chat, render
from latm_qa.app.export import conversation_docx
from latm_qa.build.ingest import remove
from latm_qa.retrieve import Filters

from .conftest import APP

DWP = ROOT.parent / "shared" / "reports" / "more" / "dwp-single-departmental-plan" / "report.md"
DWP_TITLE = "DWP single departmental plan: 2015 to 2020"
HOME_TITLE = "Local Authority Transformational Models"
ESSEX = "What did Essex earn from traded services?"
DISABLED = "What is DWP doing to help disabled people into work?"

pytestmark = pytest.mark.skipif(not DWP.is_file(), reason="the shared reports are not beside the project")


@pytest.fixture(scope="session")
def library_dir(md_index, tmp_path_factory):
    """The home report's index (built with its profile) with the DWP plan added, as `latm-qa ingest dwp.md`."""
    root = tmp_path_factory.mktemp("library")
    shutil.copytree(md_index.path, root / "index")
    dwp = root / "dwp" / "dwp-plan.md"
    dwp.parent.mkdir()
    shutil.copy(DWP, dwp)
    ingest([dwp], load_settings(index_dir=root / "index"))
    return root / "index"


@pytest.fixture(scope="session")
def library(library_dir):
    return Index.load(library_dir)


def _ids(index: Index) -> tuple[str, str]:
    home, dwp = (d.doc_id for d in index.documents)
    assert home.startswith("local-authority") and dwp.startswith("dwp-plan.md")
    return home, dwp


def test_each_document_keeps_its_own_profile_and_the_library_the_defaults(library, md_index):
    home_id, dwp_id = _ids(library)
    home, dwp = library.library.of(home_id), library.library.of(dwp_id)
    assert home == md_index.knowledge  # the home report's, as when it was indexed alone
    assert dwp.gazetteer == "" and dwp.search == () and dwp.profile is None and dwp.title == DWP_TITLE
    assert dwp.examples and not set(dwp.examples) & set(home.examples)  # its own, from its headings
    assert library.facts.placed == {home_id}  # the council gazetteer for the home report only
    defaults = Settings()
    assert (library.settings.bm25_weight, library.settings.prior_weight, library.settings.topic_weight) == (
        defaults.bm25_weight, defaults.prior_weight, defaults.topic_weight)
    asked_of_home = library.search_settings(Filters(documents=(home_id.split("#")[0],)))
    assert (asked_of_home.bm25_weight, asked_of_home.prior_weight, asked_of_home.topic_weight) == (0.3, 0.1, 0.5)
    assert library.search_settings(Filters(documents=(dwp_id,))).bm25_weight == defaults.bm25_weight
    assert md_index.settings.bm25_weight == 0.3  # the home report alone still has its profile's weights

    stored = json.loads((library_dir_of(library) / "profile.json").read_text(encoding="utf-8"))
    assert set(stored["documents"]) == {home_id, dwp_id} and stored["derived"]["title"] == "Library of 2 reports"


def library_dir_of(index: Index):
    return index.path / index.manifest["current"]


def test_a_part_of_one_report_is_asked_for_by_its_own_words_only(library):
    home_id, dwp_id = _ids(library)
    structure = library.corpus.structure
    prior = structure.prior("What are the benefits of sharing services?")  # the home profile's Benefits
    boosted = {library.passages[i].document for i in prior.nonzero()[0]}
    assert boosted == {home_id}
    assert all(part.startswith(home_id) for part in structure.intents if "Benefits" in part)


def test_citations_name_the_document_in_plain_json_and_answer(library):
    home_id, dwp_id = _ids(library)
    dwp = library.ask(DISABLED, k=3)
    assert not dwp.abstained and dwp.hits[0].passage.document == dwp_id and dwp.documents == 2
    out = result_to_json(dwp)
    assert out["hits"][0]["citation"].endswith(f" · {DWP_TITLE}") and out["hits"][0]["document_title"] == DWP_TITLE
    assert out["answer_citation"].endswith(f" · {DWP_TITLE}")
    assert f"· {DWP_TITLE}   score" in format_plain(dwp)

    essex = library.ask(ESSEX, k=3)
    assert essex.hits[0].passage.section == "4.4"
    assert essex.answer_citation == f"§4.4 Case studies — Essex County Council (2013-Present) · {HOME_TITLE}"
    listed = result_to_json(library.ask("What are the benefits of sharing services?", k=3))
    assert listed["answer_points"] and all(p["citation"].endswith(f" · {HOME_TITLE}") for p in listed["answer_points"])

    cake = library.ask("What is the recipe for a Victoria sponge cake?", k=3)
    assert format_plain(cake).startswith("None of the reports seems to answer this question")
    cake = result_to_json(cake)
    assert cake["abstained"] and cake["suggestions"]
    assert all(s["citation"].endswith(f" · {s['document_title']}") for s in cake["suggestions"])


def test_the_home_reports_gazetteer_still_reads_places_in_the_library(library):
    result = library.ask("What did the Greater Manchester borough do to involve residents?", k=3)
    assert not result.abstained and result.hits[0].passage.section_title.startswith("Oldham")
    assert result.places and result.places[0].councils == ("Oldham",)


def test_a_chapter_needs_its_document_on_the_command_line(library_dir):
    out = run_cli("search", "What is DWP doing?", "--chapter", "1", "--index", library_dir)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "chapter '1' is in 2 documents of this index" in out.stderr and "--document" in out.stderr
    out = run_cli("search", DISABLED, "--chapter", "1", "--document", "dwp-plan.md", "--index", library_dir, "--json")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)["hits"]
    assert hits and all(h["document"].startswith("dwp-plan.md") and h["section"].split(".")[0] == "1" for h in hits)
    assert all(h["citation"].endswith(f" · {DWP_TITLE}") for h in hits)


def test_removing_a_report_gives_the_other_back_its_own_weights(library_dir, tmp_path):
    shutil.copytree(library_dir, tmp_path / "index")
    settings = load_settings(index_dir=tmp_path / "index")
    remove(["dwp-plan.md"], settings)
    alone = Index.load(tmp_path / "index")
    assert alone.knowledge.title == HOME_TITLE and alone.settings.bm25_weight == 0.3
    assert alone.ask(ESSEX, k=1).answer_citation == "§4.4 Case studies — Essex County Council (2013-Present)"


# --- the page over the library ---------------------------------------------------------------------------


@pytest.fixture
def page(library_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("LATM_QA_INDEX", str(library_dir))
    monkeypatch.setenv("LATM_QA_FEEDBACK_DIR", str(tmp_path / "feedback"))
    return AppTest.from_file(APP, default_timeout=120).run()


def _said(at: AppTest) -> str:
    """Everything the page says, its HTML's tags left out."""
    kinds = ("title", "markdown", "caption", "info", "warning", "error", "success")
    shown = [str(e.value) for kind in kinds for e in at.get(kind)] + [e.value for e in at.get("html")]
    return html.unescape(re.sub(r"<[^>]+>", "", "\n".join(shown)))


def test_the_page_presents_the_library_and_filters_by_document_then_chapter(page, library):
    home_id, dwp_id = _ids(library)
    assert not page.exception
    assert page.title[0].value == "Library of 2 reports"
    said = _said(page)
    assert f"Ask questions about 2 reports: {HOME_TITLE} and {DWP_TITLE}." in said
    examples = {b.key: b.label for b in page.button if b.key and b.key.startswith("example_")}
    examples = [examples[f"example_{n}"] for n in range(len(examples))]
    home, dwp = library.library.of(home_id), library.library.of(dwp_id)
    assert examples[0] == home.examples[0] and examples[1] == dwp.examples[0]  # each report's in turn
    assert "Choose one document to filter by chapter." in said
    assert not [m for m in page.multiselect if m.key and m.key.startswith("chapters")]

    page.multiselect(key="documents").set_value([dwp_id]).run()
    chapters = page.multiselect(key=f"chapters_{dwp_id}")
    assert chapters.options and set(chapters.options) <= {chat.chapter_choice_label(dwp, c.number)
                                                          for c in dwp.chapters}
    page.chat_input[0].set_value(DISABLED).run()
    turn = page.session_state["turns"][0]
    assert all(h.passage.document == dwp_id for h in turn.result.hits)
    said = _said(page)
    assert f"Filtered to: {DWP_TITLE}" in said
    cards = [html.unescape(h.value) for h in page.get("html") if 'class="latm-hit"' in h.value]
    assert cards and all(f"· {DWP_TITLE}" in card for card in cards)


def test_the_exports_name_each_citations_document(page, library):
    page.chat_input[0].set_value(ESSEX).run()
    page.chat_input[0].set_value(DISABLED).run()
    turns = list(page.session_state["turns"])
    titles = chat.document_titles(library)
    exported = render.conversation_markdown(turns, library.manifest, knowledge=library.knowledge, documents=titles)
    assert exported.startswith("# Library of 2 reports — conversation")
    assert f"Sources: *{HOME_TITLE}*; *DWP single departmental plan: 2015 to 2020*" in exported
    assert f"Essex County Council (2013-Present) · {HOME_TITLE}" in exported and f"· {DWP_TITLE}" in exported

    from docx import Document

    exported = conversation_docx(turns, library.manifest, knowledge=library.knowledge, documents=titles)
    document = Document(io.BytesIO(exported))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"· {HOME_TITLE}" in text and f"· {DWP_TITLE}" in text
    assert chat.answer_for_copy(turns[1].result).endswith(DWP_TITLE)
