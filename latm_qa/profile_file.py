"""A report profile file (TOML) read and checked: a clear error naming the file and the fault, never a
traceback. What its tables mean is profile.py's."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from .errors import InputFileError

GAZETTEERS = ("uk-councils",)
# the fused retriever's weights a report's profile may set for its own index ([search]): a heuristic that
# helps one report and not others is off by default and switched on where it helps
SEARCH_WEIGHTS = ("sentence_weight", "bm25_weight", "prior_weight", "late_weight", "topic_weight", "label_weight",
                  "cover_step")


def read_profile(path: Path) -> dict:
    """A profile file's tables, checked: a clear error naming the file and the fault."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: cannot read the profile ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"{path}: not a valid TOML profile ({exc}); see docs/behaviour.md") from None
    unknown = set(data) - {"report", "chapters", "parts", "places", "search"}
    if unknown:
        raise InputFileError(
            f"{path}: unknown table [{sorted(unknown)[0]}] in the profile: use [report], [chapters], [parts], "
            "[places], [search]"
        )
    for key, value in data.get("search", {}).items():
        if key not in SEARCH_WEIGHTS:
            choices = ", ".join(SEARCH_WEIGHTS)
            raise InputFileError(f"{path}: unknown setting {key!r} in [search]: choose from {choices}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InputFileError(f"{path}: [search] {key} = {value!r} is not a weight: give a number of 0 or more")
    gazetteer = data.get("places", {}).get("gazetteer", "")
    if gazetteer and gazetteer not in GAZETTEERS:
        raise InputFileError(f"{path}: unknown gazetteer {gazetteer!r}: choose from {', '.join(GAZETTEERS)}")
    for name, pattern in _patterns(data):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InputFileError(f"{path}: the pattern of {name} is not a valid regular expression ({exc})") from None
    return data


def _patterns(data: dict) -> Iterable[tuple[str, str]]:
    for number, chapter in data.get("chapters", {}).items():
        yield from ((f"chapter {number}", w) for w in chapter.get("words", ()))
    for part, entry in data.get("parts", {}).items():
        yield f"part {part!r}", part_entry(entry)[0]


def part_entry(entry: str | dict) -> tuple[str, bool]:
    return (entry, False) if isinstance(entry, str) else (entry.get("words", ""), bool(entry.get("topic", False)))
