"""Structure prior: which part of the report a question asks for, and which part of it is on the question's topic.

A report that treats its topics part by part (each chapter with, say, Benefits, Challenges and Further
reading) tells in its knowledge (profile.py) which questions ask for which part. A question asking for
a part ("what are the drawbacks", "is there a paper on ...") or for contact details ("who should I
contact") favours passages of that part. Contact details and reading lists point at a topic told
elsewhere, so among them those on the topic of the best passage found (in its section, or naming the
subject of its named example) are favoured again: "who do I speak to at <council>" gets that council's
contact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..profile import Knowledge
from ..text import SENTENCE, strip_number
from ..types import Passage

# Asking for a person to contact, or for the officer in a role ("who heads ...", "who is the lead for ...").
CONTACT_INTENT = (
    r"\b(contact|get in touch|speak to|talk to|e-?mail|who (do|should|can) i|whom)"
    r"|\bwho (heads|leads|runs|is (the )?(head|lead|leader|chief|director|manager|responsible|in charge))"
)
# Asking for a figure ("how much", "how many", "what percentage", what a council earned, saved or
# spent): its answer holds a number.
QUANTITY_INTENT = (
    r"\bhow (much|many)\b|\bwhat (percentage|proportion|share|rate|amount|sum|figure)\b"
    r"|\b(earn|earns|earned|save|saves|saved|cost|costs|spend|spends|spent)\b"
)
# A figure: a number that is not a year, a sum, a percentage, or a number written as a word. Checked in
# parts, the cheap ones first (a library's load checks every passage and sentence).
_NUMBER = re.compile(r"(?<![\w.])(?!(?:19|20)\d\d\b)\d[\d,.]*\b")
_NUMBER_WORDS = ("percent", "hundred", "thousand", "million", "billion")
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_DIGIT = re.compile(r"\d")
# A question about the document itself: answered by its front matter, introduction or "About" section.
ABOUT_INTENT = (
    r"\bthis (report|paper|study|research|publication|document)\b|\bthe authors?\b"
    r"|\bwho (wrote|published|commissioned|produced|funded)\b"
)
# Asking what the report is called: its cover (title and subtitle) answers that, and only that.
# "Cover" only as the noun ("does the report cover devolution?" asks about its contents), and a title
# only the report's own ("the title of the report on Kirklees" is a reading-list entry's).
_THE_REPORT = r"(?:the|this) (?:report|paper|study|document|publication)"
TITLE_INTENT = (
    r"\bsubtitle|\b(?:the|its|front) cover\b|\bcover page\b"
    rf"|\b(?:title|name) of {_THE_REPORT}\b(?!\s+(?:on|about|by|from|for|of|that|which)\b)"
    r"|\b(?:report|paper|study|document|publication)['’]s (?:title|name)\b"
    rf"|\bwhat(?: is|['’]s) {_THE_REPORT} (?:called|titled|entitled)\b"
)
_ABOUT_TITLE = re.compile(
    r"^(about|introduction|foreword|preface|executive summary|summary|methodology|acknowledge?ments?)\b", re.I
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
# Words of a case-study title that do not tell one council from another.
_GENERIC_TITLE_WORDS = frozenset(
    "the of and for council councils borough county district city metropolitan london lbc partnership "
    "st north south east west present".split()
)


def passage_part(heading_path: tuple[str, ...], case_study: bool) -> str:
    """The part of its model a passage belongs to: "Benefits", "Case studies", ..."""
    own = heading_path[-2] if case_study and len(heading_path) > 1 else heading_path[-1]
    return strip_number(own)


def about_the_report(passage: Passage) -> bool:
    """Whether a passage tells about the report itself: front matter, introduction, "About ..." sections."""
    titles = (passage.chapter_title, passage.section_title)
    return passage.section_kind == "front" or any(_ABOUT_TITLE.match(title) for title in titles)


def is_cover(passage: Passage) -> bool:
    """Whether a passage is the report's cover: front matter with no sentence of its own, only its
    title and subtitle ("WHOLE-COUNCIL APPROACHES TO TRANSFORMATION")."""
    return passage.section_kind == "front" and not SENTENCE.search(passage.text)


def has_contact_details(text: str) -> bool:
    return "@" in text and bool(_EMAIL.search(text))


def has_figure(text: str) -> bool:
    if "£" in text or "%" in text or (_DIGIT.search(text) and _NUMBER.search(text)):
        return True
    lower = text.lower()
    return any(word in lower for word in _NUMBER_WORDS) and bool(_NUMBER_WORD.search(text))


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def subject_words(passage: Passage) -> frozenset[str]:
    """The words that name a case study's subject: "Calderdale/Kirklees (2013-Present)" -> {calderdale, kirklees}.

    Empty for passages outside case studies.
    """
    if passage.section_kind != "case_study" or not passage.heading_path:
        return frozenset()
    title = re.sub(r"\(\s*\d{4}\s*[-–]\s*(present|\d{4})\s*\)", " ", passage.heading_path[-1], flags=re.I)
    return frozenset(w for w in _words(title) if w not in _GENERIC_TITLE_WORDS and len(w) > 2)


@dataclass(frozen=True, eq=False)
class Structure:
    """What the prior needs to know of every passage, computed once when an index loads."""

    parts: np.ndarray  # (passages,) the part's title, object strings
    has_contact: np.ndarray
    about: np.ndarray
    sections: np.ndarray  # (passages,) the heading path joined, object strings
    subjects: tuple[frozenset[str], ...]
    texts: tuple[str, ...]
    cover: np.ndarray
    intents: dict[str, str]  # part title -> pattern of a question asking for it (the report's knowledge)
    topic_intents: dict[str, str]  # the same for the parts that point at a topic told elsewhere

    @classmethod
    def of(
        cls, passages: list[Passage], knowledge: Knowledge | None = None, documents: dict[str, Knowledge] | None = None
    ) -> Structure:
        """``knowledge`` says which questions ask for which part; in a library of several reports, each
        document's own (``documents``, by id) does for its passages only, so its parts are named with it."""
        parts = [passage_part(p.heading_path, p.section_kind == "case_study") for p in passages]
        intents = dict(knowledge.part_intents) if knowledge else {}
        topics = set(knowledge.topic_parts) if knowledge else set()
        if documents:
            parts = [_own(p.document, part) for p, part in zip(passages, parts, strict=True)]
            intents = {_own(d, part): words for d, k in documents.items() for part, words in k.part_intents}
            topics = {_own(d, part) for d, k in documents.items() for part in k.topic_parts}
        return cls(
            parts=np.array(parts, dtype=object),
            has_contact=np.array([has_contact_details(p.text) for p in passages], dtype=bool),
            about=np.array([about_the_report(p) for p in passages], dtype=bool),
            sections=np.array([" / ".join(p.heading_path) for p in passages], dtype=object),
            subjects=tuple(subject_words(p) for p in passages),
            texts=tuple(p.text for p in passages),
            cover=np.array([is_cover(p) for p in passages], dtype=bool),
            intents=intents,
            topic_intents={part: words for part, words in intents.items() if part in topics},
        )

    def prior(self, question: str) -> np.ndarray:
        """The structure prior of every passage for a question (see ``intent_prior``)."""
        return intent_prior(question, self.parts, self.has_contact, self.about, self.intents)

    def cover_step(self, question: str) -> np.ndarray:
        """For the cover's passages, 1 if the question asks what the report is called and -1 if not; 0 for
        the rest (scaled by the ``cover_step`` setting: more than the fused scores' spread over a
        question's best passages, about 1.5). A subtitle ("whole-council approaches to transformation") is
        close to many questions about the report and answers none but that one, which rarely shares a word
        with it ("What is the report called?")."""
        sign = 1.0 if re.search(TITLE_INTENT, question.lower()) else -1.0
        return self.cover.astype("float32") * sign

    def on_topic(self, top: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Passages (of ``rows``, default all) on the topic of passage ``top``: in its section, or naming
        its case study's subject."""
        subject = self.subjects[top]
        out = self.sections == self.sections[top]
        for row in np.flatnonzero(~out) if rows is None else rows[~out[rows]]:
            out[row] = bool(subject & _words(self.texts[row]))
        return out

    def topic(self, question: str, scores: np.ndarray) -> np.ndarray:
        """1 for each further-reading or contact passage the question asks for that is on the topic of the
        best-scoring passage, else 0."""
        asked = asked_parts(question, self.parts, self.has_contact, self.topic_intents)
        if not len(scores) or not asked.any():
            return np.zeros(len(scores), dtype="float32")
        return ((asked > 0) & self.on_topic(int(np.argmax(scores)), np.flatnonzero(asked))).astype("float32")


def _own(document: str, part: str) -> str:
    """A part as one document's ("Benefits" of report.md#1a2b): a question asking for it by that document's
    words favours that document's passages of it, not another's of the same title."""
    return f"{document}\x1f{part}"


def asked_parts(question: str, parts: Sequence[str], has_contact: np.ndarray, intents: dict[str, str]) -> np.ndarray:
    """1 for each passage of the part of a model (or with the contact details) the question asks for, else 0."""
    text = question.lower()
    asked = np.zeros(len(parts), dtype="float32")
    parts = np.asarray(parts, dtype=object)
    for part, pattern in intents.items():
        if re.search(pattern, text):
            asked += parts == part
    if re.search(CONTACT_INTENT, text):
        asked += has_contact.astype("float32")
    return asked


def intent_prior(
    question: str, parts: Sequence[str], has_contact: np.ndarray, about: np.ndarray, intents: dict[str, str]
) -> np.ndarray:
    """1 for each passage whose part (or contact details, or account of the report itself) the question
    asks for, else 0."""
    prior = asked_parts(question, parts, has_contact, intents)
    if re.search(ABOUT_INTENT, question.lower()):
        prior += about.astype("float32")
    return prior
