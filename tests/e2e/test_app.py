"""The chat page, driven by Streamlit's AppTest on the real model and a real index, plus its pure helpers."""

from __future__ import annotations

import html
import json
from datetime import datetime

from streamlit.testing.v1 import AppTest

from latm_qa.app import chat, render
from latm_qa.app.feedback import read_feedback

from .conftest import APP

WARRINGTON = "Which council runs commercial skills training for its staff?"
CAKE = "What is the recipe for a Victoria sponge cake?"


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """Everything the page says, HTML entities decoded."""
    kinds = ("title", "markdown", "caption", "info", "warning", "error", "success")
    parts = [str(e.value) for kind in kinds for e in at.get(kind)]
    parts += [html.unescape(e.value) for e in at.get("html")]
    return "\n".join(parts)


def turns(at: AppTest) -> list[chat.Turn]:
    return list(at.session_state["turns"]) if "turns" in at.session_state else []


def test_first_visit_explains_the_report_and_offers_examples(page):
    said = texts(page)
    assert not page.exception
    assert "Local Authority Transformational Models" in said and "2016" in said
    for model in ("Commissioning", "Cooperative", "Entrepreneurial", "Enabling", "Sharing", "Holistic"):
        assert model in said
    assert "page numbers come with a PDF of the report" in said  # the markdown has no pages: no promise of them
    examples = [b for b in page.button if b.key and b.key.startswith("example_")]
    assert 4 <= len(examples) <= 6
    examples[0].click().run()
    assert not page.exception
    assert turns(page)[0].question == examples[0].label
    assert "Try one of these questions" not in texts(page)  # the welcome gives way to the conversation


def test_paraphrase_is_answered_with_warrington_case_study_and_vote_is_stored(page, tmp_path):
    ask(page, WARRINGTON)
    result = turns(page)[0].result
    assert result is not None and not result.abstained
    top = result.hits[0].passage
    assert top.section == "4.4" and top.section_title.startswith("Warrington Borough Council")
    said = texts(page)
    assert "§4.4" in said and "Warrington Borough Council (2011-Present)" in said
    assert any("<mark>" in h.value for h in page.get("html"))  # best sentences highlighted
    assert len(page.expander) == len(result.hits)  # every card can show its whole section
    assert len(page.feedback) == 1
    assert not page.error

    page.feedback[0].set_value(1).run()
    assert not page.exception
    records = read_feedback(tmp_path / "feedback")
    assert len(records) == 1
    vote = records[0]
    assert vote.vote == "up" and vote.question == WARRINGTON
    assert vote.passage_ids == tuple(h.passage.passage_id for h in result.hits)
    assert vote.citations[0].startswith("§4.4 Case studies — Warrington")
    assert datetime.fromisoformat(vote.timestamp).tzinfo is not None
    line = json.loads((tmp_path / "feedback" / "feedback.jsonl").read_text(encoding="utf-8"))
    assert {"timestamp", "question", "passage_ids", "vote"} <= set(line)

    ask(page, CAKE)  # the download covers the whole conversation, citations included
    button = page.download_button[0]
    assert not button.disabled
    exported = render.conversation_markdown(turns(page), manifest={})
    assert "## 1. Which council runs commercial skills training for its staff?" in exported
    assert "§4.4 Case studies — Warrington Borough Council (2011-Present)" in exported
    assert "## 2. What is the recipe for a Victoria sponge cake?" in exported
    assert "**Not covered:**" in exported


def test_unanswerable_question_says_it_is_not_covered(page):
    ask(page, CAKE)
    result = turns(page)[0].result
    assert result is not None and result.abstained and not result.hits
    said = texts(page)
    assert "The report does not cover this question." in said
    assert "Nearest sections" in said
    assert not [h for h in page.get("html") if 'class="latm-hit"' in h.value]  # no passages pretend to answer
    assert all(e.label.startswith("Open ") for e in page.expander)  # only the nearest sections, to open


def test_model_and_part_filters_restrict_citations(page, md_index):
    page.multiselect(key="chapters").set_value(["3"]).run()
    page.multiselect(key="parts").set_value(["case studies"]).run()
    matching = chat.count_matching(md_index, chat.build_filters(md_index.knowledge, ["3"], ["case studies"]))
    assert f"{matching} of {len(md_index.passages)} passages match these filters." in texts(page)
    ask(page, "How do councils earn money by trading services?")  # Essex's question, asked of cooperatives
    result = turns(page)[0].result
    assert result.hits and all(h.passage.section == "3.4" for h in result.hits)
    assert "Filtered to: Cooperative · Case studies" in texts(page)
    cited = [html.unescape(h.value) for h in page.get("html") if 'class="latm-hit"' in h.value]
    assert cited and all("§3.4" in c and "§4" not in c for c in cited)


