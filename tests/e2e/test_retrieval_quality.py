"""Retrieval extras: metrics against hand-computed values, highlights, short answers, abstention."""

from __future__ import annotations

import pytest

from latm_qa.bench.metrics import score_run


def test_highlight_is_the_answering_sentence(md_index):
    result = md_index.ask("By how much did the number of hardened street drinkers fall?")
    hit = result.hits[0]
    start, end = hit.highlights[0]
    assert "36 to 4" in hit.passage.text[start:end]
    assert "36 to 4" in result.answer and result.answer_citation.startswith("§5.4 Case studies — Suffolk Coastal")


def test_unanswerable_question_abstains_with_suggestions(md_index):
    result = md_index.ask("What transformation model have Scottish councils such as Glasgow adopted?")
    assert result.abstained and not result.hits
    assert "Glasgow" in result.not_in_report and result.suggestions


def test_an_acronym_the_report_never_uses_is_an_unknown_name(md_index):
    result = md_index.ask("How should councils handle TUPE when staff move into a shared service?")
    assert result.abstained and result.not_in_report == ("TUPE",)
    # known acronyms: the report's own (ALMO), one it spells out (LGA), one the embedder reads (NHS)
    for question, section in [
        ("Which council set up an ALMO for adults with learning disabilities?", "2.4"),
        ("Which LGA publications should I read on sharing services?", "6.5"),
        ("How did Croydon's Gateway work with the NHS?", "7.4"),
    ]:
        answered = md_index.ask(question)
        assert not answered.abstained and not answered.not_in_report, question
        assert answered.hits[0].passage.section == section, question


def test_answerable_question_does_not_abstain(md_index):
    result = md_index.ask("What did the Oldham trading company save in its first year?")
    assert not result.abstained and result.hits[0].passage.section == "3.4"


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("What are the drawbacks of councils sharing services?", "6.3"),
        ("What are the advantages of an enabling approach?", "5.2"),
    ],
)
def test_questions_about_a_part_land_on_that_part(md_index, question, part):
    assert md_index.search(question, k=1)[0].passage.section == part


def test_contact_questions_find_contact_details(md_index):
    hit = md_index.search("Who should I get in touch with at Croydon about the Gateway?", k=1)[0]
    assert "Mark.Fowler@croydon.gov.uk" in hit.passage.text


def test_acronyms_are_expanded_both_ways(md_index):
    hit = md_index.search("Which London Borough Council joined up its enforcement services?", k=1)[0]
    assert hit.passage.section_title.startswith("Croydon LBC")
    from latm_qa.build.lexicon import acronym_table

    assert acronym_table(["the Local Government Association (2012) said"])["LGA"] == "Local Government Association"


def test_feedback_votes_become_extra_judgements(md_index, tmp_path):
    from latm_qa.app.feedback import record_feedback
    from latm_qa.bench.metrics import feedback_questions, run_retriever

    question = "Which council runs commercial skills training for its staff?"
    shown = [h.passage.passage_id for h in md_index.search(question, k=3)]
    record_feedback(tmp_path, question, shown, "up", turn_id="t1")
    record_feedback(tmp_path, "What is a sponge cake?", shown, "down", turn_id="t2")
    extra = feedback_questions(tmp_path)
    assert [q["relevant_ids"] for q in extra] == [[shown[0]]]
    metrics = score_run(run_retriever(md_index, extra, "fused"), extra)
    assert metrics["hit_rate@1"] == 1.0 and metrics["questions"] == 1


def test_a_named_council_the_best_passage_is_not_about_makes_it_abstain(md_index):
    from latm_qa.answer.present import format_plain, result_to_json
    from latm_qa.app import render

    result = md_index.ask("How much did Oldham's council tax go up in 2016/17?")  # the best match is Colchester's
    assert result.abstained and not result.hits and result.off_topic == ("Oldham",) and not result.not_in_report
    assert result.suggestions[0].section_title.startswith("Oldham Council")  # its own case study comes first
    assert result_to_json(result)["off_topic"] == ["Oldham"]
    assert "the passages closest to it are not about Oldham" in format_plain(result)
    assert "The passages closest to it are not about Oldham." in render.abstain_html(result, filtered=False)


