"""Gold data checked before a run: malformed lines and gold the index cannot match are refused naming file:line,
the bad value and the fix; the committed question sets pass; a user's run is written outside eval/results/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from latm_qa.bench.gold import Corpus, GoldDataError, check_gold, read_questions
from latm_qa.bench.metrics import is_relevant, load_questions, normalise
from latm_qa.bench.per_question import first_relevant, outcome, worst
from latm_qa.bench.report import PROJECT_RESULTS, results_dir
from latm_qa.bench.suite import SUITE_FILE, read_suite
from latm_qa.build.passages import split_passages
from latm_qa.read import read_document
from latm_qa.settings import load_settings
from latm_qa.structure import parse_sections

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "eval" / "questions.jsonl"
SUITE = read_suite(SUITE_FILE)
# three lines of the home set as they are committed: q001 (§1), q002 (§1, two answers), an unanswerable one
GOOD = [
    {"id": "q001", "question": "How far has government grant to councils been cut?",
     "answers": ["cuts in grant of more than 35 percent"], "section": "1"},
    {"id": "q002", "question": "Who did the research?",
     "answers": ["The Local Government Association commissioned", "the think-tank Localis"], "section": "1"},
    {"id": "u1", "question": "How much parking income do councils raise?", "answers": [], "section": None,
     "kind": "unanswerable"},
]


def passages_of(source: Path):
    """A report's passages as ingest splits them (its chunking settings), with no model."""
    settings = load_settings()
    return split_passages(parse_sections(read_document(source)), settings.max_words, settings.min_words)


@pytest.fixture(scope="module")
def home():
    return passages_of(next(r for r in SUITE if r.questions == QUESTIONS).sources["md"])


def write(tmp_path: Path, rows: list, name: str = "mine.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def refused(path: Path, passages) -> str:
    with pytest.raises(GoldDataError) as caught:
        check_gold(read_questions(path), passages, path)
    return str(caught.value)


@pytest.mark.parametrize("report", SUITE, ids=[r.name for r in SUITE])
def test_every_committed_question_set_passes_the_check_against_its_report(report):
    if not report.sources["md"].exists():
        pytest.skip(f"{report.sources['md']} is not beside the project")
    rows = [(n, q) for n, q in read_questions(report.questions) if q.get("document", report.name) == report.name]
    assert len(rows) >= 40
    assert check_gold(rows, passages_of(report.sources["md"]), report.questions) == []  # not even a note


def test_good_lines_pass_and_an_unanswerable_question_needs_no_answer(home, tmp_path):
    path = write(tmp_path, GOOD)
    assert check_gold(read_questions(path), home, path) == []
    assert [q["id"] for q in load_questions(path)] == ["q001", "q002", "u1"]


def test_a_misspelt_answer_is_refused_naming_its_line_the_value_and_where_it_parts_from_the_report(home, tmp_path):
    wrong = {**GOOD[1], "answers": ["The Local Government Association commissioned", "the think-tank Locallis"]}
    path = write(tmp_path, [GOOD[0], GOOD[2], wrong])
    message = refused(path, home)
    assert message.startswith(f'{path}:3: answer "the think-tank Locallis" is in no passage of the index')
    assert 'the index has "the think-tank local" but not "the think-tank locallis"' in message
    assert "copy the words from the report's text, or drop the line" in message
    # read as the judge reads it: case, runs of spaces and curly quotes are no misspelling
    same = {**GOOD[1], "answers": ["THE   think-tank   Localis"]}
    assert check_gold(read_questions(write(tmp_path, [same], "case.jsonl")), home, path) == []


def test_a_section_the_index_lacks_is_refused_with_the_sections_it_has(home, tmp_path):
    path = write(tmp_path, [GOOD[0], {**GOOD[1], "section": "99"}])
    message = refused(path, home)
    assert message.startswith(f'{path}:2: section "99" is not in the index (it has 1, 2.1, 2.2,')
    assert message.endswith("fix the line or drop it")
    # a chapter told wholly in subsections has no passage the judge could cite by it
    chapter = refused(write(tmp_path, [{**GOOD[0], "section": "2"}], "chapter.jsonl"), home)
    assert 'section "2" has no passage of its own in the index (its text is in 2.1, 2.2,' in chapter
    near = refused(write(tmp_path, [{**GOOD[0], "section": "8.1"}], "near.jsonl"), home)
    assert near.endswith('did you mean "8"?): fix the line or drop it')  # the section it would be part of
    typo = refused(write(tmp_path, [{**GOOD[0], "section": "About Localiss"}], "typo.jsonl"), home)
    assert 'did you mean "About Localis"?' in typo
    number = refused(write(tmp_path, [{**GOOD[0], "section": 1}], "number.jsonl"), home)
    assert 'section 1 is not a text: write it as printed, in quotes ("1")' in number


def test_contradictory_unanswerable_lines_are_refused(home, tmp_path):
    given = refused(write(tmp_path, [{**GOOD[2], "answers": ["the think-tank Localis"]}]), home)
    assert ':1: kind is "unanswerable" but answers are given' in given
    no_answers = refused(write(tmp_path, [{**GOOD[0], "answers": []}], "empty.jsonl"), home)
    assert '"answers" is empty, which marks a question the report does not answer, but section is "1"' in no_answers


def test_every_bad_line_is_named_in_one_message(home, tmp_path):
    path = write(tmp_path, [{**GOOD[0], "answers": ["no such words anywhere"]}, GOOD[1],
                            {**GOOD[1], "id": "x", "section": "99"}, {**GOOD[0], "id": "y", "answers": [" "]}])
    message = refused(path, home)
    assert message.splitlines()[0] == "3 lines hold gold data the index cannot match:"
    assert [line.split(": ")[0] for line in message.splitlines()[1:]] == [f"{path}:1", f"{path}:3", f"{path}:4"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": "a", "question": ', ":2: not JSON (Expecting value at column 25)"),
        ("5", ":2: a number, not an object"),
        ('{"id": "a", "answers": []}', ':2: no "question" (the question as text)'),
        ('{"question": "Who?", "answers": []}', ':2: no "id"'),
        ('{"id": "a", "question": "Who?", "answers": "Localis"}', ':2: "answers" is "Localis", not a list of texts'),
        ('{"id": "q001", "question": "Who?", "answers": []}', ":2: id 'q001' is used twice (first on line 1)"),
        ('{"id": "a", "question": "Who?", "answers": [], "also_sections": "2.1"}',
         ':2: "also_sections" is "2.1", not a list of texts'),
    ],
)
def test_a_malformed_line_is_refused_naming_its_line_before_any_index_is_read(tmp_path, line, expected):
    path = write(tmp_path, [GOOD[0], line])
    with pytest.raises(GoldDataError) as caught:
        read_questions(path)
    assert str(caught.value).startswith(f"{path}{expected}"), str(caught.value)
    assert "one JSON object" in str(caught.value) or "used twice" in str(caught.value)


