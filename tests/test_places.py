"""Places: councils described by region or county are found, and place words are not "unknown names"."""

from __future__ import annotations

from collections import Counter

import pytest

from latm_qa.answer.present import format_plain
from latm_qa.places.councils import load_councils
from latm_qa.places.gazetteer import Gazetteer
from latm_qa.types import PlaceReading

KINDS = {
    "county", "district", "unitary", "metropolitan borough", "London borough", "sui generis",
    "Welsh principal area", "Scottish council area", "Northern Ireland district",
}
REGIONS = {
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands", "East of England",
    "London", "South East", "South West", "Wales", "Scotland", "Northern Ireland",
}


def test_gazetteer_is_complete_and_well_formed():
    councils = load_councils()
    assert {c.kind for c in councils} <= KINDS and {c.region for c in councils} <= REGIONS
    kinds = Counter(c.kind for c in councils)
    assert kinds["London borough"] == 32 and kinds["metropolitan borough"] == 36
    assert kinds["Welsh principal area"] == 22 and kinds["Scottish council area"] == 32
    names = [n.casefold() for c in councils for n in (c.name, *c.aliases)]
    assert len(names) == len(set(names))
    by_name = {c.name: c for c in councils}
    assert (by_name["Warrington"].county, by_name["Warrington"].region) == ("Cheshire", "North West")
    assert (by_name["Oldham"].county, by_name["Oldham"].region) == ("Greater Manchester", "North West")
    assert by_name["Suffolk Coastal"].county == "Suffolk" and by_name["Cotswold"].county == "Gloucestershire"
    cities = {c.name for c in councils if c.city}
    assert {"Plymouth", "Stoke-on-Trent", "Westminster", "Birmingham", "Glasgow", "Cardiff"} <= cities
    assert not cities & {"Devon", "Oldham", "Warrington", "South Hams", "Croydon", "Barnet"}


def test_councils_named_in_the_report(md_index):
    names = {c.name for c in md_index.facts.places.councils}
    assert {"Warrington", "Oldham", "Essex", "Barnet", "Suffolk Coastal", "Waveney", "South Hams", "Croydon"} <= names
    assert not names & {"Kent", "Birmingham", "Manchester", "Glasgow", "Reading", "Bath and North East Somerset"}


def test_the_pdfs_name_the_same_councils(md_index, pdf_index, pdf_no_outline_index):
    expected = md_index.facts.places.councils
    assert pdf_index.facts.places.councils == expected and pdf_no_outline_index.facts.places.councils == expected


def test_descriptions_expand_to_the_councils_inside_them():
    places = Gazetteer.from_texts(["Warrington Borough Council and Oldham Council lead; Waveney District Council too."])
    assert places.expand("Which north-west boroughs lend money?").endswith("(Oldham; Warrington)")
    assert places.expand("What did the Greater Manchester council do?").endswith("(Oldham)")
    assert places.expand("the East Anglian district").endswith("(Waveney)")
    assert places.expand("What did they do?") == "What did they do?"
    # a council's own name is a name, not a description of a region
    assert places.described("What did North East Lincolnshire Council do?") == ()
    assert places.described("What did Manchester City Council do?") == ()
    # a county whose own council has a name of two words is still a place ("West Sussex")
    sussex = Gazetteer.from_texts(["Adur District Council and Worthing Borough Council share services."])
    assert sussex.expand("What do the West Sussex councils share?").endswith("(Adur; Worthing)")
    assert sussex.described("What did West Sussex County Council do?") == ()
    # "city" after a place narrows it to councils with city status, where it has any
    devon = Gazetteer.from_texts(["Plymouth City Council, South Hams and West Devon Borough Council, Devon."])
    assert devon.expand("the south-west city").endswith("(Plymouth)")
    assert devon.expand("the south-west councils").endswith("(Devon; Plymouth; South Hams; West Devon)")
    assert places.expand("the north-west city").endswith("(Oldham; Warrington)")  # a big town called a city
    # a description covering none of the report's councils is kept, with nothing inside it
    assert places.described("a Kent district") == (PlaceReading("Kent", "Kent", ()),)
    assert places.known_words("a Kent district") == set()
    # a short name of one of the report's councils is known and read as the council
    # an e-mail or web address does not make a council's name an ordinary lower-case word
    oldham = Gazetteer.from_texts(["Oldham Council works with residents: jo.bloggs@oldham.gov.uk, www.oldham.gov.uk."])
    assert [c.name for c in oldham.named("what did oldham do for residents")] == ["Oldham"]
    staffs = Gazetteer.from_texts(["Staffordshire County Council commissions."])
    assert staffs.expand("What does Staffs commission?").endswith("(Staffordshire)")
    assert staffs.known_words("What does Staffs commission?") == {"staffs"}
    assert staffs.expand("What does Staffordshire commission?") == "What does Staffordshire commission?"


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
