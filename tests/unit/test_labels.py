"""Numbered parts named in headings and questions ("year 6", "Table 2.4", "Annex A")."""

from latm_qa.retrieve.labels import Labels, labels
from latm_qa.types import Passage


def _passage(i: int, *path: str) -> Passage:
    text = "Pupils should be taught to read numbers."
    return Passage(f"p{i}", "doc", "Doc", "", path[-1], path[0], path, text, 0, len(text))


def test_labels_of_headings():
    assert labels("Upper key stage 2 - years 5 and 6") == {("stage", "2"), ("year", "5"), ("year", "6")}
    assert labels("Table 2.4: Financial transactions") == {("tabl", "2.4")}
    assert labels("Annex A: Financing") == {("annex", "A")} and labels("Box 1.A: The outlook") == {("box", "1.A")}
    assert labels("objectives 1, 2 and 4") == {("object", "1"), ("object", "2"), ("object", "4")}


def test_words_that_are_not_labels():
    assert labels("count to 100 in multiples of 4") == set()  # stop words before the numbers
    assert labels("is there a report") == set()  # the article is not a part "A"
    assert labels("in 2019-20") == set() and labels("grew 4% in year") == set()


def test_a_question_favours_the_part_it_names():
    passages = [_passage(0, "Year 3 programme of study", "Number"), _passage(1, "Year 6 programme of study", "Number"),
                _passage(2, "Key stage 3", "Number")]
    scores = Labels(passages).scores("year 6 place value - how big are the numbers")
    assert list(scores) == [0.0, 1.0, 0.0]


def test_a_label_the_headings_never_number_decides_nothing():
    passages = [_passage(0, "Year 3 programme of study"), _passage(1, "Geometry")]
    assert not Labels(passages).scores("Which shapes come in box 2?").any()


def test_a_repeated_sub_heading_is_a_part_to_filter_by_without_its_qualifier():
    from latm_qa.retrieve.filters import Filters

    passages = [_passage(0, "Year 3 programme of study", "Number", "Notes and guidance (non-statutory)"),
                _passage(1, "Year 3 programme of study", "Number")]
    assert list(Filters(parts=("notes and guidance",)).mask(passages)) == [True, False]