def test_the_passages_holding_an_answer_are_those_the_judge_finds_it_in(home):
    corpus = Corpus(home)
    for q in load_questions(QUESTIONS)[:60]:
        for answer in q["answers"]:
            judged = [i for i, p in enumerate(home) if is_relevant(p.text, [answer])]
            assert sorted(set(corpus.holders(normalise(answer)))) == judged, (q["id"], answer)
    assert corpus.holders(normalise(home[-1].text[-30:])) == [len(home) - 1]


def test_a_note_names_a_line_whose_answer_is_outside_its_gold_section(home, tmp_path):
    path = write(tmp_path, [{**GOOD[0], "section": "8"}])  # the answer is in §1's text, §8 exists
    notes = check_gold(read_questions(path), home, path)
    assert notes == [f"{path}:1: no passage of section 8 holds an answer string (they are in 1): check the section"]


def test_a_users_questions_are_written_outside_the_projects_results(tmp_path):
    from argparse import Namespace

    def run(out=None, questions=None, split="all", retrievers=None, feedback=None):
        return results_dir(Namespace(out=out, questions=questions, split=split, retrievers=retrievers,
                                     feedback=feedback))

    assert run() == PROJECT_RESULTS
    assert run(questions=str(QUESTIONS)) == PROJECT_RESULTS  # the project's own set, however it is named
    assert run(questions=str(tmp_path / "mine.jsonl")) == Path("eval-results") / "mine"
    assert run(questions=str(tmp_path / "mine.jsonl"), split="dev", retrievers="bm25") == Path("eval-results") / "mine"
    assert run(out=str(tmp_path / "out")) == tmp_path / "out"  # --out always wins
    # a part of the project's run never replaces its whole-run figures
    assert run(split="dev") == Path("eval-results") / "questions-split-dev"
    partial = Path("eval-results") / "questions-split-dev-retrievers-fused+hybrid"
    assert run(retrievers="fused,hybrid", split="dev") == partial
    assert run(feedback="feedback/") == Path("eval-results") / "questions-feedback-on"


def test_each_question_tells_the_rank_of_its_first_relevant_passage_and_the_worst_come_first():
    q = {"id": "a", "question": "?", "answers": ["Localis"]}
    ranked = [("p1", 0.9, "2.1", "nothing here"), ("p2", 0.8, "1", "the think-tank LOCALIS wrote")]
    assert first_relevant(q, ranked) == 2 and first_relevant(q, ranked[:1]) is None
    rows = [
        {"id": "hit", "answerable": True, "rank": 1, "abstained": False, "top": {"in_gold_section": True}},
        {"id": "low", "answerable": True, "rank": 4, "abstained": False, "top": {"in_gold_section": False}},
        {"id": "miss", "answerable": True, "rank": None, "abstained": False, "top": None},
        {"id": "shy", "answerable": True, "rank": 2, "abstained": True, "top": None},
        {"id": "said", "answerable": False, "rank": None, "abstained": False, "top": None},
        {"id": "quiet", "answerable": False, "rank": None, "abstained": True, "top": None},
    ]
    assert [outcome(r) for r in rows] == ["hit@1", "found at rank 4", "not found",
                                          "abstained (relevant at rank 2)", "answered, though not covered",
                                          "abstained, rightly"]
    assert [r["id"] for r in worst(rows)] == ["miss", "shy", "said", "low"]


def test_another_reading_of_the_report_turns_what_cannot_match_into_notes(home, tmp_path):
    path = write(tmp_path, [{"id": "q1", "question": "How much?", "answers": ["not in the report at all"],
                             "section": None, "split": "dev"}])
    notes = check_gold(read_questions(path), home, path, strict=False)
    assert len(notes) == 1 and notes[0].startswith(f"{path}:1: answer")
    assert notes[0].endswith("(in this reading of the report)")
