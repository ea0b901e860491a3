"""The CLI's commands: search, sections, serve, eval, calibrate, api (the index's are in library.py).
Each imports what it needs when it runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def settings_of(args: argparse.Namespace):
    from ..settings import load_settings

    return load_settings(
        index_dir=getattr(args, "index", None),
        model=getattr(args, "model", None),
        max_file_mb=getattr(args, "max_file_mb", None),
        reranker=getattr(args, "reranker", None),
        correct_spelling=False if getattr(args, "as_typed", False) else None,
    )


def _filters(args: argparse.Namespace):
    from ..retrieve.filters import Filters

    def split(value: str | None) -> tuple[str, ...]:
        return tuple(v.strip() for v in (value or "").split(",") if v.strip())

    if not (args.document or args.chapter or args.part):
        return None
    return Filters(documents=split(args.document), chapters=split(args.chapter), parts=split(args.part))


def cmd_search(args: argparse.Namespace) -> int:
    from ..answer.index import Index
    from ..answer.present import format_plain, result_to_json
    from ..errors import LatmQaError, QueryError

    settings = settings_of(args)
    index = Index.load(settings.index_dir, model=args.model, settings=settings)
    filters = _filters(args)
    if args.queries:
        if filters:  # a filter naming nothing fails the batch once, not on every line
            filters.check(index.passages)
        rows = _read_queries(Path(args.queries))
        failed = 0
        for row in rows:
            try:
                result = index.ask(row["question"], k=args.k, retriever=args.retriever, filters=filters)
                out = result_to_json(result, row.get("id"))
            except QueryError as exc:
                failed += 1
                out = {
                    "id": row.get("id"),
                    "question": row.get("question"),
                    "abstained": False,
                    "hits": [],
                    "error": str(exc),
                }
            print(json.dumps(out, ensure_ascii=False) if args.json else _plain_batch(out), flush=True)
        return 0 if not failed else 3
    if not args.question:
        raise LatmQaError('no question given: latm-qa search "QUESTION" (or --queries FILE.jsonl)')
    result = index.ask(" ".join(args.question), k=args.k, retriever=args.retriever, filters=filters)
    if args.json:
        print(json.dumps(result_to_json(result, None), ensure_ascii=False, indent=2))
    else:
        print(format_plain(result))
    return 0


def _plain_batch(out: dict) -> str:
    head = f"{out.get('id')}: {out.get('question')}"
    if out.get("error"):
        return f"{head}\n  error: {out['error']}"
    if out["abstained"]:
        return f"{head}\n  (not answered by the report)"
    return head + "".join(f"\n  [{h['rank']}] {h['citation']}" for h in out["hits"])


def _read_queries(path: Path) -> list[dict]:
    from ..errors import LatmQaError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LatmQaError(f"{path}: cannot read the queries file ({exc.__class__.__name__})") from None
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise LatmQaError(
                f'{path}:{number}: not a JSON object; each line must be {{"id": ..., "question": ...}}'
            ) from None
        if not isinstance(row, dict) or "question" not in row:
            raise LatmQaError(f'{path}:{number}: missing "question"; each line must be {{"id": ..., "question": ...}}')
        rows.append(row)
    return rows


def cmd_sections(args: argparse.Namespace) -> int:
    from ..answer.index import Index

    settings = settings_of(args)
    index = Index.load(settings.index_dir, settings=settings)
    rows = index.sections()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    current = None
    for row in rows:
        if row["document"] != current:
            current = row["document"]
            print(f"{current}")
        pages = ""
        if row["pages"]:
            pages = f"p. {row['pages'][0]}" + (f"–{row['pages'][-1]}" if len(row["pages"]) > 1 else "")
        label = row["heading_path"][-1]
        indent = "  " * max(1, row["level"])
        print(f"{indent}{label:<{max(10, 64 - len(indent))}} {pages:>9}  {row['passages']:>3} passages")
    print(
        f"{sum(r['kind'] in ('chapter', 'subsection') for r in rows)} numbered sections, "
        f"{sum(r['kind'] == 'case_study' for r in rows)} case studies, {len(index.passages)} passages"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    app = Path(__file__).resolve().parents[2] / "app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app)]
    if args.port:
        command += ["--server.port", str(args.port)]
    if args.host or not os.environ.get("STREAMLIT_SERVER_ADDRESS"):  # this machine only unless asked
        command += ["--server.address", args.host or "127.0.0.1"]
    if args.index:
        os.environ["LATM_QA_INDEX"] = str(args.index)
    if args.reranker is not None:
        os.environ["LATM_QA_RERANKER"] = args.reranker
    os.execv(sys.executable, command)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from ..bench.report import evaluate_and_write
    from ..errors import LatmQaError

    if args.suite is None:
        if args.reports or args.formats or args.work or args.conversations or args.loo:
            raise LatmQaError(
                "--reports, --formats, --work, --conversations and --loo choose what a suite runs: add --suite"
            )
        return evaluate_and_write(args, settings_of(args))
    from ..bench.suite import evaluate_suite

    clashing = [flag for flag, value in (("--index", args.index), ("--questions", args.questions),
                ("--beir", args.beir), ("--feedback", args.feedback)) if value]
    if clashing:
        raise LatmQaError(f"{clashing[0]} does not go with --suite: the suite file names each report's "
                          "questions and sources, and each report gets its own index (see --work)")
    return evaluate_suite(args, settings_of(args))


def cmd_calibrate(args: argparse.Namespace) -> int:
    from ..bench.calibrate import calibrate

    return calibrate(args, settings_of(args))


def cmd_api(args: argparse.Namespace) -> int:
    """`latm-qa api`: the HTTP JSON API (latm_qa/api/); fastapi and uvicorn are imported only here."""
    from ..api.serve import run_api

    return run_api(settings_of(args), host=args.host, port=args.port, workers=args.workers)
