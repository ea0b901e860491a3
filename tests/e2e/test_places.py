"""Places: councils described by region or county are found, and place words are not "unknown names"."""

from __future__ import annotations

import pytest

from latm_qa.answer.present import format_plain


def test_councils_named_in_the_report(md_index):
    names = {c.name for c in md_index.facts.places.councils}
    assert {"Warrington", "Oldham", "Essex", "Barnet", "Suffolk Coastal", "Waveney", "South Hams", "Croydon"} <= names
    assert not names & {"Kent", "Birmingham", "Manchester", "Glasgow", "Reading", "Bath and North East Somerset"}


def test_the_pdfs_name_the_same_councils(md_index, pdf_index, pdf_no_outline_index):
    expected = md_index.facts.places.councils
    assert pdf_index.facts.places.councils == expected and pdf_no_outline_index.facts.places.councils == expected


@pytest.mark.parametrize(
    ("question", "section", "council"),
    [
        ("Which North West council trains its staff in commercial skills?", "4.4", "Warrington"),
        ("What did the Greater Manchester borough do to involve residents?", "3.4", "Oldham"),
        ("Which East Anglian districts share one staff structure?", "6.4", "West Suffolk"),
        ("What does Staffs commission for adult learners?", "2.4", "Staffordshire"),  # a short name
        ("What do the two West Sussex councils save by sharing?", "6.4", "Adur"),  # a county that is also a council
        ("Which south-west city finds work for young people with local employers?", "3.4", "Plymouth"),
    ],
)
def test_a_council_described_by_place_is_found_not_abstained(md_index, question, section, council):
    result = md_index.ask(question)
    assert not result.abstained and not result.not_in_report
    top = result.hits[0].passage
    assert top.section == section and top.section_title.startswith(council), top.section_title


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("How much did Kent County Council save from traded services?", "Kent"),
        ("What did Manchester City Council save through outsourcing?", "Manchester"),
        ("What have Welsh councils done about shared services?", "Welsh"),
        ("Kent CC commissioning savings", "Kent"),  # a search-box query opening with the place
        ("What did Tunbridge Wells Borough Council save?", "Tunbridge Wells"),  # one name, not two
        ("What did the East Sussex councils share?", "East Sussex"),  # a county with none of the report's councils
        ("north yorkshire district savings", "north yorkshire"),  # the same, typed in lower case
    ],
)
def test_places_the_report_never_covers_still_abstain(md_index, question, unknown):
    result = md_index.ask(question)
    assert result.abstained and unknown in result.not_in_report, result.not_in_report


def test_each_unknown_place_is_named_once_in_the_order_typed(md_index):
    result = md_index.ask("Did Kent and Surrey share services in 2019?")
    assert result.not_in_report == ("Kent", "Surrey", "2019")
    assert "(it never mentions Kent, Surrey or 2019)" in format_plain(result)


def test_the_reading_of_a_place_is_reported_in_json_and_plain_text(md_index):
    from latm_qa.answer.present import format_plain, result_to_json

    result = md_index.ask("Which North West council trains its staff in commercial skills?")
    data = result_to_json(result)
    assert data["places"] == [{"words": "North West", "place": "North West", "councils": ["Oldham", "Warrington"]}]
    assert format_plain(result).startswith("(read “North West” as North West: Oldham, Warrington)")
    assert result_to_json(md_index.ask("What did Essex earn from traded services?"))["places"] == []


def test_a_case_study_named_after_a_partnership_carries_its_councils(md_index):
    from latm_qa.places.gazetteer import case_study_councils

    councils = case_study_councils(md_index.passages, md_index.facts.places)
    assert list(councils.values()) == ["Cheltenham, Cotswold, Forest of Dean, West Oxfordshire"]  # others name theirs
    # the passage on the advisers names none of the four councils, yet a question naming one finds it
    hits = md_index.search("How did the Forest of Dean partnership help its members get to grips with commissioning?")
    assert "brought in expert advisers" in hits[0].passage.text
