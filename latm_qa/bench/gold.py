"""Gold data read and checked before a run: each line of a question file must be one question the judge can
score, and its answer strings and sections must be ones the index can match (eval/README.md, judging rule)."""

from __future__ import annotations

import difflib
import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from pathlib import Path

from ..errors import LatmQaError
from ..types import Passage
from .metrics import normalise  # the judging rule's reading of text, kept in one place

SHOWN_PROBLEMS = 10  # a file with more bad lines names the first ten, and how many more
LINE_FORMAT = 'each line is one JSON object: {"id": "q1", "question": "...", "answers": ["..."], "section": "2.1"}'


class GoldDataError(LatmQaError):
    """A question file holds a line the benchmark cannot judge: malformed, or gold that cannot match the index."""


def refuse(problems: Sequence[str], what: str) -> None:
    """Raise one error naming every bad line (the first ten of them), or nothing when there is none."""
    if not problems:
        return
    more = len(problems) - SHOWN_PROBLEMS
    shown = list(problems[:SHOWN_PROBLEMS]) + ([f"... and {more} more"] if more > 0 else [])
    head = "" if len(problems) == 1 else f"{len(problems)} lines {what}:\n"
    raise GoldDataError(head + "\n".join(shown))


def read_questions(path: Path) -> list[tuple[int, dict]]:
    """Every question of a JSONL file with its line number; a file with malformed lines is refused whole."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LatmQaError(f"{path}: cannot read benchmark questions ({exc.__class__.__name__}: {exc})") from None
    rows: list[tuple[int, dict]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc.msg} at column {exc.colno}): {LINE_FORMAT}")
            continue
        problem = line_problem(row)
        if problem:
            problems.append(f"{where}: {problem}: {LINE_FORMAT}; see eval/README.md")
            continue
        if row["id"] in seen:
            problems.append(f"{where}: id {row['id']!r} is used twice (first on line {seen[row['id']]}): "
                            "give every question its own")
            continue
        seen[row["id"]] = number
        rows.append((number, row))
    refuse(problems, "are not questions the benchmark can read")
    return rows


def line_problem(row: object) -> str:
    """What is wrong with a parsed line's shape, or "" (the fields every line needs, eval/README.md)."""
    if not isinstance(row, dict):
        kinds = {list: "a list", str: "a text", bool: "true or false", type(None): "null"}
        return f"{kinds.get(type(row), 'a number')}, not an object"
    for field, what in (("question", "the question as text"), ("id", "a text naming the question")):
        if field not in row:
            return f'no "{field}" ({what})'
        if not isinstance(row[field], str) or not row[field].strip():
            return f'"{field}" is {json.dumps(row[field])[:60]}, not {what}'
    answers = row.get("answers")
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        return ('no "answers" (a list of texts; [] for a question the report does not answer)'
                if "answers" not in row else f'"answers" is {json.dumps(answers)[:60]}, not a list of texts')
    for field in ("also_sections", "relevant_ids"):  # optional: more sections cited right, passages judged right
        if field in row and not (isinstance(row[field], list) and all(isinstance(v, str) for v in row[field])):
            return f'"{field}" is {json.dumps(row[field])[:60]}, not a list of texts'
    return ""


