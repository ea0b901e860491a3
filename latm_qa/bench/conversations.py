"""The conversation benchmark: turns asked one after another as on the chat page, each judged on its own.

Each line of the file is a conversation on one report of the suite::

    {"id": "c001", "document": "<suite report>", "split": "dev",
     "turns": [{"question": "How much did ... save?", "answers": ["..."], "followup": false},
               {"question": "Who do I contact about that?", "answers": ["..."], "followup": true}]}

A follow-up turn is right when its first card holds one of its answer strings (the answer for the subject
carried over, not another's); a standalone turn after the first is right when it is searched as typed
(never rewritten) and its first card holds an answer.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..answer.index import Index
from ..app import chat
from ..errors import LatmQaError
from .metrics import judged

SPLITS = ("dev", "test")


def load_conversations(path: Path) -> list[dict]:
    """The conversations of a JSONL file, each checked for the fields the benchmark reads."""
    if not path.exists():
        raise LatmQaError(f"no conversation file at {path}: pass --conversations with a JSONL file of conversations")
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            ok = isinstance(row["turns"], list) and row["turns"] and all(
                isinstance(t["question"], str) and isinstance(t["answers"], list) for t in row["turns"])
        except (json.JSONDecodeError, KeyError, TypeError):
            ok = False
        if not ok:
            raise LatmQaError(f"{path}:{number}: a conversation needs an id, a document and turns, each with a "
                              "question, answers (a list) and followup (true or false); see eval/README.md")
        out.append(row)
    return out


def run_conversation(index: Index, conversation: dict, k: int = 5) -> list[dict]:
    """Ask every turn in order as the page does; for each, how it was read and whether it was right."""
    filters = chat.build_filters(index.knowledge)
    previous, out = None, []
    for number, turn in enumerate(conversation["turns"]):
        asked = chat.ask_turn(index, turn["question"], previous, k, filters)
        hits = asked.result.hits if asked.result and not asked.result.abstained else ()
        first = bool(hits) and judged(turn, hits[0].passage.passage_id, hits[0].passage.text)
        out.append({
            "question": turn["question"], "searched": asked.query, "reading": asked.reading,
            "followup": bool(turn.get("followup")), "first_turn": number == 0, "right": first,
        })
        previous = asked
    return out


def score_turns(turns: list[dict]) -> dict:
    """Follow-ups answered from the right place; standalone turns kept as typed and answered."""
    followups = [t for t in turns if t["followup"]]
    standalone = [t for t in turns if not t["followup"] and not t["first_turn"]]
    kept = [t for t in standalone if t["searched"] == t["question"]]
    return {
        "conversations": len({t["conversation"] for t in turns}),
        "followups": len(followups),
        "followup_right": round(sum(t["right"] for t in followups) / len(followups), 4) if followups else 0.0,
        "standalone": len(standalone),
        "standalone_kept": round(len(kept) / len(standalone), 4) if standalone else 0.0,
        "standalone_right": round(sum(t["right"] for t in standalone) / len(standalone), 4) if standalone else 0.0,
        "first_turn_right": round(sum(t["right"] for t in turns if t["first_turn"])
                                  / max(1, sum(t["first_turn"] for t in turns)), 4),
    }


def evaluate_conversations(path: Path, indexes: dict[str, Index]) -> dict:
    """Every conversation on a report with a built index, scored per split and per report."""
    turns = []
    for conversation in load_conversations(path):
        index = indexes.get(conversation.get("document", ""))
        if index is None:
            continue
        for turn in run_conversation(index, conversation):
            turns.append({**turn, "conversation": conversation["id"], "split": conversation.get("split", "all"),
                          "document": conversation["document"]})
    splits = {split: score_turns([t for t in turns if t["split"] == split])
              for split in SPLITS if any(t["split"] == split for t in turns)}
    reports = {name: score_turns([t for t in turns if t["document"] == name]) for name in indexes
               if any(t["document"] == name for t in turns)}
    return {"splits": splits, "reports": reports, "turns": turns}


def conversation_lines(result: dict, fmt: str) -> list[str]:
    """Markdown: the conversation benchmark's figures per split and per report."""
    lines = [f"### conversations ({fmt})", "",
             "| set | conversations | follow-ups | follow-up right | standalone | kept as typed | standalone right |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, m in [*result["splits"].items(), *result["reports"].items()]:
        lines.append(f"| {name} | {m['conversations']} | {m['followups']} | {m['followup_right']:.3f} | "
                     f"{m['standalone']} | {m['standalone_kept']:.3f} | {m['standalone_right']:.3f} |")
    return [*lines, ""]
