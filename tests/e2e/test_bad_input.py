"""Bad input, through the CLI as a user meets it: one clear line, a non-zero exit, the index untouched."""

from __future__ import annotations

import json
import os
import random
import shutil

import pytest
from conftest import MARKDOWN, PDF, PROFILE, run_cli, tree_hashes

from latm_qa import QueryError
from latm_qa.answer.present import result_to_json

PDF_BYTES = PDF.read_bytes()
QUESTION = "What did Essex earn from traded services?"


def write(path, data: bytes | str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def encrypted_pdf(path):
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PDF)
    writer.encrypt("secret", algorithm="RC4-128")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def image_only_pdf(path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def fifo(path):
    os.mkfifo(path)
    return path


def link(path, target):
    path.symlink_to(target)
    return path


def folder(path, files: dict[str, bytes]):
    path.mkdir()
    for name, data in files.items():
        write(path / name, data)
    return path


NOISE = random.Random(0).randbytes(4096)

# name: (make the input under tmp_path -> (path, extra CLI args, environment), what the one line must say)
CASES = {
    "truncated pdf": (lambda d: write(d / "truncated.pdf", PDF_BYTES[: len(PDF_BYTES) // 2]),
                      "the PDF is truncated (no %%EOF end marker)"),
    "pdf cut before its end marker": (lambda d: write(d / "cut.pdf", PDF_BYTES[:-8]), "the PDF is truncated"),
    "random bytes as pdf": (lambda d: write(d / "random.pdf", NOISE), "not a PDF (no %PDF- header)"),
    "damaged pdf body": (lambda d: write(d / "damaged.pdf", b"%PDF-1.7\n" + NOISE + b"\n%%EOF\n"),
                         "not a readable PDF"),
    "encrypted pdf": (lambda d: encrypted_pdf(d / "encrypted.pdf"), "the PDF is encrypted (password-protected)"),
    "image-only pdf": (lambda d: image_only_pdf(d / "scan.pdf"), "the PDF has no text layer (scanned or image-only)"),
    "empty file": (lambda d: write(d / "empty.md", b""), "the file is empty"),
    "whitespace-only file": (lambda d: write(d / "blank.txt", " \n\n\t \r\n"), "the file is empty"),
    "binary file": (lambda d: write(d / "binary.md", b"\x89PNG\r\n\x1a\n\x00\x00" + NOISE), "looks binary, not text"),
    "no text encoding read here": (lambda d: write(d / "odd.txt", b"Caf\xe9 \x81\x8d report"),
                                   "not valid UTF-8 text (byte 3), nor UTF-16 or Windows-1252; save it as UTF-8"),
    "UTF-16 cut short": (lambda d: write(d / "cut.txt", "Caf\u00e9 report".encode("utf-16")[:-1]),
                         "not valid UTF-16 text"),
    "headings only": (lambda d: write(d / "headings.md", "# Title\n\n## 1. Introduction\n"), "no readable text found"),
    "unknown extension": (lambda d: write(d / "report.docx", b"PK\x03\x04"), "unsupported file type '.docx'"),
    "no extension": (lambda d: write(d / "README", "Some text."), "unsupported file type '(none)'"),
    "empty folder": (lambda d: folder(d / "reports", {}), "the folder is empty"),
    "folder of hidden files": (lambda d: folder(d / "reports", {".DS_Store": b"x"}), "the folder is empty"),
    "folder with nothing ingestible": (lambda d: folder(d / "reports", {"photo.jpg": b"\xff\xd8", "a.docx": b"PK"}),
                                       "nothing to ingest: the folder holds no .md, .markdown, .txt, .pdf files"),
    "missing path": (lambda d: d / "nowhere.md", "no such file or folder"),
    "broken link": (lambda d: link(d / "link.md", d / "gone.md"), "no such file (a broken link)"),
    "pipe named like a report": (lambda d: fifo(d / "pipe.md"), "not a regular file"),
    "over the size limit (flag)": (lambda d: (MARKDOWN, ["--max-file-mb", "0.01"], {}),
                                   "KB is over the 0.01 MB limit; raise it with --max-file-mb or LATM_QA_MAX_FILE_MB"),
    "over the size limit (environment)": (lambda d: (MARKDOWN, [], {"LATM_QA_MAX_FILE_MB": "0.01"}),
                                          "is over the 0.01 MB limit"),
    "size limit not a number": (lambda d: (MARKDOWN, [], {"LATM_QA_MAX_FILE_MB": "fifty"}),
                                "LATM_QA_MAX_FILE_MB='fifty' is not a number"),
    "compression threshold not a number": (lambda d: (MARKDOWN, [], {"LATM_QA_COMPRESS_ABOVE": "lots"}),
                                           "LATM_QA_COMPRESS_ABOVE='lots' is not a whole number"),
    "HNSW threshold not a number": (lambda d: (MARKDOWN, [], {"LATM_QA_APPROXIMATE_ABOVE": "-5"}),
                                    "LATM_QA_APPROXIMATE_ABOVE='-5' is not a whole number"),
    "size limit not positive": (lambda d: (MARKDOWN, ["--max-file-mb", "0"], {}),
                                "the file size limit must be a positive number of MB, got 0.0"),
    "profile not valid TOML": (lambda d: (MARKDOWN, ["--profile", write(d / "bad.toml", "[report\ntitle = 1")], {}),
                               "bad.toml: not a valid TOML profile"),
    "profile pattern not a regular expression": (
        lambda d: (MARKDOWN, ["--profile", write(d / "p.toml", "[parts]\nBenefits = '(benefit'")], {}),
        "p.toml: the pattern of part 'Benefits' is not a valid regular expression"),
    "profile missing": (lambda d: (MARKDOWN, ["--profile", d / "none.toml"], {}), "none.toml: no such profile file"),
    "bad profile beside the report": (
        lambda d: folder(d / "reports", {"r.md": MARKDOWN.read_bytes(), "r.toml": b"[chapter.2]\nlabel = 'x'"}),
        "r.toml: unknown table [chapter] in the profile"),
    "good and bad together": (lambda d: folder(d / "reports", {"report.md": MARKDOWN.read_bytes(), "bad.pdf": NOISE}),
                              "renamed to .pdf? Nothing was ingested: fix or remove the file, or pass --skip-bad to "
                              "ingest the 1 good file. The index was not changed."),
}


@pytest.fixture(scope="module")
def index_dir(md_index, tmp_path_factory):
    """One copy of the markdown index for the whole matrix: every case must leave it byte-identical."""
    target = tmp_path_factory.mktemp("bad-input") / "index"
    shutil.copytree(md_index.path, target)
    return target


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gives_one_clear_line_and_changes_nothing(case, tmp_path, index_dir):
    make, expected = CASES[case]
    made = make(tmp_path)
    path, args, env = made if isinstance(made, tuple) else (made, [], {})
    before = tree_hashes(index_dir)
    out = run_cli("ingest", path, *args, "--index", index_dir, env=env, timeout=60)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and out.stdout == ""
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("latm-qa: error: ") and expected in lines[0], lines[0]
    assert lines[0].endswith("The index was not changed.") or "='" in lines[0]  # a variable's value named
    if path != MARKDOWN:
        assert str(path) in lines[0] or path.name in lines[0]
    assert tree_hashes(index_dir) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root, which reads a chmod 000 file anyway")
def test_unreadable_file(tmp_path, index_dir):
    path = write(tmp_path / "secret.md", "# Title\n\nSome text.\n")
    path.chmod(0)
    out = run_cli("ingest", path, "--index", index_dir, timeout=60)
    assert out.returncode == 2 and out.stderr.splitlines() == [
        f"latm-qa: error: {path}: permission denied; make the file readable (chmod +r). The index was not changed."
    ]


def test_no_index_is_created_by_a_failed_first_ingest(tmp_path):
    out = run_cli("ingest", write(tmp_path / "empty.md", b""), "--index", tmp_path / "new-index", timeout=60)
    assert out.returncode == 2 and not (tmp_path / "new-index").exists()


def test_several_bad_files_are_each_named(tmp_path, index_dir):
    files = {"a.md": b"", "b.pdf": NOISE, "c.docx": b"PK", "good.md": MARKDOWN.read_bytes()}
    reports = folder(tmp_path / "reports", files)
    before = tree_hashes(index_dir)
    out = run_cli("ingest", reports, "--index", index_dir, timeout=60)
    lines = out.stderr.splitlines()
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert lines[0] == ("latm-qa: error: 3 of 4 files cannot be ingested, so nothing was: fix or remove them, or pass "
                        "--skip-bad to ingest the 1 good file. The index was not changed.")
    assert [line.split(":")[0].strip() for line in lines[1:]] == [str(reports / n) for n in ("a.md", "b.pdf", "c.docx")]
    assert tree_hashes(index_dir) == before


def test_skip_bad_with_only_bad_files_still_fails(tmp_path, index_dir):
    reports = folder(tmp_path / "reports", {"a.md": b"", "b.pdf": NOISE})
    before = tree_hashes(index_dir)
    out = run_cli("ingest", reports, "--skip-bad", "--index", index_dir, timeout=60)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert lines[0] == "latm-qa: error: None of the 2 files can be ingested. The index was not changed."
    assert len(lines) == 3 and tree_hashes(index_dir) == before


def test_skip_bad_ingests_only_the_good_files(tmp_path, md_index_copy):
    reports = folder(
        tmp_path / "reports",
        {"report.md": MARKDOWN.read_bytes(), "report.toml": PROFILE.read_bytes(), "scan.docx": b"PK", "bad.pdf": NOISE},
    )
    out = run_cli("ingest", reports, "--skip-bad", "--sync", "--index", md_index_copy, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines() == [
        f"latm-qa: skipped {reports / 'bad.pdf'}: not a PDF (no %PDF- header); is it another kind of file renamed "
        "to .pdf?",
        f"latm-qa: skipped {reports / 'scan.docx'}: unsupported file type '.docx'; latm-qa reads .md, .markdown, .txt, "
        ".pdf files",
    ]
    assert "documents: 1 added (report.md); 1 removed (local-authority-transformational-models.md)" in out.stdout
    assert "0 embedded" in out.stdout


def test_index_path_that_is_a_file_or_unwritable_is_refused(tmp_path):
    target = write(tmp_path / "index", "not a folder")
    out = run_cli("ingest", MARKDOWN, "--index", target, timeout=60)
    assert out.returncode == 2 and out.stderr.splitlines() == [
        f"latm-qa: error: {target} is a file, not an index directory: choose another --index"
    ]
    out = run_cli("ingest", MARKDOWN, "--index", "/proc/latm-qa-index", timeout=60)  # unwritable, even for root
    assert out.returncode == 2 and out.stderr.splitlines() == [
        "latm-qa: error: cannot write an index at /proc/latm-qa-index (No such file or directory); "
        "choose another --index"
    ]


# --- questions ---

EMPTY = "latm-qa: error: the question is empty: type a question about the report"
NO_WORDS = "latm-qa: error: the question has no words (only symbols or emoji): ask in plain English"


@pytest.mark.parametrize(("question", "message"), [
    ("", EMPTY), ("   \t  ", EMPTY), ("\x07\x1b\u202e\u200f", EMPTY), ("💷🏛️", NO_WORDS), ("?!", NO_WORDS),
    ("😀" * 500, NO_WORDS),
])
def test_cli_refuses_questions_with_no_words_in_one_line(question, message, index_dir):
    out = run_cli("search", question, "--index", index_dir, timeout=60)
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    assert len(out.stderr.splitlines()) == 1 and out.stderr.startswith(message)


@pytest.mark.parametrize(("k", "message"), [("0", "0 passages shows nothing"), ("-3", "-3 passages shows nothing"),
                                          ("five", "'five' is not a whole number")])
def test_cli_refuses_a_number_of_passages_that_shows_nothing(k, message, index_dir):
    out = run_cli("search", QUESTION, "--k", k, "--index", index_dir, timeout=60)
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    assert f"argument -k/--k: {message}: give" in out.stderr


@pytest.mark.parametrize(("flag", "value", "message"), [
    ("--chapter", "99", """no chapter '99' in this index: choose from "1", "2", "3", "4", "5", "6", "7", "8", "Ab"""),
    ("--part", "drawbacks", "no part 'drawbacks' in this index: choose from "),
    ("--document", "other.pdf", """no document 'other.pdf' in this index: choose from "local-authority-"""),
])
def test_cli_refuses_a_filter_that_matches_nothing(flag, value, message, index_dir):
    """Not "the report does not answer this": the filter names nothing in the index, and the choices are listed."""
    out = run_cli("search", QUESTION, flag, value, "--index", index_dir, timeout=60)
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    assert message in out.stderr
    if flag == "--part":
        assert '"challenges"' in out.stderr and '"case studies"' in out.stderr


def test_cli_answers_a_question_wrapped_in_html_emoji_and_bidi_marks(index_dir):
    question = f"<script>alert('x')</script> 💷 \u200f{QUESTION}\u202c <img src=x onerror=alert(1)>"
    out = run_cli("search", question, "--json", "--index", index_dir, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["question"].startswith("<script>alert('x')</script> 💷 What did Essex")  # kept as text, inert
    assert "Essex" in result["hits"][0]["section_title"]


def test_questions_that_are_long_odd_or_hostile_behave(md_index):
    plain = md_index.search(QUESTION, k=3)
    assert "Essex" in plain[0].passage.section_title
    embedded_rtl = QUESTION.replace("Essex", "\u202bEssex\u202c")
    same_top = {
        "bidi marks": f"\u200f{embedded_rtl}\u200e\u2066",
        "control characters": QUESTION.replace(" did", "\x00 did\x1b[2J").replace("from", "from\r\n\x7f"),
        "emoji": f"💷 {QUESTION} 🚀",
        "html": "<b>What</b> did <i>Essex</i> earn from traded services? <img src=x onerror=alert(1)>",
    }
    for name, question in same_top.items():
        result = md_index.ask(question, k=3)
        assert not result.abstained and "Essex" in result.hits[0].passage.section_title, name
        json.dumps(result_to_json(result, name), ensure_ascii=False)

    long = md_index.ask((QUESTION + " ") * (100_000 // len(QUESTION)), k=3)
    assert long.truncated and len(long.question) <= md_index.settings.max_question_chars
    assert "Essex" in long.hits[0].passage.section_title
    one_word = md_index.ask("x" * 100_000, k=3)
    assert one_word.truncated and (one_word.abstained or one_word.hits)

    for empty in ("", " \n\t ", "\x00\x01\u202e"):
        with pytest.raises(QueryError, match="the question is empty"):
            md_index.ask(empty)
    with pytest.raises(QueryError, match=r"the question has no words \(only symbols or emoji\)"):
        md_index.ask("👍👍")
    with pytest.raises(QueryError, match="the question must be text, got NoneType"):
        md_index.ask(None)  # type: ignore[arg-type]
