"""Abstention on a report the project was not built for (the maths national curriculum, no profile), with
the real model: a question it does not answer is recognised, and questions it does answer are answered
though they carry a pasted sentence or a misspelt name."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from latm_qa import Index, ingest, load_settings
from latm_qa.answer.present import result_to_json

SOURCE = ROOT.parent / "shared" / "reports" / "more" / "national-curriculum-maths" / "report.md"

pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason=f"{SOURCE} is not beside the project")


@pytest.fixture(scope="module")
def maths_index(tmp_path_factory, embedder) -> Index:
    folder = tmp_path_factory.mktemp("maths-ingest")
    shutil.copy(SOURCE, folder / "maths.md")  # alone in its folder: no profile, no gazetteer
    settings = load_settings(index_dir=tmp_path_factory.mktemp("maths") / "index", ingest_dir=folder)
    ingest([folder], settings)
    return Index.load(settings.index_dir, settings=settings)


def test_a_sum_of_money_it_never_gives_is_not_answered(maths_index):
    result = maths_index.ask("how much funding is given to schools to train maths teachers")
    assert result.abstained and not result.hits
    assert result.not_counted == "sum of money"
    assert result.suggestions  # the nearest sections instead


def test_a_pasted_sentence_opening_with_a_word_the_report_lacks_is_answered(maths_index):
    assert "our" not in maths_index.facts.vocabulary  # the curriculum never says "our"
    question = "We are planning next term. Our Year 5 teachers ask: when are pupils taught long multiplication?"
    result = maths_index.ask(question)
    assert not result.abstained and result.not_in_report == ()
    assert any("multiplication" in hit.passage.text.lower() for hit in result.hits[:3])


def test_a_name_it_never_mentions_still_abstains(maths_index):
    result = maths_index.ask("How will Ofsted inspect the teaching of the maths programmes of study?")
    assert result.abstained and result.not_in_report == ("Ofsted",)


def test_a_percentage_question_where_percentages_are_the_topic_is_answered(maths_index):
    result = maths_index.ask("What percentage of an amount do pupils find in year 6?")
    assert not result.abstained and result.not_counted == ""
    top = [" / ".join(hit.passage.heading_path) + " " + hit.passage.text for hit in result.hits[:3]]
    assert all("year 6" in text.lower() for text in top)
    assert any("percentage" in " / ".join(hit.passage.heading_path).lower() for hit in result.hits[:3])


def test_a_year_the_best_passages_never_speak_of_is_not_answered(md_index):
    result = md_index.ask("How much did West Suffolk save in 2008?")
    assert result.abstained and result.not_dated == ("2008",)
    assert "2008" in result_to_json(result)["not_dated"]


def test_a_year_inside_a_span_the_report_gives_is_answered(md_index):
    result = md_index.ask("What traded income did Colchester make in 2014/15?")  # "from 2013/14 to 2015/16"
    assert not result.abstained and result.not_dated == ()
    assert "Colchester" in " ".join(result.hits[0].passage.heading_path)
