"""What the question's steps know of the loaded report, worked out once when an index loads: its
vocabulary and last year, its acronyms, the councils it names (the gazetteer narrowed to it), and what
each passage is about."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..build.lexicon import lexicons, merged
from ..places.gazetteer import Gazetteer, case_studies
from ..text import YEAR, strip_number
from ..types import Document, Passage


@dataclass(frozen=True, eq=False)
class ReportFacts:
    vocabulary: set[str]  # lower-cased words (possessives and hyphenated parts also on their own)
    last_year: int | None  # the latest year it mentions
    acronym_table: dict[str, str]  # acronyms it uses, could stand for or spells out -> long forms in it
    acronyms: set[str]  # acronyms written in capitals in it
    acronym_words: frozenset[str]
    places: Gazetteer  # the councils it names, and how place descriptions map onto them
    about: list[str]  # per passage: what it is about (heading path and text; a case study's whole text)
    repeated_titles: frozenset[str] = frozenset()  # titles heading several sections ("benefits"): parts
    placed: frozenset[str] = frozenset()  # the documents the gazetteer reads places for (their profile names it)

    @classmethod
    def of(
        cls,
        documents: Sequence[Document],
        passages: Sequence[Passage],
        gazetteer: str = "",
        stored: Sequence[dict] | None = None,
        placed: Collection[str] | None = None,
    ) -> ReportFacts:
        """The facts of a library; ``stored`` its documents' lexicons as ingest stored them (lexicon.py),
        else they are worked out here from the texts. The ``gazetteer`` reads places for the documents
        ``placed`` (their ids; None: every document), narrowed to the councils they name."""
        placed = frozenset(d.doc_id for d in documents) if placed is None else frozenset(placed)
        placed = placed if gazetteer else frozenset()
        texts = [d.text for d in documents if d.doc_id in placed]
        vocabulary, table, acronyms = merged(lexicons(documents, {s["sha256"]: s for s in stored or ()}))
        return cls(
            vocabulary=vocabulary,
            last_year=last_year(vocabulary),
            acronym_table=table,
            acronyms=acronyms,
            acronym_words=frozenset(acronyms | set(table)),
            places=Gazetteer.from_texts(texts) if placed else Gazetteer.none(),
            about=about_texts(passages),
            repeated_titles=frozenset(repeated_titles(passages)),
            placed=placed,
        )


def last_year(vocabulary: set[str]) -> int | None:
    """The latest year the report mentions (a target year counts: "by 2020"), or None if it names none."""
    return max((int(w) for w in vocabulary if YEAR.match(w)), default=None)


def repeated_titles(passages: Sequence[Passage]) -> set[str]:
    """Heading titles (lower case, without numbers) that head more than one section: parts, not subjects."""
    seen: dict[str, set[tuple]] = {}
    for p in passages:
        for depth, title in enumerate(p.heading_path):
            seen.setdefault(strip_number(title).strip().lower(), set()).add((p.document, p.heading_path[:depth]))
    return {title for title, parents in seen.items() if len(parents) > 1}


def about_texts(passages: Sequence[Passage]) -> list[str]:
    """What each passage is about, for telling whether it is on a council a question names: its heading
    path and text, and for a case study the whole case study (its second passage, on what "the
    partnership" shares, no longer names the four councils its first passage introduced)."""
    whole = {key: "\n".join(p.text for p in members) for key, members in case_studies(passages).items()}
    return [" / ".join(p.heading_path) + "\n" + whole.get((p.document, p.heading_path), p.text) for p in passages]
