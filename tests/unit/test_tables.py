"""Pipe tables: read as tables (a row a line), cut into passages only between rows, each passage of a
table read after its header row, and a row read with its columns' labels."""

from __future__ import annotations

from latm_qa.answer.highlight import _header_end
from latm_qa.answer.present import format_plain, hit_to_json
from latm_qa.answer.results import Hit, SearchResult
from latm_qa.app.chat import Turn
from latm_qa.app.render import conversation_markdown, hit_html
from latm_qa.build.passages import embedding_text, split_passages, split_sentences
from latm_qa.read.markdown import markdown_blocks
from latm_qa.read.plain import text_blocks
from latm_qa.structure.sections import parse_sections
from latm_qa.text import read_row, row_cells, table_header_size, table_row, word_count
from latm_qa.types import RawDocument

POLICY_TABLE = """\
#### Table 1: Policy decisions (£ million) (1)

|  |  | £ million |  |
|:---|---|---:|---:|
|  | 2017-18 | 2018-19 | 2019-20 |
| **Total spending** policy decisions | -1,545 | -1,140 | -705 |
| Tax \\| duty changes ([see note](#n1)) | -165 | +475 | +1,530 |
| Empty tail |  |  |  |

|  |
|---|
| \\* Negligible |
| 1 Costings reflect the OBR's latest economic and fiscal determinants. |
"""


def _doc(markdown: str):
    return parse_sections(RawDocument(path="t.md", title="T", sha256="0" * 64, blocks=tuple(markdown_blocks(markdown))))


def test_a_pipe_table_is_read_as_a_table_a_row_a_line_every_cell_kept():
    blocks = markdown_blocks(POLICY_TABLE)
    assert [b.kind for b in blocks] == ["heading", "table", "paragraph"]
    assert blocks[1].text.split("\n") == [
        "|  |  | £ million |",
        "|  | 2017-18 | 2018-19 | 2019-20 |",
        "| Total spending policy decisions | -1,545 | -1,140 | -705 |",
        "| Tax | duty changes (see note) | -165 | +475 | +1,530 |",  # an escaped pipe stays in its cell
        "| Empty tail |",
    ]
    # a one-column "table" is a box of notes: a paragraph, a note a line, not glued to the table
    assert blocks[2].text == "* Negligible\n1 Costings reflect the OBR's latest economic and fiscal determinants."


def test_what_is_not_a_table_is_read_as_before():
    blocks = markdown_blocks("Title\n---\n\nA | B is a ratio.\n\n| just | pipes |\nno delimiter row\n")
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Title"),
        ("paragraph", "A | B is a ratio."),
        ("paragraph", "| just | pipes | no delimiter row"),
    ]
    # a delimiter row with another number of cells than the header row opens no table
    assert markdown_blocks("| a | b |\n|---|\n| c | d |\n")[0].kind == "paragraph"


def test_a_pipe_table_in_a_text_file_is_read_the_same():
    text = "Budget\n\nThe totals.\n\n| Measure | 2017-18 |\n|---------|--------:|\n| Tax \\| duty | -165 |\n"
    blocks = text_blocks(text)
    assert ("table", "| Measure | 2017-18 |\n| Tax | duty | -165 |") in [(b.kind, b.text) for b in blocks]


def test_rows_cells_header_and_words():
    assert table_row(["", "2017-18", "", ""]) == "|  | 2017-18 |"
    assert row_cells("|  | 2017-18 |  | x |") == ["", "2017-18", "", "x"]
    rows = ["| Percentage change |", "|  |  | Forecast |", "|  | 2015 | 2016 |", "| GDP | 2.2 | 1.8 |"]
    assert table_header_size(rows) == 3
    assert table_header_size(["| CO2 (g/km) | Rate |", "| 0 | £0 |"]) == 1
    assert word_count("| Total spending | -1,545 |") == 3  # cell borders are not words


