"""Bring the question sets written outside the team into the suite: each report of ../shared/reports/more that
has a questions.jsonl becomes eval/reports/<report>.jsonl in the suite's format, its questions as written.

The shared files name a question's `section` as a top-level (`##`) heading: the number of a numbered one or the
title of an unnumbered one, the document's title for text before the first. The suite keeps that as `chapter`
(citations are judged at that level: bench/metrics.cited_right) and leaves `section` null; every other field
is kept. Run it again after the shared files change:

    .venv/bin/python eval/import_questions.py            # writes eval/reports/<report>.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parent
SHARED = EVAL.parent.parent / "shared" / "reports" / "more"


def convert(row: dict, report: str) -> dict:
    """One shared question in the suite's format."""
    return {"id": row["id"], "document": report, "question": row["question"], "answers": list(row["answers"]),
           "section": None, "chapter": row.get("section"), "case_study": row.get("case_study"),
           "kind": row.get("kind", ""), "difficulty": row.get("difficulty", ""), "split": row["split"]}


def main() -> int:
    if not SHARED.is_dir():
        print(f"no shared reports at {SHARED}", file=sys.stderr)
        return 2
    for folder in sorted(p for p in SHARED.iterdir() if (p / "questions.jsonl").is_file()):
        rows = [json.loads(line) for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
        lines = [json.dumps(convert(row, folder.name), ensure_ascii=False) for row in rows]
        (EVAL / "reports" / f"{folder.name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"eval/reports/{folder.name}.jsonl: {len(rows)} questions "
              f"({sum(r['split'] == 'dev' for r in rows)} dev, {sum(not r['answers'] for r in rows)} not covered)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
