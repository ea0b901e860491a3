"""Report profile files (TOML): found beside the reports, read and checked (a clear error naming the file and
the fault, never a traceback), and which apply to which document of a library. What their tables mean is
profile.py's.

Each document has its own profile tables: those of the profile given for the files of one ingest
(``--profile FILE``, a .toml among the paths, or tables already read), else its own ``<stem>.toml`` and its
folder's ``profile.toml``. A document an ingest keeps without its file being named keeps the tables the
previous version stored for it: adding a report never changes another's profile.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputFileError

PROFILE_FILE = "profile.toml"  # the profile of every report in its folder
GAZETTEERS = ("uk-councils",)
# the fused retriever's weights a report's profile may set for its own index ([search]): a heuristic that
# helps one report and not others is off by default and switched on where it helps
SEARCH_WEIGHTS = ("sentence_weight", "bm25_weight", "prior_weight", "late_weight", "topic_weight", "label_weight",
                  "cover_step")
# the steps of a question's path a profile may switch on (or off) for its report: true or false
SEARCH_SWITCHES = ("correct_spelling", "expand_acronyms", "abstain_off_topic", "abstain_uncounted",
                   "abstain_after_the_report", "abstain_undated", "abstain_low_similarity")


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
        if key not in SEARCH_WEIGHTS + SEARCH_SWITCHES:
            choices = ", ".join(SEARCH_WEIGHTS + SEARCH_SWITCHES)
            raise InputFileError(f"{path}: unknown setting {key!r} in [search]: choose from {choices}")
        if key in SEARCH_SWITCHES:
            if not isinstance(value, bool):
                raise InputFileError(f"{path}: [search] {key} = {value!r} is a switch: give true or false")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
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


def find_profiles(sources: Sequence[Path], given: Path | None = None) -> list[Path]:
    """The profile files for these source files: the one given, else each file's own ``<stem>.toml``
    and its folder's ``profile.toml``, each once."""
    if given is not None:
        if not Path(given).is_file():
            raise InputFileError(f"{given}: no such profile file; give a .toml profile (see docs/behaviour.md)")
        return [Path(given)]
    found: list[Path] = []
    for source in sources:
        for candidate in (source.with_suffix(".toml"), source.parent / PROFILE_FILE):
            if candidate.is_file() and candidate not in found:
                found.append(candidate)
    return found


def find_document_profiles(files: Sequence[Path], given: Path | None = None) -> dict[Path, list[Path]]:
    """The profile files that apply to each source file: the one given (to every file), else the file's own
    ``<stem>.toml`` and its folder's ``profile.toml``."""
    return {Path(f): find_profiles([Path(f)], given) for f in files}


def merge_profiles(profiles: Sequence[dict]) -> dict | None:
    """One profile from several: later tables add to earlier ones; lists of examples join."""
    if not profiles:
        return None
    out: dict = {}
    for profile in profiles:
        for table, values in profile.items():
            merged = out.setdefault(table, {})
            for key, value in values.items():
                if key == "examples" and key in merged:
                    merged[key] = [*merged[key], *value]
                else:
                    merged[key] = value
    return out


@dataclass(frozen=True)
class ProfileChoice:
    """The files named in one ingest and the profile given for them: a file, tables already read (``{}``: none),
    or None (each file's own, found beside it)."""

    files: tuple[Path, ...]
    given: Path | dict | None = None


def document_profiles(
    files: Sequence[Path], choice: ProfileChoice | None, stored: dict[str, dict | None]
) -> tuple[list[Path], dict[str, dict | None]]:
    """Each file's profile tables by its path (as ``files`` spell it), and the profile files read. A file
    named in this ingest (``choice``) gets the profile given, else those found beside it; any other file
    (kept in the library) the tables stored for it (``stored``, by path: ``stored_tables``), or, when none
    were stored, those found beside it."""
    named = {_resolved(p) for p in choice.files} if choice else set()
    given = choice.given if choice else None
    read: dict[Path, dict] = {}
    tables: dict[str, dict | None] = {}
    for file in map(Path, files):
        if _resolved(file) in named and isinstance(given, dict):
            tables[str(file)] = given or None
            continue
        if _resolved(file) not in named and str(file) in stored:
            tables[str(file)] = stored[str(file)]
            continue
        found = find_profiles([file], given if _resolved(file) in named else None)
        for path in found:
            if path not in read:
                read[path] = read_profile(path)
        tables[str(file)] = merge_profiles([read[path] for path in found])
    return list(read), tables


def stored_tables(knowledge: dict | None, sources: Sequence[dict]) -> dict[str, dict | None]:
    """Each indexed document's profile tables as a version stored them (its profile.json, ``knowledge``), by
    the source path its manifest gives (``sources``); in a version written before each document had its own,
    the one profile that applied to every document."""
    if not knowledge:
        return {}
    own = knowledge.get("documents")
    if own is None:
        return {s["path"]: knowledge.get("profile") for s in sources}
    return {s["path"]: own[s["document"]].get("profile") for s in sources if s.get("document") in own}


def _resolved(path: Path | str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return str(path)
