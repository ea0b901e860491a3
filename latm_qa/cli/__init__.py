"""latm-qa command line: ingest | remove | purge | search | sections | eval | calibrate | serve | api (lazy imports)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import get_args

from ..settings import Retriever
from .commands import cmd_api, cmd_calibrate, cmd_eval, cmd_search, cmd_sections, cmd_serve
from .library import cmd_ingest, cmd_purge, cmd_remove

RERANKER_HELP = "folder of a cross-encoder to re-score the best passages (default: $LATM_QA_RERANKER; none)"


def _passages(value: str) -> int:
    """--k: a whole number of passages, at least 1."""
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number: give how many passages, e.g. 5") from None
    if k < 1:
        raise argparse.ArgumentTypeError(f"{k} passages shows nothing: give 1 or more, e.g. 5")
    return k


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="latm-qa",
        description="Cited answers from the reports in an index: ranked passages with their sections and pages.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "ingest", help="add report files or folders to the index, or update them (default: ingest/); nothing else "
        "is dropped unless --sync",
    )
    p.add_argument("paths", nargs="*", help=".md, .txt or .pdf files, or folders of them")
    p.add_argument(
        "--sync", action="store_true",
        help="make the index exactly these files: drop every other document (the report names them)",
    )
    p.add_argument(
        "--purge", action="store_true",
        help="leave no copy of removed or changed text in any version on disk (deletes older versions: no rollback)",
    )
    p.add_argument(
        "--if-missing", action="store_true",
        help="build the index only if there is none; else write nothing and say how it stands against the files",
    )
    p.add_argument("--index", help="index directory (default: $LATM_QA_INDEX or index/)")
    p.add_argument("--model", help="embedding model name or local path (default: bundled all-MiniLM-L6-v2)")
    p.add_argument("--max-file-mb", type=float, help="refuse larger files (default: $LATM_QA_MAX_FILE_MB or 50)")
    p.add_argument("--skip-bad", action="store_true", help="ingest the good files, skip bad ones (default: refuse all)")
    p.add_argument("--json", action="store_true", help="print the ingest report as JSON")
    p.add_argument("--rollback", action="store_true", help="restore the index version before the last ingest")
    p.add_argument(
        "--profile", type=Path,
        help="the reports' profile (TOML; default: each report's <stem>.toml and its folder's profile.toml)",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", help="drop documents from the index by path, file name, document id or title")
    p.add_argument("documents", nargs="+", help="what to drop (`latm-qa sections` lists the documents)")
    p.add_argument("--index", help="index directory (default: $LATM_QA_INDEX or index/)")
    p.add_argument(
        "--purge", action="store_true",
        help="leave no copy of them in any version on disk (deletes older versions: no rollback)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser(
        "purge", help="leave no copy on disk of text the index no longer holds (a redaction): rewrite the current "
        "version's vectors with only its own rows and delete every older version",
    )
    p.add_argument("--index", help="index directory (default: $LATM_QA_INDEX or index/)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("search", help="ask a question; prints ranked, cited passages")
    p.add_argument("question", nargs="*", help="the question, in plain English")
    p.add_argument("--queries", help='JSONL file of {"id": ..., "question": ...} lines (batch mode)')
    p.add_argument("--index", help="index directory (default: $LATM_QA_INDEX or index/)")
    p.add_argument("--model", help="refuse the index unless it was built with this model")
    p.add_argument("-k", "--k", type=_passages, default=5, help="number of passages (default 5)")
    p.add_argument("--retriever", choices=get_args(Retriever), help="ranking method (default fused)")
    p.add_argument("--document", help="only these documents (ids or file names, comma-separated)")
    p.add_argument(
        "--chapter", help='only these chapters: numbers or unnumbered titles, e.g. "2,3" (in a library of reports, '
        "with --document naming whose, when several have it)",
    )
    p.add_argument("--part", help="only these parts of a chapter (`latm-qa sections` shows them), e.g. benefits")
    p.add_argument("--json", action="store_true", help="print JSON (one line per question with --queries)")
    p.add_argument(
        "--as-typed", action="store_true",
        help="search the words as typed (default: a misspelt word is read as the report's nearest word)",
    )
    p.add_argument("--reranker", help=RERANKER_HELP)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("sections", help="show the detected section tree with passage counts and pages")
    p.add_argument("--index", help="index directory (default: $LATM_QA_INDEX or index/)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sections)

    p = sub.add_parser(
        "eval", help="run the retrieval benchmark: the project's in eval/ (written to eval/results/), or your own"
    )
    p.add_argument(
        "--questions",
        help="questions JSONL (default eval/questions.jsonl); each line's answers and section are checked "
        "against the index first",
    )
    names = ", ".join(["naive", *get_args(Retriever)])
    p.add_argument("--retrievers", help=f"comma-separated: {names} (default: all of them)")
    p.add_argument("--split", choices=("dev", "test", "all"), default="all")
    p.add_argument("--index", help="index directory (default: $LATM_QA_INDEX or index/)")
    p.add_argument(
        "--out",
        help="results directory (default: eval/results/ for the project's questions and --suite; "
        "eval-results/<questions file name>/ under the current folder for your own --questions)",
    )
    p.add_argument("--beir", help="also export the set in BEIR layout into this directory")
    p.add_argument(
        "--ablations", action="store_true",
        help="add rows with each technique of the default retriever off; with --suite: what each layer above late "
             "interaction is worth over the suite, and whether it keeps its place",
    )
    p.add_argument(
        "--typos", action="store_true",
        help="add rows for the same questions with one letter mistyped in each: spelling correction on and off",
    )
    p.add_argument("--feedback", help="also score the chat page's up-voted answers stored in this directory")
    p.add_argument("--reranker", help=RERANKER_HELP)
    p.add_argument(
        "--suite", nargs="?", const="eval/suite.toml",
        help="run every report of a suite file (default eval/suite.toml), each in its own index: one row per "
        "report, format and retriever plus the macro-average",
    )
    p.add_argument("--reports", help="with --suite: only these reports (comma-separated names)")
    p.add_argument(
        "--loo", action="store_true",
        help="with --suite: also leave-one-report-out, each report scored with the weights its others' dev "
        "questions choose",
    )
    p.add_argument("--formats", help="with --suite: only these formats (comma-separated, e.g. md,pdf)")
    p.add_argument("--work", help="with --suite: where the reports' indexes are built (default eval/indexes)")
    p.add_argument(
        "--conversations", nargs="?", const="eval/conversations.jsonl",
        help="with --suite: also run the conversation benchmark (default eval/conversations.jsonl)",
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "calibrate", help="fit the confidence model on the dev questions of every report of a suite"
    )
    p.add_argument("--suite", default="eval/suite.toml", help="the suite file (default eval/suite.toml)")
    p.add_argument("--reports", help="only these reports (comma-separated names)")
    p.add_argument("--formats", help="only these formats (comma-separated, e.g. md,pdf)")
    p.add_argument("--work", help="where the reports' indexes are built (default eval/indexes)")
    p.add_argument("--out", help="where to write the fitted model (default: the package's calibration.json)")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("serve", help="open the chat page (streamlit run app.py)")
    p.add_argument("--index", help="index directory (default: $LATM_QA_INDEX or index/)")
    p.add_argument("--port", type=int, help="port (default: Streamlit's, or STREAMLIT_SERVER_PORT)")
    p.add_argument(
        "--host", help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 publishes the page, "
        "which has no login of its own: put it behind your sign-in)",
    )
    p.add_argument("--reranker", help=RERANKER_HELP)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("api", help="serve ask, search, sections and health as an HTTP JSON API (FastAPI, uvicorn)")
    p.add_argument("--index", help="index directory (default: $LATM_QA_INDEX or index/)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8700, help="port (default 8700)")
    p.add_argument("--workers", type=int, default=1, help="worker processes, each loading the index (default 1)")
    p.add_argument("--reranker", help=RERANKER_HELP)
    p.set_defaults(func=cmd_api)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from ..errors import LatmQaError

    try:
        return int(args.func(args) or 0)
    except LatmQaError as exc:
        print(f"latm-qa: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        resume = " (run the same ingest again: it resumes where it stopped)" if args.command == "ingest" else ""
        print(f"latm-qa: interrupted; the index was not changed{resume}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
