"""Report knowledge: what a report says of itself, and what a profile beside it adds."""

from __future__ import annotations

import pytest

from latm_qa import InputFileError
from latm_qa.profile import Knowledge, derive, find_profiles, merge_profiles, read_profile
from latm_qa.read import read_document
from latm_qa.structure import parse_sections

REPORT = """# Ways of working

## 1. Introduction

This report looks at two ways councils work together. It was written in 2019.

## 2. Shared services

### 2.1. Benefits

Sharing a back office saves money. Councils keep their own identity.

### 2.2. Challenges

Staff must move to one employer. Systems take years to merge.

## 3. Joint ventures

### 3.1. Benefits

A joint venture can trade. It brings private capital.

### 3.2. Challenges

Profits are never certain. The council carries the risk.

### 3.3. Case studies

#### Kirklees Council (2014-Present)

Kirklees set up a joint venture for building maintenance in 2014.
"""


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "ways.md"
    path.write_text(REPORT, encoding="utf-8")
    return parse_sections(read_document(path))


def test_a_report_without_a_profile_says_its_title_chapters_parts_and_examples(document):
    knowledge = derive([document], None)
    assert knowledge.title == "Ways of working" and knowledge.profile is None
    assert knowledge.parts == ("Benefits", "Challenges")  # repeated under two chapters; case studies are not
    topics = {c.number: c for c in knowledge.chapters if c.topic}
    assert set(topics) == {"2", "3"} and not knowledge.chapter("1").topic
    assert topics["2"].title == "Shared services" and topics["2"].label == "Shared services"
    # a topic chapter is named by the title words no other topic chapter has
    assert topics["2"].words == (r"\bshare", r"\bservic") and topics["3"].words == (r"\bjoint", r"\bventur")
    assert knowledge.examples[:2] == (
        "What are the benefits of shared services?",
        "What are the challenges of joint ventures?",
    )
    assert "What did Kirklees Council do?" in knowledge.examples
    assert knowledge.description == "It covers shared services and joint ventures."
    assert dict(knowledge.part_intents) == {"Benefits": r"\bbenefit", "Challenges": r"\bchalleng"}
    assert knowledge.gazetteer == ""  # no profile: no place gazetteer


def test_a_profile_labels_chapters_and_says_which_words_ask_for_a_part(document, tmp_path):
    path = tmp_path / "ways.toml"
    path.write_text(
        """
[report]
title = "Ways of Working (2019)"
publisher = "A Council Network"
examples = ["Which council set up a joint venture?"]

[chapters.2]
label = "Sharing"
words = ['\\bshar(e|ing)']

[parts]
Benefits = '\\b(benefit|advantage|upside)'
Challenges = { words = '\\b(challeng|risk)', topic = true }

[places]
gazetteer = "uk-councils"
""",
        encoding="utf-8",
    )
    knowledge = derive([document], read_profile(path))
    assert knowledge.title == "Ways of Working (2019)" and knowledge.publisher == "A Council Network"
    assert knowledge.examples == ("Which council set up a joint venture?",)
    sharing = knowledge.chapter("2")
    assert sharing.label == "Sharing" and sharing.words == (r"\bshar(e|ing)",) and sharing.topic
    assert knowledge.chapter("3").words == ()  # a profile's chapters replace the derived words
    assert dict(knowledge.part_intents)["Benefits"] == r"\b(benefit|advantage|upside)"
    assert knowledge.topic_parts == ("Challenges",) and knowledge.gazetteer == "uk-councils"
    assert Knowledge.from_json(knowledge.to_json()) == knowledge  # stored and read back unchanged


def test_profiles_are_found_beside_a_report_or_given(tmp_path):
    report, other = tmp_path / "a.md", tmp_path / "b.md"
    own, folder = tmp_path / "a.toml", tmp_path / "profile.toml"
    for path in (report, other, own, folder):
        path.write_text("", encoding="utf-8")
    assert find_profiles([report, other]) == [own, folder]
    assert find_profiles([other]) == [folder]
    assert find_profiles([report], given=own) == [own]
    with pytest.raises(InputFileError, match="no such profile file"):
        find_profiles([report], given=tmp_path / "missing.toml")


def test_merged_profiles_join_their_examples():
    merged = merge_profiles([{"report": {"examples": ["a?"], "title": "A"}}, {"report": {"examples": ["b?"]}}])
    assert merged == {"report": {"examples": ["a?", "b?"], "title": "A"}}
    assert merge_profiles([]) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[report\ntitle = 'x'", "not a valid TOML profile"),
        ("[chapter.2]\nlabel = 'x'", r"unknown table \[chapter\]"),
        ("[places]\ngazetteer = 'mars'", "unknown gazetteer 'mars'"),
        ("[parts]\nBenefits = '(unclosed'", "pattern of part 'Benefits' is not a valid regular expression"),
        ("[search]\nlate = 5", "unknown setting 'late' in \\[search\\]: choose from sentence_weight"),
        ("[search]\nlate_weight = -1", r"\[search\] late_weight = -1 is not a weight"),
        ("[search]\nlate_weight = 'high'", r"\[search\] late_weight = 'high' is not a weight"),
        ("[search]\nexpand_acronyms = 1", r"\[search\] expand_acronyms = 1 is a switch: give true or false"),
    ],
)
def test_a_bad_profile_is_refused_naming_the_file_and_the_fault(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match=message) as caught:
        read_profile(path)
    assert str(path) in str(caught.value)


def test_a_profile_sets_its_reports_own_search_weights(home_knowledge, document, tmp_path):
    assert dict(home_knowledge.search) == {"bm25_weight": 0.3, "prior_weight": 0.1, "topic_weight": 0.5}
    assert Knowledge.from_json(home_knowledge.to_json()) == home_knowledge  # stored and read back
    path = tmp_path / "profile.toml"
    path.write_text("[search]\nlabel_weight = 0\nlate_weight = 5\n", encoding="utf-8")
    knowledge = derive([document], read_profile(path))
    assert dict(knowledge.search) == {"label_weight": 0.0, "late_weight": 5.0}
    assert derive([document], None).search == ()  # no profile: the defaults
    path.write_text("[search]\nexpand_acronyms = true\nabstain_undated = true\n", encoding="utf-8")
    switches = dict(derive([document], read_profile(path)).search)
    assert switches == {"expand_acronyms": True, "abstain_undated": True}  # kept as switches, not weights
    assert all(value is True for value in switches.values())
