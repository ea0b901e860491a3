"""Thumbs up/down on answers, kept as JSON Lines in the feedback folder for later evaluation.

One line per vote in ``<feedback_dir>/feedback.jsonl``; a changed vote on the same answer adds a
line, so the newest line per ``turn_id`` is the answer's current vote (see :func:`latest_votes`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ..errors import LatmQaError

FEEDBACK_FILE = "feedback.jsonl"
FEEDBACK_VERSION = 1
Vote = Literal["up", "down"]
# what a thumbs-down can say was wrong
REASONS = ("wrong passage", "wrong answer sentence", "not in the report", "other")
_VOTES = {1: "up", 0: "down", "up": "up", "down": "down"}


@dataclass(frozen=True)
class FeedbackRecord:
    """One vote on one answer: what was asked, which passages were shown, and the vote (None: withdrawn)."""

    timestamp: str
    question: str
    passage_ids: tuple[str, ...]
    vote: Vote | None
    turn_id: str = ""
    query: str = ""
    citations: tuple[str, ...] = ()
    abstained: bool = False
    filters: dict | None = None
    k: int | None = None
    index_created: str = ""
    model: str = ""
    reason: str = ""  # for a thumbs-down, what was wrong (one of REASONS)
    answer: str = ""  # the answer box's words when the vote was cast
    version: int = FEEDBACK_VERSION

    def to_json(self) -> dict:
        data = asdict(self)
        data["passage_ids"], data["citations"] = list(self.passage_ids), list(self.citations)
        return data

    @classmethod
    def from_json(cls, data: dict) -> FeedbackRecord:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["passage_ids"] = tuple(data.get("passage_ids", ()))
        known["citations"] = tuple(data.get("citations", ()))
        return cls(**known)


def normalise_vote(vote: object) -> Vote | None:
    """1/"up" -> "up", 0/"down" -> "down", None -> None (a withdrawn vote); anything else is an error."""
    if vote is None:
        return None
    if isinstance(vote, bool) or vote not in _VOTES:
        raise LatmQaError(f"feedback vote {vote!r} is not understood: use 1 or 'up' for good, 0 or 'down' for bad")
    return _VOTES[vote]  # type: ignore[return-value]


def record_feedback(
    directory: Path | str,
    question: str,
    passage_ids: Iterable[str],
    vote: object,
    *,
    turn_id: str = "",
    query: str = "",
    citations: Iterable[str] = (),
    abstained: bool = False,
    filters: dict | None = None,
    k: int | None = None,
    index_created: str = "",
    model: str = "",
    reason: str = "",
    answer: str = "",
) -> FeedbackRecord:
    """Append one vote to ``directory/feedback.jsonl`` (created if needed) and return it."""
    record = FeedbackRecord(
        timestamp=datetime.now(UTC).isoformat(timespec="seconds"),
        question=question,
        passage_ids=tuple(passage_ids),
        vote=normalise_vote(vote),
        turn_id=turn_id,
        query=query or question,
        citations=tuple(citations),
        abstained=abstained,
        filters=filters,
        k=k,
        index_created=index_created,
        model=model,
        reason=reason,
        answer=answer,
    )
    if reason and reason not in REASONS:
        raise LatmQaError(f"feedback reason {reason!r} is not one of: {', '.join(REASONS)}")
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with open(path / FEEDBACK_FILE, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
    except OSError as exc:
        raise LatmQaError(
            f"cannot save feedback in {path} ({exc.strerror or exc}): set LATM_QA_FEEDBACK_DIR to a writable folder"
        ) from None
    return record


def read_feedback(directory: Path | str, strict: bool = False) -> list[FeedbackRecord]:
    """Every vote in ``directory/feedback.jsonl``, oldest first; [] when there is none yet.

    A line that is not a feedback record (e.g. cut short by a crash) is skipped, or with ``strict``
    reported as an error naming the file and line.
    """
    path = Path(directory) / FEEDBACK_FILE
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(FeedbackRecord.from_json(json.loads(line)))
        except (ValueError, TypeError, AttributeError) as exc:
            if strict:
                raise LatmQaError(f"{path}:{number} is not a feedback record ({exc}): fix or delete the line") from None
    return records


def latest_votes(records: Iterable[FeedbackRecord]) -> dict[str, FeedbackRecord]:
    """The current vote per answer (newest record per turn_id, or per question without one); withdrawn ones dropped."""
    latest: dict[str, FeedbackRecord] = {}
    for record in records:
        latest[record.turn_id or record.question] = record
    return {key: r for key, r in latest.items() if r.vote is not None}
