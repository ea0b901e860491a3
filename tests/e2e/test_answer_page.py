"""The answer box and its sources on the chat page (AppTest, the real model and index): numbered citations
linked to their cards, composed answers, calibrated confidence, copy, feedback with a reason, the "not
covered" suggestions' sections, the PDF page view and the Word export."""

from __future__ import annotations

import html
import io
import re

from streamlit.testing.v1 import AppTest

from latm_qa.app.export import conversation_docx
from latm_qa.app.feedback import read_feedback

from .conftest import APP
from .test_app import ask, texts, turns

WEST_SUFFOLK = "How much did the West Suffolk councils save by sharing a staffing structure?"


def answer_box(at: AppTest) -> str:
    return next(h.value for h in at.get("html") if 'class="latm-answer"' in h.value)


def test_the_answer_cites_its_card_by_number_with_a_calibrated_confidence(page):
    ask(page, WEST_SUFFOLK)
    result = turns(page)[0].result
    turn_id = turns(page)[0].turn_id
    box = html.unescape(answer_box(page))
    assert "£3.8 million" in result.answer and "£3.8 million" in box  # the sentence with the figure
    assert f'href="#card-{turn_id}-1"' in box and ">[1]</a>" in box  # a numbered citation linked to card 1
    cards = [h.value for h in page.get("html") if 'class="latm-hit"' in h.value]
    assert f'id="card-{turn_id}-1"' in cards[0]
    assert 0.0 <= result.probability <= 1.0 and f"{result.confidence_words} confidence" in box
    assert f"{round(100 * result.probability)}%" in box
    chances = [h.probability for h in result.hits]
    assert all(c is not None for c in chances) and chances[0] == result.probability
    assert chances[0] >= max(chances[1:])  # an absolute chance, not 100% for whatever is first


def test_a_pros_and_cons_question_gets_both_sides_each_cited(page):
    ask(page, "What are the pros and cons of sharing services?")
    result = turns(page)[0].result
    assert result.form == "two_sided"
    labels = {p.label for p in result.points}
    assert labels == {"advantages", "disadvantages"}
    sides = {p.label: result.hits[p.rank - 1].passage.section_title for p in result.points}
    assert sides == {"advantages": "Benefits", "disadvantages": "Challenges"}
    box = html.unescape(answer_box(page))
    assert 'class="latm-points"' in box and "Advantages" in box and "Disadvantages" in box
    assert len(re.findall(r'class="latm-ref" href="#card-', box)) >= len(result.points)


def test_copy_gives_the_answer_with_its_citations(page):
    ask(page, WEST_SUFFOLK)
    copied = page.code[0].value
    assert "£3.8 million" in copied and "[1]" in copied
    assert "[1] §6.4 Case studies — West Suffolk" in copied and "Local Authority Transformational Models" in copied


def test_thumbs_down_asks_what_was_wrong_and_stores_it(page, tmp_path):
    ask(page, WEST_SUFFOLK)
    turn_id = turns(page)[0].turn_id
    assert not page.get("button_group") or all(b.key != f"reason_{turn_id}" for b in page.get("button_group"))
    page.feedback[0].set_value(0).run()
    reason = next(b for b in page.get("button_group") if b.key == f"reason_{turn_id}")
    reason.set_value("wrong answer sentence").run()
    assert not page.exception
    records = read_feedback(tmp_path / "feedback")
    assert [r.vote for r in records] == ["down", "down"]
    assert records[-1].reason == "wrong answer sentence" and "£3.8 million" in records[-1].answer


def test_not_covered_offers_its_nearest_sections_to_open(page):
    ask(page, "What is the recipe for a Victoria sponge cake?")
    result = turns(page)[0].result
    assert result.abstained and result.suggestions
    opened = [e for e in page.expander if e.label.startswith("Open ")]
    assert len(opened) == len(result.suggestions)
    assert "the whole section in reading order" in html.unescape(texts(page))


def test_a_pdf_card_shows_its_page_with_the_passage_marked(pdf_index, tmp_path, monkeypatch):
    monkeypatch.setenv("LATM_QA_INDEX", str(pdf_index.path))
    monkeypatch.setenv("LATM_QA_FEEDBACK_DIR", str(tmp_path / "feedback"))
    at = AppTest.from_file(APP, default_timeout=180).run()
    ask(at, WEST_SUFFOLK)
    top = turns(at)[0].result.hits[0].passage
    pages = [e for e in at.expander if e.label.startswith("Show page")]
    assert pages and pages[0].label == f"Show page {top.pages[0]} of the PDF"
    image = at.get("image")
    assert image, "the page view shows the page as an image"


def test_the_conversation_exports_as_a_word_document(page):
    from docx import Document

    ask(page, WEST_SUFFOLK)
    ask(page, "Who do I contact about that?")
    labels = [b.label for b in page.download_button]
    assert "Download conversation (.docx)" in labels and not page.download_button[0].disabled
    document = Document(io.BytesIO(conversation_docx(turns(page), {}, knowledge=None)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert WEST_SUFFOLK in text and "Who do I contact about that?" in text
    assert "Read as a follow-up about “West Suffolk”" in text and "Ian Gallin" in text
    assert "[1] §6.4 Case studies — West Suffolk" in text and "Confidence:" in text
    assert not re.search(r"^\[\d+\] [A-Z][a-z]+ .*\(\d{4}\)", text, re.M)  # no footnotes in the quotes


def test_a_pasted_email_is_answered_from_its_question_not_refused_for_its_names(page):
    ask(page, "Hi Sam,\n\nFollowing Tuesday's Cabinet meeting, Councillor Jones asked me to look into shared "
              "services. Our IT contracts end next March and the Leader wants options. Could you find out how much "
              "councils have saved by sharing a single staffing structure?\n\nThanks,\nPriya")
    result = turns(page)[0].result
    assert not result.abstained and "£3.8 million" in result.answer
    assert "Read the question “Could you find out how much councils have saved" in texts(page)
