"""Report knowledge as data: what is particular to a report, from the documents and an optional profile.

Derived from the documents at ingest: the report's title, its chapters, its parts (sub-heading titles that
repeat under two chapters or more, such as "Benefits"), example questions built from its own headings. An
optional TOML profile (profile_file.py) adds what a maintainer knows: title and publisher line, welcome text,
examples, a chapter's label and the words that name it, the words that ask for a part, the place gazetteer,
search weights. Each document of a library has its own Knowledge, from its own profile; the Library holds
them and the library's view of them all, stored in the index (``profile.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import zip_longest

from .profile_file import find_profiles, merge_profiles, part_entry, read_profile  # noqa: F401 - callers' too
from .text import QUESTION_STOP_WORDS, stem, strip_number
from .types import Document

EXAMPLES = 6  # example questions offered on the page
SHORT_TITLE = 8  # words: a title short enough to ask about in an example or list in the welcome text
NAME_WORDS = 4  # words: a chapter title short enough to be a topic's name ("Shared services")
_CONTENTS = re.compile(r"(table of )?contents$|about\b", re.I)  # no question to ask of these headings
_DATES = re.compile(r"\s*\([^)]*\)\s*$")  # a named example's dates: "... (2013-Present)"


@dataclass(frozen=True)
class Chapter:
    """A chapter as the page and the follow-ups know it: its number, printed title, short label, the
    patterns that name it in a question, and whether the report treats it part by part (a topic)."""

    number: str
    title: str
    label: str
    words: tuple[str, ...] = ()
    topic: bool = False


@dataclass(frozen=True)
class Knowledge:
    """Everything particular to the reports of one index."""

    title: str
    publisher: str = ""
    description: str = ""
    examples: tuple[str, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    parts: tuple[str, ...] = ()  # part titles as printed ("Benefits")
    part_intents: tuple[tuple[str, str], ...] = ()  # (part, pattern of a question asking for it)
    topic_parts: tuple[str, ...] = ()  # parts that point at a topic told elsewhere (a reading list)
    gazetteer: str = ""  # "uk-councils", or "" for none
    search: tuple[tuple[str, float | bool], ...] = ()  # the profile's [search] weights and switches: (setting, value)
    profile: dict | None = None  # the profile's tables as read, or None without one

    def chapter(self, number: str) -> Chapter | None:
        return next((c for c in self.chapters if c.number == number), None)

    def to_json(self) -> dict:
        derived = asdict(self)
        derived.pop("profile")
        return json.loads(json.dumps({"profile": self.profile, "derived": derived}))  # as stored and read back

    @classmethod
    def from_json(cls, data: dict) -> Knowledge:
        derived = dict(data["derived"])
        derived["chapters"] = tuple(Chapter(**{**c, "words": tuple(c["words"])}) for c in derived["chapters"])
        derived["part_intents"] = tuple(tuple(pair) for pair in derived["part_intents"])
        for key in ("examples", "parts", "topic_parts"):
            derived[key] = tuple(derived[key])
        derived["search"] = tuple(tuple(pair) for pair in derived.get("search", ()))
        return cls(**derived, profile=data.get("profile"))


@dataclass(frozen=True)
class Library:
    """The knowledge of an index: each document's own (``documents``: (doc_id, Knowledge), in the library's
    order) and the library's view of them all (``knowledge``; for one document, that document's own)."""

    knowledge: Knowledge
    documents: tuple[tuple[str, Knowledge], ...] = ()

    def of(self, doc_id: str) -> Knowledge | None:
        return next((k for d, k in self.documents if d == doc_id), None)

    @property
    def placed(self) -> frozenset[str]:
        """The documents whose own profile names the place gazetteer."""
        return frozenset(d for d, k in self.documents if k.gazetteer)

    def to_json(self) -> dict:
        """profile.json: the library's Knowledge, plus each document's own under "documents" by its id."""
        return {**self.knowledge.to_json(), "documents": {d: k.to_json() for d, k in self.documents}}

    @classmethod
    def from_json(cls, data: dict | None, documents: Sequence[Document]) -> Library:
        """The library as stored. A version written before each document had its own (one Knowledge) applies
        that to every document, as it did; one written before profiles is derived with the gazetteer it was
        built with."""
        knowledge = Knowledge.from_json(data) if data else derive(documents, {"places": {"gazetteer": "uk-councils"}})
        own = (data or {}).get("documents")
        if own is None:
            return cls(knowledge, tuple((d.doc_id, knowledge) for d in documents))
        return cls(knowledge, tuple(
            (d.doc_id, Knowledge.from_json(own[d.doc_id]) if d.doc_id in own else derive([d], None)) for d in documents
        ))


def derive_library(documents: Sequence[Document], tables: dict[str, dict | None]) -> Library:
    """Each document's knowledge from its own profile tables (``tables``, by its path), and the library's: for
    one document, its own; for several, a view of them all (``_library_view``)."""
    own = tuple((d.doc_id, derive([d], tables.get(d.path))) for d in documents)
    if len(own) != 1:
        return Library(_library_view(documents, [k for _, k in own]) if own else derive(documents, None), own)
    return Library(own[0][1], own)


def _library_view(documents: Sequence[Document], own: list[Knowledge]) -> Knowledge:
    """What the page says of several reports: a [report] title or publisher only if every document's is the
    same ("Library of 3 reports" otherwise), the documents' titles, examples from each in turn, every part,
    search weights and profile only if every document's are the same (else the defaults). A chapter belongs
    to its document: the library has none of its own."""
    titles, publishers = {(k.profile or {}).get("report", {}).get("title", "") for k in own}, {k.publisher for k in own}
    named = [d.title for d in documents[:EXAMPLES]] + [f"{len(documents) - EXAMPLES} more"][: len(documents) > EXAMPLES]
    intents: dict[str, str] = {}
    for part, words in (pair for k in own for pair in k.part_intents):
        intents.setdefault(part, words)
    turns = zip_longest(*(k.examples for k in own))  # each document's first example, then each one's second...
    return Knowledge(
        title=titles.pop() if len(titles) == 1 and "" not in titles else f"Library of {len(own)} reports",
        publisher=publishers.pop() if len(publishers) == 1 else "",
        description=f"The library holds {', '.join(named[:-1])} and {named[-1]}.",
        examples=tuple(dict.fromkeys(q for turn in turns for q in turn if q))[:EXAMPLES],
        parts=tuple(dict.fromkeys(p for k in own for p in k.parts)),
        part_intents=tuple(intents.items()),
        topic_parts=tuple(dict.fromkeys(p for k in own for p in k.topic_parts)),
        gazetteer=next((k.gazetteer for k in own if k.gazetteer), ""),
        search=own[0].search if all(k.search == own[0].search for k in own) else (),
        profile=own[0].profile if all(k.profile == own[0].profile for k in own) else None,
    )


def derive(documents: Sequence[Document], profile: dict | None) -> Knowledge:
    """The index's knowledge: what the documents say of themselves, then what the profile adds."""
    profile = profile or {}
    report = profile.get("report", {})
    sections = [s for d in documents for s in d.sections]
    parts = _repeated_parts(documents)
    chapters = _chapters(documents, parts, profile.get("chapters", {}))
    if "parts" in profile:  # the profile says which parts a question can ask for, and how
        entries = {part: part_entry(entry) for part, entry in profile["parts"].items()}
        intents = tuple((part, words) for part, (words, _) in entries.items())
        topic_parts = tuple(part for part, (_, topic) in entries.items() if topic)
    else:
        intents = tuple((part, _words_pattern(part)) for part in parts if part.lower() != "case studies")
        topic_parts = ()
    title = report.get("title") or (documents[0].title if len(documents) == 1 else "the reports")
    examples = tuple(report.get("examples", ())) or _examples(chapters, parts, sections)
    return Knowledge(
        title=title,
        publisher=report.get("publisher", ""),
        description=report.get("description", "") or _description(chapters),
        examples=examples[:EXAMPLES] if not report.get("examples") else examples,
        chapters=chapters,
        parts=parts,
        part_intents=intents,
        topic_parts=topic_parts,
        gazetteer=profile.get("places", {}).get("gazetteer", ""),
        search=tuple((key, value if isinstance(value, bool) else float(value))
                     for key, value in profile.get("search", {}).items()),
        profile=profile or None,
    )


