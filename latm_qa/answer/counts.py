"""Counting questions: what "how many ..." asks to count, and what a sentence's figures count.

"How many staff work in Lancashire's traded services?" counts staff. Passages that speak of staff but never
put a count next to them (or to a word meaning the same) do not answer it: a count is "a team of 40
staff", "1,400 local jobs", "over 1,100 of Gateshead's most severely affected families", "the number of
street drinkers has reduced from 36 to 4". A sum of money, a percentage or a year counts nothing:
"£1.4 million in Rutland. A new staffing structure" is no count of staff. Passages that never speak
of the thing say nothing either way: the question may call it by another name ("posts" for "jobs").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..text import POSSESSIVE, WORD, YEAR, stem

_WORD = re.compile(r"\d[\d,.]*\d|[\w'’-]+|£|%")
# Words that end the thing counted ("how many staff | work in ...") and are never counted themselves.
_GLUE = frozenset(
    "a an the of in on at by for to from with and or that which who whose its their his her it they there this "
    "these those is are was were be been being did do does has have had will would can could should may might "
    "get gets got sit sits work works".split()
)
_PLURALS = frozenset("staff people children personnel workforce police".split())  # plurals without an "s"
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred hundreds thousand thousands dozen dozens million millions"
)
_COUNT = re.compile(rf"^(?:\d[\d,.]*|{'|'.join(_NUMBER_WORDS.split())})$", re.I)
_NOT_A_COUNT_AFTER = frozenset({"%", "percent", "per", "pc"})  # "30 percent", "30 per cent"
REACH = 6  # words either side of a count that it may count: "1,100 of Gateshead's most severely affected families"


def _words(text: str) -> list[str]:
    return [POSSESSIVE.sub("", w) for w in _WORD.findall(text.lower())]


def counted_thing(question: str) -> str:
    """What a "how many" question counts, as typed ("staff", "community champions"); "" for any other
    question. Up to three words, to the first that only joins ("how many staff | work in ..."): a verb
    may remain ("councils share"), so any of the words may be the thing."""
    match = re.search(r"\bhow\s+many\s+(.+)", question, re.I)
    if not match:
        return ""
    words: list[str] = []
    for word in WORD.findall(match.group(1)):
        if word.lower() in _GLUE or len(words) == 3:
            break
        words.append(word)
        if word.lower().endswith("s") or word.lower() in _PLURALS:
            break
    return " ".join(words)


def counted_words(sentence: str) -> set[str]:
    """The words a sentence's counts may count: those up to REACH words either side of each count. A count
    is a number or number word that is no sum of money, percentage or year, and not the tail of one
    ("£1.4 million": "million" counts nothing)."""
    words = _words(sentence)
    out: set[str] = set()
    for i, word in enumerate(words):
        if not _COUNT.match(word) or YEAR.match(word):
            continue
        before = words[i - 1] if i else ""
        if before == "£" or _COUNT.match(before):
            continue
        if i + 1 < len(words) and words[i + 1] in _NOT_A_COUNT_AFTER:
            continue
        near = words[max(0, i - REACH) : i] + words[i + 1 : i + 1 + REACH]
        out.update(w for w in near if w not in _GLUE and not _COUNT.match(w) and w != "£")
    return out


def uncounted(thing: str, sentences: Iterable[str], similar: Callable[[str, list[str]], bool]) -> bool:
    """Whether the sentences speak of the thing (a word of it, by stem) but never count it: no count next
    to a word of it, or to a word ``similar`` says means the same ("employees" for "staff")."""
    sentences = list(sentences)
    head = _words(thing)[-1]
    asked = stem(head)
    if not any(stem(w) == asked for s in sentences for w in _words(s)):
        return False
    words = sorted(set().union(*(counted_words(s) for s in sentences)))
    if any(stem(w) == asked for w in words):
        return False
    return not (words and similar(head, words))
