"""Spelling: a misspelt word of a question read as the report's own word ("Lancashre" as
"Lancashire", "procurment" as "procurement", "Conucil" as "Council"), so a typo neither loses
the word for BM25 nor reads as a name the report never mentions (which would make the answer abstain).

Only words that cannot be right are touched. Kept as typed: a word the report uses, a UK place name
("Brent", "Leeds"), an acronym, a word under five letters (a four-letter name is read only as a
report name with a letter it lacks: "Wign" as "Wigan"), and a lower-case word the embedder knows
whole (an English word the report happens not to use: "lend", "cheaper") or a contraction typed
without its apostrophe ("wasnt", not "want"); a word starting upper-case inside a sentence is a name, so the
embedder knowing it proves nothing ("Boulton" for Bolton). The report's word must be one edit away
(a letter added, dropped or changed, or two letters swapped) with the same first letter, the only
one that near (or the commoner), not the same word by its stem ("outsourcer" is not put right to
"outsourced"), and not the typed word less an ending ("carer" is not "care") or, for a
name read as an ordinary word, a letter more or another ("Hardy" is not "hard", "Marsh"
is not "march"; "Conucil" is "Council", and a letter typed twice is a typo: "Housiing").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..places.gazetteer import ADDRESS
from ..text import stem
from .results import Correction

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_ENDS = ".!?:;\"“(‘'"  # an upper-case letter after one of these (or at the start) says nothing of a name
# a contraction typed without its apostrophe ("wasnt", "doesnt") is a word, not a typo of "want"
_CONTRACTION = re.compile(r"(?:is|was|are|were|do|does|did|has|have|had|ca|wo|could|would|should|must|need|might)nt")
MIN_LETTERS = 5
SUGGEST_LETTERS = 7
MAX_EDITS = 1  # most typos are one edit; two would read real words the report lacks as its own


def _doubled(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with one of its letters typed twice ("enablinng")."""
    return len(typed) == len(word) + 1 and any(
        typed[i] == typed[i - 1] and typed[:i] + typed[i + 1 :] == word for i in range(1, len(typed))
    )


@dataclass(frozen=True, eq=False)
class Speller:
    """The report's words (with counts and as written) and its names, for putting a question's typos right."""

    counts: dict[str, int]  # lower-cased report words: how often each occurs
    forms: dict[str, str]  # lower-cased report name -> as the report writes it ("kirklees" -> "Kirklees")
    known: Callable[[str], bool]  # a correctly spelt word the report need not use (the embedder's vocabulary)
    words: tuple[str, ...]  # what a typed word may be read as
    places: frozenset[str] = frozenset()  # lower-cased words of the places the gazetteer knows: kept as typed

    @classmethod
    def from_texts(
        cls,
        texts: Iterable[str],
        known: Callable[[str], bool] = lambda word: False,
        places: frozenset[str] = frozenset(),
    ) -> Speller:
        texts = [ADDRESS.sub(" ", text) for text in texts]
        found = [w for text in texts for w in (_POSSESSIVE.sub("", m) for m in _WORD.findall(text)) if w]
        counts = Counter(w.lower() for w in found)
        lower = {w for w in found if w.islower()}
        capitalised = Counter(w for w in found if w[0].isupper() and not w.isupper() and w.lower() not in lower)
        forms: dict[str, str] = {}
        for form, _ in capitalised.most_common():
            forms.setdefault(form.lower(), form)
        words = tuple(w for w in counts if len(w) >= MIN_LETTERS - 1)
        return cls(dict(counts), forms, known, words, places)

    def correct(self, question: str) -> tuple[str, tuple[Correction, ...]]:
        """The question with its misspelt words put right, and what was changed."""
        out, pos, changes = [], 0, []
        for match in _WORD.finditer(question):
            typed = _POSSESSIVE.sub("", match.group(0))
            before = question[: match.start()].rstrip()[-1:]
            name = typed[0].isupper() and before not in ("", *_SENTENCE_ENDS)
            meant = self._meant(typed, name)
            if meant:
                out += [question[pos : match.start()], meant]
                pos = match.start() + len(typed)
                changes.append(Correction(typed, meant))
        out.append(question[pos:])
        return "".join(out), tuple(dict.fromkeys(changes))

    def suggest(self, typed: str) -> str:
        """For a name the report never mentions, the report's name it may have meant, two edits away at most
        ("Lancshir" -> "Lancashire"): offered, not searched. "" when none, for a real UK place, and for
        a name under seven letters (two edits make "Marsh" anything: "Mark")."""
        word = typed.lower()
        if len(word) < SUGGEST_LETTERS or word in self.places:
            return ""
        found = process.extract(word, list(self.forms), scorer=OSA.distance, score_cutoff=2, limit=None)
        nearest = sorted((distance, -self.counts[w], w) for w, distance, _ in found if w[0] == word[0])
        if not nearest or (len(nearest) > 1 and nearest[0][:2] == nearest[1][:2]):
            return ""
        return self.forms[nearest[0][2]]

    def _meant(self, typed: str, name: bool) -> str:
        """The report's word a typed word was meant as, or "" to keep it as typed."""
        word = typed.lower()
        short = name and len(word) == MIN_LETTERS - 1  # "Wign": only a report name with its dropped letter back
        if (len(word) < MIN_LETTERS and not short) or typed.isupper() or word in self.counts or word in self.places:
            return ""
        if not name and (self.known(word) or _CONTRACTION.fullmatch(word)):
            return ""
        found = process.extract(word, self.words, scorer=OSA.distance, score_cutoff=MAX_EDITS, limit=None)
        # typos seldom hit the first letter ("Mason" is not "Jason"); the commoner report word wins
        ranked = sorted((-self.counts[w], w) for w, _, _ in found if w[0] == word[0])
        if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
            return ""  # nothing near, or two report words as near and as common: no telling which was meant
        choice = ranked[0][1]
        if stem(choice) == stem(word) and choice not in self.forms:
            return ""  # the same word to the search (BM25 stems both alike); a name must be the report's own
            # to pass the name check, so "Manchesteer" is still read as "Manchester"
        if not name and word.startswith(choice):
            return ""  # a report word with an ending added is likely a real word ("carer", not "care")
        if short and not (choice in self.forms and len(choice) > len(word)):
            return ""
        if (
            name and choice not in self.forms and len(word) >= len(choice)
            and sorted(word) != sorted(choice) and not _doubled(word, choice)
        ):
            # a name is read as an ordinary word only with a letter it lacks, two letters swapped ("Conucil") or
            # a letter typed twice ("Housiing"): with a letter more or another it is likely a name of its own
            # ("Hardy" not "hard", "Marsh" not "march")
            return ""
        if typed[0].isupper():
            return self.forms.get(choice, choice[:1].upper() + choice[1:])
        return choice
