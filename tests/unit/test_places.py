"""Places: councils described by region or county are found, and place words are not "unknown names"."""

from __future__ import annotations

from collections import Counter

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