def test_a_followup_keeps_the_council_and_can_be_asked_as_typed(page):
    ask(page, "How much did West Suffolk save?")
    ask(page, "Who do I contact about that?")
    followup = turns(page)[1]
    assert followup.rewritten and followup.query == "Who do I contact about that? (West Suffolk)"
    assert "Ian Gallin" in followup.result.answer  # West Suffolk's contact, not another council's
    assert "Read as a follow-up about “West Suffolk”: searched “Who do I contact about that? (West Suffolk)”" in (
        texts(page))
    page.button(key=f"typed_{followup.turn_id}").click().run()  # "Ask as typed"
    assert not page.exception
    again = turns(page)[1]
    assert not again.rewritten and again.query == "Who do I contact about that?" and len(turns(page)) == 2
    ask(page, "What did councils do about IT problems?")  # "IT" is no pronoun: searched as typed
    assert not turns(page)[2].rewritten
    ask(page, "and what about cake?")  # the previous subject must not turn nonsense into an answer
    assert turns(page)[3].result.abstained


def test_questions_are_shown_escaped_blank_ones_ignored_long_ones_cut(page):
    ask(page, "   ")
    ask(page, "?!")
    assert turns(page) == []
    ask(page, "<script>alert(1)</script> **Essex** # What did Essex earn from traded services?")
    bodies = [h.value for h in page.get("html")]
    assert not any("<script" in b for b in bodies)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt; **Essex** # What" in b for b in bodies)
    assert not any("<script" in m.value for m in page.markdown)
    ask(page, "What did Essex earn from traded services? " * 80)
    assert turns(page)[-1].result.truncated
    assert any("only its first 2000 characters were searched" in str(i.value) for i in page.info)


def test_missing_index_shows_how_to_build_it_and_the_button_builds_it(tmp_path, monkeypatch):
    monkeypatch.setenv("LATM_QA_INDEX", str(tmp_path / "no-index-here"))
    monkeypatch.setenv("LATM_QA_FEEDBACK_DIR", str(tmp_path / "feedback"))
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception and not at.error
    assert "latm-qa ingest" in at.info[0].value and str(tmp_path / "no-index-here") in at.info[0].value
    assert not at.chat_input
    at.button[0].click().run()  # "Build the index now": ingests ingest/ into the temporary directory
    assert not at.exception and not at.error
    assert (tmp_path / "no-index-here" / "manifest.json").exists()
    assert at.chat_input  # the page reloaded with the new index
    ask(at, WARRINGTON)
    assert turns(at)[0].result.hits[0].passage.section == "4.4"


def test_report_mentions_guards_follow_ups_from_nonsense(md_index):
    assert not chat.report_mentions(md_index, "and what about cake?")
    assert chat.report_mentions(md_index, "and how much did they save?")
    assert chat.report_mentions(md_index, "and what did Oldham do?")


def test_a_place_description_is_answered_and_its_reading_shown(page):
    ask(page, "What did the Greater Manchester borough do to involve residents?")
    result = turns(page)[0].result
    assert result is not None and not result.abstained
    assert result.hits[0].passage.section_title.startswith("Oldham")
    assert "Read “Greater Manchester” as Greater Manchester: Oldham" in texts(page)


def test_a_followup_naming_a_council_of_another_model_is_answered_on_its_own_words(md_index):
    no_filters = chat.build_filters(md_index.knowledge)
    first = chat.ask_turn(md_index, "What are the challenges of sharing services?", None, 5, no_filters)
    followup = chat.ask_turn(md_index, "what about Essex?", first, 5, no_filters)
    assert not followup.rewritten and followup.query == "what about Essex?"  # Essex is no sharing council
    assert not followup.result.abstained and followup.result.hits[0].passage.section_title.startswith("Essex")


def test_a_misspelt_name_is_answered_and_its_reading_shown_and_exported(page):
    ask(page, "What did Oldam's trading company save in its first year?")
    result = turns(page)[0].result
    assert result is not None and not result.abstained and result.hits[0].passage.section == "3.4"
    assert "Read “Oldam” as “Oldham”" in texts(page)
    assert "*Spelling:* read “Oldam” as “Oldham”" in render.conversation_markdown(turns(page))