def _repeated_parts(documents: Sequence[Document]) -> tuple[str, ...]:
    """Sub-heading titles that repeat under two chapters or more, in first-seen order."""
    chapters_of: dict[str, set[str]] = {}
    for doc in documents:
        for s in doc.sections:
            if len(s.heading_path) == 2 and s.kind != "case_study":
                chapters_of.setdefault(strip_number(s.heading_path[1]), set()).add(doc.doc_id + s.heading_path[0])
    return tuple(title for title, chapters in chapters_of.items() if len(chapters) >= 2)


def _chapters(documents: Sequence[Document], parts: tuple[str, ...], given: dict) -> tuple[Chapter, ...]:
    found: dict[str, Chapter] = {}
    with_parts = {
        s.heading_path[0] for d in documents for s in d.sections
        if len(s.heading_path) >= 2 and strip_number(s.heading_path[1]) in parts
    }
    for doc in documents:
        for s in doc.sections:
            if s.level != 1 or s.kind not in ("chapter", "unnumbered") or s.number in found:
                continue
            entry = given.get(s.number, {})
            topic = s.heading_path[0] in with_parts
            label, words = entry.get("label", s.title), tuple(entry.get("words", ()))
            found[s.number] = Chapter(s.number, s.title, label, words, topic)
    chapters = list(found.values())
    if not given:  # each topic chapter named by the words of its title no other topic chapter's title has
        topics = [c for c in chapters if c.topic]
        for i, chapter in enumerate(chapters):
            if chapter.topic and len(chapter.title.split()) <= NAME_WORDS:
                others = {stem(w) for c in topics if c is not chapter for w in _title_words(c.title)}
                own = [w for w in _title_words(chapter.title) if stem(w) not in others]
                chapters[i] = Chapter(**{**asdict(chapter), "words": tuple(_words_pattern(w) for w in own)})
    return tuple(chapters)