class Corpus:
    """The passages' texts as the judge reads them, joined, to tell fast which passages hold a string."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        bodies = [normalise(p.text) for p in passages]
        self.every = "\n".join(bodies)  # no normalised text holds a line break: no match spans two passages
        self.starts = list(accumulate((len(b) + 1 for b in bodies[:-1]), initial=0))
        self.sections = [p.section for p in passages]

    def holders(self, text: str) -> list[int]:
        """The positions of the passages that hold ``text`` (already normalised)."""
        found, at = [], self.every.find(text)
        while at >= 0:
            found.append(bisect_right(self.starts, at) - 1)
            at = self.every.find(text, at + 1)
        return found


def check_gold(rows: Iterable[tuple[int, dict]], passages: Sequence[Passage], path: Path,
               strict: bool = True) -> list[str]:
    """Refuse lines whose gold the judge can never match in these passages (an answer string no passage holds,
    a section no passage is in); return notes on lines that can match but look wrong. Not ``strict`` (another
    reading of the file the gold was written from, such as its PDF), what cannot match is a note: a miss the
    benchmark should count, not a fault of the gold."""
    corpus = Corpus(passages)
    sections = list(dict.fromkeys(corpus.sections))
    ids = {p.passage_id for p in passages}
    problems, notes = [], []
    for number, row in rows:
        where = f"{path}:{number}"
        found = row_problems(row, corpus.every, sections, ids)
        problems += [f"{where}: {p}" for p in found]
        note = "" if found else section_note(row, corpus)
        if note:
            notes.append(f"{where}: {note}")
    if not strict:
        return [f"{p} (in this reading of the report)" for p in problems] + notes
    refuse(problems, "hold gold data the index cannot match")
    return notes


def row_problems(row: dict, every: str, sections: list[str], ids: set[str]) -> list[str]:
    """Why one question's gold can never be judged a match: each bad value, and how to fix it."""
    out = []
    answers, unanswerable = row.get("answers", []), row.get("kind") == "unanswerable"
    if unanswerable and answers:
        out.append('kind is "unanswerable" but answers are given: empty the answers ([]) for a question the '
                   "report does not answer, or change the kind")
    for answer in answers:
        if not answer.strip():
            out.append('an answer is empty (""): drop it from "answers"')
        elif normalise(answer) not in every:
            out.append(f"answer {json.dumps(answer, ensure_ascii=False)} is in no passage of the index "
                       f"(read as the judge reads it: case, spaces and quote marks aside){_closest(answer, every)}: "
                       "copy the words from the report's text, or drop the line")
    for pid in row.get("relevant_ids", []):
        if pid not in ids:
            out.append(f'relevant_ids names {json.dumps(pid)}, no passage of the index: fix the id or drop it')
    gold = [row.get("section"), *row.get("also_sections", [])]
    for section in [s for s in gold if s is not None]:
        if not isinstance(section, str):
            out.append(f"section {json.dumps(section)} is not a text: write it as printed, in quotes "
                       f"({json.dumps(str(section))})")
        elif section not in sections:
            out.append(section_problem(section, sections))
    chapter = row.get("chapter")  # a top-level heading as the markdown prints it (metrics.cited_right): not
    if chapter is not None and not isinstance(chapter, str):  # checked against the index, whose reading it judges
        out.append(f"chapter {json.dumps(chapter)} is not a text: write the heading's number or title in quotes")
    if not answers and not row.get("relevant_ids") and row.get("section") is not None and not unanswerable:
        out.append(f'"answers" is empty, which marks a question the report does not answer, but section is '
                   f'{json.dumps(row["section"])}: give the answer strings, or set section to null')
    return out


def section_note(row: dict, corpus: Corpus) -> str:
    """A note when the answer strings are in the index but in no passage of the gold section: a hit holding
    the answer can then never be cited right."""
    answers = [normalise(a) for a in row.get("answers", []) if a.strip()]
    gold = {row.get("section"), *row.get("also_sections", [])} - {None}
    if not answers or not gold:
        return ""
    holding = list(dict.fromkeys(corpus.sections[i] for a in answers for i in corpus.holders(a)))
    if not holding or gold & set(holding):
        return ""
    return (f"no passage of section {', '.join(sorted(gold))} holds an answer string (they are in "
            f"{', '.join(holding)}): check the section")


def section_problem(section: str, sections: list[str]) -> str:
    """Why a gold section matches no passage, and what the index has instead."""
    named = [s for s in sections if s]
    below = [s for s in named if s.startswith(section + ".")]
    if below:  # the judge cites a passage by its own section; a chapter told in subsections has none
        shown = ", ".join(below[:6]) + (", ..." if len(below) > 6 else "")
        return (f"section {json.dumps(section)} has no passage of its own in the index (its text is in {shown}): "
                "name the subsection that holds the answer")
    parents = [p for p in (section.rsplit(".", k)[0] for k in range(1, section.count(".") + 1)) if p in named]
    close = parents[:1] or difflib.get_close_matches(section, named, n=3, cutoff=0.6)  # "8.1": "8" before "7.1"
    listing = "it has " + ", ".join(named[:12]) + (f", ... ({len(named)} in all)" if len(named) > 12 else "")
    guess = f"; did you mean {' or '.join(json.dumps(c) for c in close)}?" if close else ""
    return f"section {json.dumps(section)} is not in the index ({listing}{guess}): fix the line or drop it"


def _closest(answer: str, every: str) -> str:
    """Where a missing answer parts from the report: its longest beginning that the index holds."""
    wanted = normalise(answer)
    low, high = 0, len(wanted)  # the longest prefix found: a prefix of a found text is found
    while low < high:
        middle = (low + high + 1) // 2
        if wanted[:middle] in every:
            low = middle
        else:
            high = middle - 1
    if low < 8:
        return ""
    more = "..." if low + 12 < len(wanted) else ""
    return f'; the index has "{wanted[:low]}" but not "{wanted[: low + 12]}{more}"'
