"""The CLI's commands: ingest, search, sections, serve, eval. Each imports what it needs when it runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _settings(args: argparse.Namespace):
    from ..settings import load_settings

    return load_settings(
        index_dir=getattr(args, "index", None),
        model=getattr(args, "model", None),
        max_file_mb=getattr(args, "max_file_mb", None),
        reranker=getattr(args, "reranker", None),
        correct_spelling=False if getattr(args, "as_typed", False) else None,
    )


def _progress():
    """Progress on stderr (cli/progress.py): a tqdm bar per stage on a terminal, plain lines with rate and
    time left every ~10 s otherwise; and the bars to close when the ingest ends."""
    from .progress import progress_for

    return progress_for(sys.stderr)


def cmd_ingest(args: argparse.Namespace) -> int:
    from ..build.ingest import ingest

    settings = _settings(args)
    if args.rollback:
        from ..build.ingest import rollback
        from ..errors import LatmQaError

        if args.paths:
            raise LatmQaError("--rollback takes no files: it restores the index version before the last ingest")
        manifest = rollback(settings)
        if args.json:
            print(
                json.dumps(
                    {
                        "index_dir": str(settings.index_dir),
                        "version": manifest["current"],
                        "previous_version": manifest["previous"],
                        "history": manifest["history"],
                    },
                    indent=2,
                )
            )
            return 0
        print(
            f"Rolled back {settings.index_dir} to version {manifest['current']} (built {manifest['created']}: "
            f"{manifest['documents']} document(s), {manifest['passages']} passages, model {manifest['model']})."
        )
        print(f"  `latm-qa ingest --rollback --index {settings.index_dir}` again returns to {manifest['previous']}.")
        return 0
    paths = [Path(p) for p in args.paths] or [settings.ingest_dir]
    update, bars = _progress()
    try:
        report = ingest(paths, settings, progress=update, skip_bad=args.skip_bad, profile=args.profile)
    finally:
        for bar in bars.values():
            bar.close()
    for _path, reason in report.skipped:
        print(f"latm-qa: skipped {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.__dict__, indent=2, default=list))
        return 0
    print("\n".join(report.summary()))
    return 0


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

    settings = _settings(args)
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

    settings = _settings(args)
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
        if args.reports or args.formats or args.work or args.conversations:
            raise LatmQaError("--reports, --formats, --work and --conversations choose what a suite runs: add --suite")
        return evaluate_and_write(args, _settings(args))
    from ..bench.suite import evaluate_suite

    clashing = [flag for flag, value in (("--index", args.index), ("--questions", args.questions),
                ("--beir", args.beir), ("--feedback", args.feedback)) if value]
    if clashing:
        raise LatmQaError(f"{clashing[0]} does not go with --suite: the suite file names each report's "
                          "questions and sources, and each report gets its own index (see --work)")
    return evaluate_suite(args, _settings(args))


def cmd_calibrate(args: argparse.Namespace) -> int:
    from ..bench.calibrate import calibrate

    return calibrate(args, _settings(args))


def cmd_api(args: argparse.Namespace) -> int:
    """`latm-qa api`: the HTTP JSON API (latm_qa/api/); fastapi and uvicorn are imported only here."""
    from ..api.serve import run_api

    return run_api(_settings(args), host=args.host, port=args.port, workers=args.workers)