def test_a_row_is_read_with_its_columns_labels():
    header = ["|  |  | Forecast |", "|  | 2015 | 2016 |"]
    assert read_row(header, "| GDP: real | 2.2 | 1.8 |") == "GDP: real — 2015: 2.2; 2016: 1.8"
    assert read_row(header, "|  | 2015 | 2016 |") == "2015; 2016"  # the header itself, as its cells
    assert read_row(["| CO2 (g/km) | First year rate |"], "| Over 255 | £2000 |") == (
        "CO2 (g/km): Over 255; First year rate: £2000"
    )


def _long_table(rows: int) -> str:
    body = []
    for i in range(rows):
        if i == 20:
            body.append("| Measures announced earlier |  |  |")
        body.append(f"| Measure {i} on local roads and bridges | +{i}0 | -{i}5 |")
    return "## 2. Decisions\n\n#### Table 2.1: Policy decisions\n\nThe table lists them.\n\n" + "\n".join(
        ["| Measure | 2017-18 | 2018-19 |", "|---|---|---|", *body]
    ) + "\n\n1 Costings reflect the latest determinants.\n\n#### Next heading\n\nProse about something else."


def test_a_long_table_is_cut_between_rows_and_every_passage_reads_after_its_header():
    doc = _doc(_long_table(60))
    table = [p for p in split_passages(doc) if p.heading_path[-1] == "Table 2.1: Policy decisions"]
    assert len(table) > 3
    header = "| Measure | 2017-18 | 2018-19 |"
    assert table[0].text == "The table lists them."  # the table starts a passage of its own
    assert table[1].text.startswith(header + "\n") and not table[1].table_header
    rows_seen = []
    for p in table[1:]:
        assert doc.text[p.start : p.end] == p.text
        assert p.shown_text.startswith(header + "\n")
        assert word_count(p.shown_text) <= 160
        lines = p.text.split("\n")
        if p.table_header:  # a continuation starts on a row boundary, with the header not in its text
            assert p.table_header.split("\n")[0] == header and header not in p.text
            assert doc.text[p.start - 1] == "\n" and lines[0].startswith("| Measure ")
        rows_seen += [line for line in lines if line.startswith("| Measure ") and line != header]
    assert rows_seen == [f"| Measure {i} on local roads and bridges | +{i}0 | -{i}5 |" for i in range(60)]
    assert "1 Costings reflect" in table[-1].text  # the notes below stay with the last rows
    # past the group row, a continuation repeats it with the header
    later = [p for p in table if p.table_header and "Measure 40 " in p.text][0]
    assert later.table_header == header + "\n| Measures announced earlier |"
    assert embedding_text(later).split("\n")[1:3] == [header, "| Measures announced earlier |"]


def test_a_small_table_stays_one_passage_with_its_notes():
    doc = _doc(POLICY_TABLE)
    passages = split_passages(doc)
    assert len(passages) == 1 and not passages[0].table_header
    assert passages[0].heading_path == ("Table 1: Policy decisions (£ million) (1)",)
    assert passages[0].text.startswith("|  |  | £ million |\n|  | 2017-18 |")
    assert _header_end(passages[0]) == len("|  |  | £ million |\n|  | 2017-18 | 2018-19 | 2019-20 |")


def test_a_row_is_one_sentence_however_many_full_stops_its_cells_hold():
    text = "| Documented | All code is documented. A diagram is provided | Manual review |\n| Next | a | b |"
    assert [text[s:e] for s, e in split_sentences(text)] == text.split("\n")


def test_a_continued_table_shows_its_header_in_every_output():
    doc = _doc(_long_table(60))
    passage = next(p for p in split_passages(doc) if p.table_header)
    hit = Hit(rank=1, score=0.5, passage=passage, highlights=())
    assert hit_to_json(hit)["table_header"] == passage.table_header
    assert hit_to_json(hit)["text"] == passage.text
    result = SearchResult(question="q", hits=(hit,))
    assert "    | Measure | 2017-18 | 2018-19 |\n    | Measure" in format_plain(result)
    assert '<div class="latm-thead">| Measure | 2017-18 | 2018-19 |</div>' in hit_html(hit, 1.0)
    assert "> \\| Measure \\| 2017-18 \\| 2018-19 \\|" in conversation_markdown([Turn("q", "q", result)])
