"""Acronyms in questions: the report's acronyms and their long forms, read both ways.

A question may use an acronym the report spells out ("LGA" for the Local Government Association),
spell out one the report uses ("London Borough Council" for LBC), type one in lower case ("lga"), or
use one the report never mentions ("TUPE"), which the search reports as not in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from ..build.lexicon import MINOR, initials
from ..text import QUESTION_STOP_WORDS, WORD

_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
# words a sentence may capitalise that are never names, and acronyms spelt like them ("IT", "US")
FUNCTION_WORDS = QUESTION_STOP_WORDS | frozenset(
    "i we our ours us you your yours he him his she her hers me my mine them those any all each every some "
    "please hi hello also so yet".split()
)


def _same_phrase(a: str, b: str) -> bool:
    return re.sub(r"[\s-]+", " ", a).casefold() == re.sub(r"[\s-]+", " ", b).casefold()


def _acronyms_in(question: str) -> list[str]:
    """The acronyms a question uses, each once, plurals made singular ("LEPs" -> LEP)."""
    return list(dict.fromkeys(re.sub(r"(?<=[A-Z]{2})s$", "", m.group(0)) for m in _ACRONYM.finditer(question)))


def unknown_acronyms(
    question: str, vocabulary: set[str], table: dict[str, str], is_whole_word: Callable[[str], bool]
) -> list[str]:
    """Acronyms the report neither uses nor spells out, and the embedder does not know as a word
    ("TUPE"; not "NHS", which it knows, nor "LGA", the report's "Local Government Association"), nor
    spelt like a pronoun or another function word ("IT", "US"). A question typed all in upper case has no
    acronyms to tell apart."""
    if question.upper() == question:
        return []
    return [
        acronym
        for acronym in _acronyms_in(question)
        if acronym.lower() not in vocabulary | FUNCTION_WORDS and acronym not in table
        and not is_whole_word(acronym.lower())
    ]


def recase_acronyms(question: str, acronyms: Collection[str], is_whole_word: Callable[[str], bool]) -> str:
    """In a question typed all in lower case, the report's acronyms written as acronyms ("has the lga
    published…" -> "LGA"): words of three letters or more that spell one and are no word the embedder
    knows ("ict" and "hr" are left, as the embedder reads them whole)."""
    if any(ch.isupper() for ch in question):
        return question

    def recase(match: re.Match[str]) -> str:
        word = match.group(0)
        return word.upper() if word.upper() in acronyms and not is_whole_word(word) else word

    return re.sub(r"\b[a-z]{3,6}\b", recase, question)


def expand_acronyms(question: str, table: dict[str, str], vocabulary: set[str], acronyms: set[str]) -> str:
    """Add the report's long form after an acronym the report does not use ("LGA"), and the
    report's acronym after a long form it abbreviates ("London Borough Council" -> "LBC")."""
    extra = [table[a] for a in _acronyms_in(question) if a.lower() not in vocabulary and a in table]
    # a long form never runs across punctuation ("Calderdale, Cumbria" is two names, not "CC")
    runs = [WORD.findall(run) for run in re.split(r"[,;:.?!()/\"“”]", question)]
    for words in runs:
        for start, end in [(s, e) for s in range(len(words)) for e in range(s + 2, min(len(words), s + 6) + 1)]:
            phrase = words[start:end]
            if phrase[0].lower() in MINOR or phrase[-1].lower() in MINOR:
                continue
            acronym = initials(phrase)
            capitalised = all(w[0].isupper() for w in phrase if w.lower() not in MINOR)
            # a lower-case phrase counts only as the report's own long form ("carried it out" is not CIO)
            defined = _same_phrase(table.get(acronym, ""), " ".join(phrase))
            if acronym in acronyms and (capitalised or defined) and acronym not in question:
                extra.append(acronym)
    return question if not extra else f"{question} ({'; '.join(dict.fromkeys(extra))})"
