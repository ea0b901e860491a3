"""The CLI's commands that change the library: ingest (and its rollback), remove, purge. Each prints the
ingest report (build/changes.py) or its JSON, with progress on stderr while it runs."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from .commands import settings_of


def cmd_ingest(args: argparse.Namespace) -> int:
    from ..build.ingest import ingest

    settings = settings_of(args)
    if args.rollback:
        return _rollback(args, settings)
    paths = [Path(p) for p in args.paths] or [settings.ingest_dir]
    if args.if_missing and (settings.index_dir / "manifest.json").is_file():
        return _index_status(settings, paths)
    return _with_progress(
        lambda progress: ingest(paths, settings, progress=progress, skip_bad=args.skip_bad, profile=args.profile,
                                sync=args.sync, purge=args.purge),
        args.json,
    )


def cmd_remove(args: argparse.Namespace) -> int:
    from ..build.ingest import remove

    settings = settings_of(args)
    return _with_progress(lambda progress: remove(args.documents, settings, progress, purge=args.purge), args.json)


def cmd_purge(args: argparse.Namespace) -> int:
    from ..build.ingest import purge

    settings = settings_of(args)
    return _with_progress(lambda progress: purge(settings, progress), args.json)


def _with_progress(run: Callable, as_json: bool) -> int:
    """Run an ingest with progress on stderr (progress.py: a bar on a terminal, else a line every ~10 s),
    then print its report."""
    from .progress import progress_for

    update, bars = progress_for(sys.stderr)
    try:
        report = run(update)
    finally:
        for bar in bars.values():
            bar.close()
    for _path, reason in report.skipped:
        print(f"latm-qa: skipped {reason}", file=sys.stderr)
    print(json.dumps(report.__dict__, indent=2, default=list) if as_json else "\n".join(report.summary()))
    return 0


def _rollback(args: argparse.Namespace, settings) -> int:
    from ..build.ingest import rollback
    from ..errors import LatmQaError

    if args.paths or args.sync or args.if_missing or args.purge:
        raise LatmQaError(
            "--rollback takes no files, --sync, --purge or --if-missing: it restores the version before the last"
        )
    manifest = rollback(settings)
    if args.json:
        keys = {"index_dir": str(settings.index_dir), "version": manifest["current"],
                "previous_version": manifest["previous"], "history": manifest["history"]}
        print(json.dumps(keys, indent=2))
        return 0
    print(
        f"Rolled back {settings.index_dir} to version {manifest['current']} (built {manifest['created']}: "
        f"{manifest['documents']} document(s), {manifest['passages']} passages, model {manifest['model']})."
    )
    print(f"  `latm-qa ingest --rollback --index {settings.index_dir}` again returns to {manifest['previous']}.")
    print("  It stays so until you ingest again: `make run` builds nothing over an index that exists.")
    return 0


def _index_status(settings, paths: list[Path]) -> int:
    """`latm-qa ingest --if-missing` over an index that exists: write nothing; say how it stands."""
    from ..build.library import library_status
    from ..build.sources import collect_sources
    from ..errors import InputFileError

    try:
        lines = library_status(settings, collect_sources(paths))
    except InputFileError as exc:
        lines = [str(exc)]
    where = " ".join(map(str, paths))
    if not lines:
        print(f"Index at {settings.index_dir} is built from {where} as it stands.")
        return 0
    print(f"Index at {settings.index_dir} is not built from {where} as it stands (it was left as it is):")
    print("\n".join(f"  {line}" for line in lines))
    print(f"  `latm-qa ingest {where}` updates it; `latm-qa ingest --sync {where}` makes it exactly those files.")
    return 0
