"""Reading a question in its conversation: whether it leans on the turn before, and what it is then about.

- A question that **refers back** ("Who do I contact about that?", "How much did it save?", "Who should I
  speak to there?") names no subject of its own and leans on a pronoun: it is searched with the previous
  turn's subject added: the council, case study, box or part the previous answer came from (or that the
  previous question named), so an officer never gets another council's e-mail.
- An **ellipsis** ("And Southtown?", "What about year 4?", "Same for the DWP?") keeps the previous
  question's aspect and swaps its subject: "How much did Northshire save?" then "And Southtown?" is
  searched as "How much did Southtown save?". A topic in small letters never stands in for a name: after
  "What should Year 6 pupils learn about ratio?", "And algebra?" swaps the topic ("... learn about
  algebra?") and keeps "Year 6".
- Any other question **stands alone** and is searched as typed, however short ("savings"), whatever its
  capitals ("What did councils do about IT problems?": "IT" is no pronoun), and whatever "this" or
  "that" it uses in passing ("Is it true that ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import DATED, QUESTION_STOP_WORDS, strip_number
from ..types import Passage

_OPENER = re.compile(
    r"^\s*(?:and\s+(?:what|how)\s+about|what\s+about|how\s+about|same\s+for|same\s+question\s+for|"
    r"and\s+also|and|also|plus)\b[\s,:]*",
    re.I,
)
_ASKS = re.compile(r"\b(?:what|how|who|whom|whose|when|where|why|which|is|are|was|were|did|does|do|can|could|"
                   r"should|will|would|has|have|had|tell|list|show|give|explain|describe)\b", re.I)
# pronouns that lean on the turn before; "there" only where it is a place ("speak to there")
_PRONOUNS = frozenset("it its it's they them their theirs he she him his her hers".split())
_POSSESSIVES = frozenset("its their his her".split())
_THERE = re.compile(r"\b(?:there|that|this|those|these)\s*[?.!]*\s*$|\b(?:in|from|at|to|with|for)\s+there\b", re.I)
_DEMONSTRATIVE = re.compile(
    r"\b(?:that|this|these|those)\s+(?:council|authority|scheme|model|approach|project|programme|partnership|"
    r"service|company|case|example|box|table|section|chapter|policy|measure|plan|year|group|body|area|one|figure)s?\b",
    re.I,
)
# "that" or "this" as the subject: "How has that changed?", "Why is this better?"
_SUBJECT_DEMONSTRATIVE = re.compile(
    r"\b(?:how|why|when|where|what|is|was|does|did|has|have|will|can|would)\s+(?:(?:has|is|was|does|did|will)\s+)?"
    r"(?:that|this)\b(?!\s+(?:the|a|an|report|document|paper|study|publication|plan|handbook|book)\b)", re.I)
_EXISTENTIAL = re.compile(r"\b(?:is|are|was|were|be|been)\s+(?:there|it)\b|\bthere\s+(?:is|are|was|were|be)\b", re.I)
_NAME = re.compile(r"(?<=\S )((?:[A-Z][\w'’&.-]*|of|and|the|for)(?:\s+(?:[A-Z][\w'’&.-]*|of|and|the|for))*)")
_NUMBERED = re.compile(r"\b(?:year|years|key\s+stage|stage|table|chart|box|annex|chapter|part|section|objective|"
                       r"figure)\s+(?:\d[\w.]*|(?-i:[A-Z])(?:\.\d+)*\b)", re.I)
# a prepositional phrase's object, up to the next preposition or the question's end: the topic an ellipsis in
# small letters swaps ("learn about ratio" -> "learn about algebra")
_TOPIC = re.compile(
    r"\b(?:about|on|into|in|for|of|to|with|towards|from)\s+(?:(?:the|a|an)\s+)?"
    r"([\w'’&-]+(?:\s+[\w'’&-]+){0,4}?)"
    r"(?=\s+(?:about|on|into|in|for|of|to|with|from|by|since|during|over|per|between)\b|\s*[?.!(]|\s*$)", re.I)
_PREPOSITION = re.compile(r"^(for|in|at|on|by|from|with|under|over|during|per|after|before)\s+\S", re.I)


@dataclass(frozen=True)
class Reading:
    """How a question was read in its conversation: what is searched, why, and the subject carried over."""

    query: str
    kind: str = "standalone"  # "standalone", "refers_back" or "ellipsis"
    subject: str = ""  # what the turn is about, for the next one to carry: named, carried over or swapped in


def _same_kind(old: str, new: str) -> bool:
    """Whether a new subject can stand in the old one's place: a numbered part for a numbered part ("year 6"
    for "year 3", "key stage 3" for "year 6"); anything else for anything but a numbered part ("Southtown"
    for "Northshire", "grant schemes" for "Loan schemes")."""
    old_numbered, new_numbered = _NUMBERED.fullmatch(old), _NUMBERED.fullmatch(new)
    if old_numbered or new_numbered:
        return bool(old_numbered and new_numbered)
    return True


def _proper(text: str) -> bool:
    """Whether a phrase is a name: every word of substance capitalised or an acronym ("DWP", "National Living
    Wage", "A&E"); "algebra", "people from ethnic minorities" and "Social care and the NHS" are not."""
    words = [w for w in re.findall(r"[\w'’&.-]+", text) if w.lower() not in ("of", "and", "the", "for", "&")]
    return bool(words) and all(w[0].isupper() for w in words)


def _topic(query: str, keep: set[str]) -> re.Match | None:
    """The last prepositional object of a question that is no date, number, numbered part, name or pronoun,
    and does not hold a subject to keep: what an ellipsis in small letters stands in for."""
    body = re.sub(r"\s*\([^()]*\)\s*$", "", query)  # not a subject a refers-back reading appended
    for match in reversed(list(_TOPIC.finditer(body))):
        topic = match.group(1)
        words = topic.lower().split()
        if (DATED.fullmatch(topic) or _NUMBERED.search(topic) or re.search(r"\d", topic) or _proper(topic)
                or words[0] in _PRONOUNS or words[0] in QUESTION_STOP_WORDS
                or any(k and k.lower() in topic.lower() for k in keep)):
            continue
        return match
    return None


def named_subject(question: str) -> str:
    """What a question names as its subject: a run of capitalised words after its first word ("North
    Kesteven", "DWP", "Local Enterprise Partnership"), or a numbered part ("year 6", "Table 2.4"); "" for
    none. "IT" as an acronym counts as a name only beside other capitals."""
    numbered = _NUMBERED.search(question)
    if numbered:
        return numbered.group(0)
    for match in _NAME.finditer(question):
        words = match.group(1).split()
        while words and words[-1].lower() in ("of", "and", "the", "for"):
            words.pop()
        while words and words[0].lower() in ("of", "and", "the", "for"):
            words.pop(0)
        if words and words != ["IT"] and words != ["I"]:
            return re.sub(r"(?:['’]s?)?[?.!,;:]*$", "", " ".join(words))
    return ""


def leans_back(question: str) -> bool:
    """Whether the question leans on a pronoun for its subject: "it", "they", "there", "that scheme". A
    possessive after a noun of the question's own is bound to it ("Which council trains its staff?")."""
    words = re.findall(r"[\w'’]+", question)
    plain = [w.lower() for w in words if not (w.isupper() and len(w) > 1)]  # "IT" is an acronym, not "it"
    leaning = set()
    for i, word in enumerate(plain):
        if word in _POSSESSIVES and any(w not in QUESTION_STOP_WORDS and w not in _PRONOUNS for w in plain[:i]):
            continue
        if word in _PRONOUNS:
            leaning.add(word)
    if _EXISTENTIAL.search(question) and not leaning - {"it"}:
        return bool(_THERE.search(question) and not re.search(r"\bthere\s*[?.!]*\s*$", question, re.I))
    return bool(leaning or _THERE.search(question) or _DEMONSTRATIVE.search(question)
                or _SUBJECT_DEMONSTRATIVE.search(question))


def only_parts(question: str, repeated: frozenset[str] | set[str]) -> bool:
    """Whether the question's only words of substance name a part every section of its kind has ("What are
    the benefits?", "Key questions?"): it asks for that part of the subject before."""
    content = [w for w in re.findall(r"[\w'’-]+", question.lower()) if w not in QUESTION_STOP_WORDS
               and w not in ("main", "key", "some", "any", "other", "more", "about", "tell", "me", "list")]
    return bool(content) and " ".join(content) in repeated | {t.split()[-1] for t in repeated}


def passage_subject(passage: Passage, repeated: frozenset[str] | set[str]) -> str:
    """What a passage is about, as a subject a follow-up can carry: its most specific heading that is not a
    repeated part ("Benefits", "Case studies", "Notes and guidance", see repeated_titles), without number or
    dates."""
    for title in reversed(passage.heading_path):
        plain = DATED.sub("", strip_number(title)).strip()
        if plain and plain.lower() not in repeated:
            return plain
    return passage.section_title


def read_question(question: str, repeated: frozenset[str] | set[str], previous_query: str = "",
                  previous_subject: str = "", previous_top: Passage | None = None) -> Reading:
    """How to search a question given the turn before (its searched query, the subject it named or carried,
    and its first card's passage); ``repeated``: the report's repeated heading titles (repeated_titles)."""
    question = question.strip()
    if not previous_query and previous_top is None:
        return Reading(question, subject=named_subject(question))
    opener = _OPENER.match(question)
    rest = question[opener.end():].strip() if opener else question
    if opener and rest and not _ASKS.search(rest) and len(rest.split()) <= 6:  # "And Southtown?"
        prep = _PREPOSITION.match(rest)
        phrase = prep and list(re.finditer(rf"\b{prep.group(1)}\s+[^?]*", previous_query, re.I))
        if phrase:  # "And for pensions?" after "Who is the lead minister for employment?"
            last = phrase[-1]
            query = previous_query[: last.start()] + rest.rstrip("?.! ") + previous_query[last.end():]
            return Reading(query, "ellipsis", named_subject(rest) or rest.rstrip("?.! "))
        if leans_back(rest):  # "And its benefits?": a question of its own, on the previous subject
            return _carried(rest, previous_query, previous_subject, previous_top, repeated)
        new = re.sub(r"^(?:at|in|for|on|with|to|the)\s+", "", rest.rstrip("?.! "), flags=re.I)
        olds = [s for s in (previous_subject, named_subject(previous_query)) if s]
        old = next((s for s in olds if re.search(re.escape(s), previous_query, re.I) and _same_kind(s, new)), "")
        # a topic in small letters stands in for the previous topic, not for a name ("And algebra?" after
        # "What should Year 6 pupils learn about ratio?"), unless the question has no other topic; a name
        # never stands in for a topic (the question is then read about it, or on its own words, below)
        topic = _topic(previous_query, set(olds)) if not _proper(new) and (not old or _proper(old)) else None
        if topic and prep:  # "And per contract?" after "What should a state spend on a whole project?"
            query = previous_query[: topic.start()] + rest.rstrip("?.! ") + previous_query[topic.end():]
        elif topic:  # "And algebra?" after "What should Year 6 pupils learn about ratio?"
            query = previous_query[: topic.start(1)] + new + previous_query[topic.end(1):]
        elif old:
            query = re.sub(re.escape(old), new, previous_query, count=1, flags=re.I)
        elif previous_subject and previous_query.startswith(f"{previous_subject}: "):  # the last ellipsis's
            query = f"{new}: {previous_query[len(previous_subject) + 2:]}"
        else:
            query = f"{new}: {previous_query}"
        return Reading(query, "ellipsis", new)
    if named_subject(question) or not (leans_back(question) or only_parts(question, repeated)):
        return Reading(question, subject=named_subject(question))
    return _carried(question, previous_query, previous_subject, previous_top, repeated)


def _carried(question: str, previous_query: str, previous_subject: str, previous_top: Passage | None,
             repeated: frozenset[str] | set[str]) -> Reading:
    """The question searched with the previous turn's subject added (its named or carried subject, else what
    its first card is about)."""
    subject = previous_subject or named_subject(previous_query)
    if not subject and previous_top is not None:
        subject = passage_subject(previous_top, repeated)
    if not subject or subject.lower() in question.lower():
        return Reading(question, subject=subject)
    return Reading(f"{question} ({subject})", "refers_back", subject)