def test_the_council_check_reads_lower_case_questions(md_index):
    # the report's e-mail addresses (…@oldham.gov.uk) once made "oldham" an ordinary word, unseen in lower case
    result = md_index.ask("by how much did oldham raise council tax in 2016/17")
    assert result.abstained and result.off_topic == ("Oldham",)
    assert not md_index.ask("what did barnet commission from capita").abstained


def test_the_council_check_keeps_answerable_questions(md_index):
    for question, council in [
        ("How has the Essex borough's trading income grown?", "Colchester"),  # Colchester lies in Essex
        ("which services does barnet share, and with which borough?", "Barnet"),  # typed in lower case
        ("Who should I contact at Oldham?", "Oldham"),
        # the case study's later passage no longer names the four councils its first one introduced
        ("Did Forest of Dean bring in expert advisers?", "2020 Vision"),
    ]:
        result = md_index.ask(question)
        assert not result.abstained and not result.off_topic, question
        assert council in result.hits[0].passage.section_title, question


def test_the_council_check_respects_filters_and_can_be_turned_off(md_index):
    import copy
    from dataclasses import replace

    from latm_qa.retrieve.filters import Filters

    question = "How does Oldham work with its residents as a cooperative council?"
    filtered = md_index.ask(question, filters=Filters(chapters=("2",)))  # Oldham is in chapter 3
    assert filtered.abstained and filtered.off_topic == ("Oldham",)
    assert not md_index.ask(question).abstained
    unchecked = copy.copy(md_index)
    unchecked.settings = replace(md_index.settings, abstain_off_topic=False)
    result = unchecked.ask("How much did Oldham's council tax go up in 2016/17?")
    assert not result.abstained and not result.off_topic


def test_the_short_answer_is_a_contact_line_only_when_a_contact_is_asked_for(md_index):
    result = md_index.ask("Which adult education services did Staffordshire commission?")
    assert "10,000 residents" in result.answer and "@" not in result.answer
    assert result.answer_citation.startswith("§2.4 Case studies — Staffordshire")
    contact = md_index.ask("Who should I contact at Staffordshire about commissioning?")
    assert "Andrew Donaldson" in contact.answer


def test_the_short_answer_is_never_a_lists_lead_in(md_index):
    result = md_index.ask("What challenges do sharing councils face when one partner wants to opt out?")
    assert result.hits[0].passage.section == "6.3"
    # not "Some of the challenges councils can face when employing a sharing approach include:"
    assert "opt out of certain services" in result.answer and not result.answer.rstrip().endswith(":")
    top = result.hits[0]
    assert not any(top.passage.text[s:e].rstrip().endswith(":") for s, e in top.highlights)


def test_asked_for_a_figure_the_short_answer_gives_it(md_index):
    # not "Essex County Council has set up a number of traded services which are generating new revenue ..."
    assert "£7 million per year" in md_index.ask("How much did Essex make from traded services?").answer
    assert "£7 million per year" in md_index.ask("What did Essex earn from traded services?").answer
    # not "Get Oldham Working has been set up to bring together employers ..."
    assert "350 apprenticeships" in md_index.ask("How many apprenticeships did Oldham support?").answer


def test_a_question_typed_in_lower_case_still_abstains_on_a_council_the_report_never_mentions(md_index):
    result = md_index.ask("how much income does kent county council make from its traded services")
    assert result.abstained and result.not_in_report == ("kent",)
    result = md_index.ask("what transformation model have scottish councils such as glasgow adopted")
    assert result.abstained and set(result.not_in_report) == {"scottish", "glasgow"}
    answered = md_index.ask("which greater manchester borough set up a trading company")  # Oldham is in it
    assert not answered.abstained and answered.hits[0].passage.section_title.startswith("Oldham")
    # with capitals elsewhere, a lower-case word is an ordinary word, not a council
    assert not md_index.ask("Do councils that share services also share a bath or a swimming pool?").not_in_report
