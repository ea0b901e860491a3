"""Acronyms in questions: the report's acronyms and their long forms, read both ways.

A question may use an acronym the report spells out ("LGA" for the Local Government Association),
spell out one the report uses ("London Borough Council" for LBC), type one in lower case ("lga"), or
use one the report never mentions ("TUPE"), which the search reports as not in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import cache
from importlib import resources

from ..text import QUESTION_STOP_WORDS, WORD

_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
_MINOR = {"of", "and", "the", "for", "in", "on", "to", "&"}
# words a sentence may capitalise that are never names, and acronyms spelt like them ("IT", "US")
FUNCTION_WORDS = QUESTION_STOP_WORDS | frozenset(
    "i we our ours us you your yours he him his she her hers me my mine them those any all each every some "
    "please hi hello also so yet".split()
)


def _initials(words: list[str]) -> str:
    """Initials of the significant words, hyphenated parts counted apart ("arm's-length" -> AL)."""
    parts = [part for w in words if w.lower() not in _MINOR for part in w.split("-") if part]
    return "".join(part[0] for part in parts).upper()


def _same_phrase(a: str, b: str) -> bool:
    return re.sub(r"[\s-]+", " ", a).casefold() == re.sub(r"[\s-]+", " ", b).casefold()


def acronym_table(texts: list[str]) -> dict[str, str]:
    """Acronyms the report uses or could stand for, mapped to long forms found in the report.

    From explicit definitions ("arm's-length management organisation (ALMO)") and from title-case
    phrases whose initials spell an acronym ("Local Government Association" -> LGA).
    """
    table: dict[str, str] = {}
    for text in texts:
        for match in re.finditer(r"((?:[\w'’-]+\s+){1,6}?)\(([A-Z]{2,6})\)", text):
            acronym, words = match.group(2), match.group(1).split()
            for start in range(len(words)):
                if _initials(words[start:]) == acronym:
                    table.setdefault(acronym, " ".join(words[start:]))
                    break
        for match in re.finditer(r"\b[A-Z][\w'’-]*(?:\s+(?:of|and|the|for|&)?\s*[A-Z][\w'’-]*){1,5}", text):
            words = match.group(0).split()
            for start in range(len(words) - 1):
                for end in range(start + 2, len(words) + 1):
                    phrase = words[start:end]
                    if phrase[0].lower() in _MINOR or phrase[-1].lower() in _MINOR:
                        continue
                    table.setdefault(_initials(phrase), " ".join(phrase))
    return table


@cache
def common_acronyms() -> dict[str, tuple[str, ...]]:
    """Acronyms of public-sector writing and their usual long forms (data/acronyms.tsv): "BME" for
    "black and minority ethnic" or "ethnic minority"."""
    text = resources.files("latm_qa").joinpath("data/acronyms.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    return {acronym: tuple(form.strip() for form in forms.split("|")) for acronym, forms in rows}


def spelt_out(texts: list[str]) -> dict[str, str]:
    """The common acronyms the report writes only in words ("ethnic minority" for BME), mapped to the long
    form it uses: a question's "BME" is then the report's, not a name it never mentions."""
    joined = re.sub(r"\s+", " ", " ".join(texts)).casefold()
    found = {}
    for acronym, forms in common_acronyms().items():
        form = next((f for f in forms if re.search(rf"(?<!\w){re.escape(f.casefold())}(?!\w)", joined)), None)
        if form:
            found[acronym.upper()] = form
    return found


def report_acronyms(texts: list[str]) -> set[str]:
    """Acronyms written in upper case in the report (ALMO, LBC, ICT)."""
    return {m for text in texts for m in re.findall(r"\b[A-Z]{2,6}\b", text)}


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
            if phrase[0].lower() in _MINOR or phrase[-1].lower() in _MINOR:
                continue
            acronym = _initials(phrase)
            capitalised = all(w[0].isupper() for w in phrase if w.lower() not in _MINOR)
            # a lower-case phrase counts only as the report's own long form ("carried it out" is not CIO)
            defined = _same_phrase(table.get(acronym, ""), " ".join(phrase))
            if acronym in acronyms and (capitalised or defined) and acronym not in question:
                extra.append(acronym)
    return question if not extra else f"{question} ({'; '.join(dict.fromkeys(extra))})"