def _title_words(title: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_][\w'-]*", title.lower()) if len(w) > 3 and w not in QUESTION_STOP_WORDS]


def _words_pattern(text: str) -> str:
    """A pattern for a question using the words of a title, by their stems ("Key features": "key feature")."""
    return r"\b" + r"\W+".join(re.escape(stem(w)) for w in re.findall(r"[^\W\d_]+", text.lower()))


def _in_sentence(title: str) -> str:
    """A heading as it reads inside a sentence: "Basic principles" -> "basic principles" (an acronym kept)."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def _short(title: str) -> bool:
    return len(title.split()) <= SHORT_TITLE


def _description(chapters: tuple[Chapter, ...]) -> str:
    short = [c for c in chapters if _short(c.title)]
    topics = [_in_sentence(c.title) for c in short if c.topic] or [_in_sentence(c.title) for c in short]
    topics = topics[:EXAMPLES]
    return f"It covers {', '.join(topics[:-1])} and {topics[-1]}." if len(topics) > 1 else ""


def _examples(chapters: tuple[Chapter, ...], parts: tuple[str, ...], sections) -> tuple[str, ...]:
    """Questions a reader could ask, from the report's own headings: a part of each topic chapter in
    turn, then what a named example did."""
    out: list[str] = []
    # a part asked about in a sentence of its own: a plural noun phrase of up to three words ("Key features")
    asked = [p for p in parts if p.lower() != "case studies" and re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+){0,2}s", p)]
    asked = asked or [""]
    for i, chapter in enumerate(c for c in chapters if c.topic and _short(c.title)):
        part = asked[i % len(asked)]
        title = _in_sentence(chapter.title)
        out.append(f"What are the {part.lower()} of {title}?" if part else f"What does the report say about {title}?")
    named = [s.title for s in sections if s.kind == "case_study" and _short(s.title)]
    out += [f"What did {_DATES.sub('', title)} do?" for title in named[:2]]
    if len(out) < 2:  # no topics or named examples: ask about its shorter headings
        askable = [s.title for s in sections if s.kind != "front" and _short(s.title) and not _CONTENTS.match(s.title)]
        titles = dict.fromkeys(_in_sentence(title) for title in askable)
        out += [f"What does the report say about {title}?" for title in list(titles)[: EXAMPLES - len(out)]]
    return tuple(out[:EXAMPLES])
