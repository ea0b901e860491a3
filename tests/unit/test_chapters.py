"""Citations judged at the level of a top-level heading (bench/metrics.py), for question sets that name one."""

from __future__ import annotations

from latm_qa.bench.metrics import chapter_key, cited_right


def test_a_chapter_is_its_number_or_named_part_or_else_its_title():
    assert chapter_key("4. Financial statements") == chapter_key("4") == "4"
    assert chapter_key("Part 4. Fraud") == chapter_key("part 4") == "part 4"
    assert chapter_key("Annex A - conflicts of interest") == "annex a"
    assert chapter_key("Evidence Base") == chapter_key("evidence  base") == "evidence base"
    assert chapter_key("Annexure: specimen IP warranty and IP indemnity clauses") == (
        "annexure: specimen ip warranty and ip indemnity clauses")
    assert chapter_key("2015–16 in review") != chapter_key("2")  # a year opening a title is no chapter number


def test_a_question_naming_a_chapter_is_cited_right_anywhere_in_it_and_nowhere_else():
    question = {"section": None, "chapter": "4", "answers": ["x"]}
    assert cited_right(question, "4.2", chapter_key("4. Financial statements"))
    assert not cited_right(question, "3.1", chapter_key("3. Organisational performance"))
    titled = {"section": None, "chapter": "Evidence Base", "answers": ["x"]}
    assert cited_right(titled, "Evidence Base", chapter_key("Evidence Base"))
    # without a chapter, the gold section decides, as before; with neither, any citation is right
    assert cited_right({"section": "5.4", "answers": ["x"]}, "5.4", "5")
    assert not cited_right({"section": "5.4", "answers": ["x"]}, "5.3", "5")
    assert cited_right({"section": None, "answers": ["x"]}, "9", "9")
