"""Figure questions: what kind of figure "how much ...", "what percentage ..." or "what rate ..." asks for,
and whether the best passages give one on what the question is about.

"How much did it cost to rebuild the website?" asks for a sum of money. Passages that give sums of money
only on other things (or none at all) do not answer it: a sentence answers only if it holds a figure of
the kind asked and a word of the question's topic ("rebuild", "website"). A table's cells count as
sums of money or percentages when its heading says so ("Table 1.7: Departmental Capital Budgets
(£ billion)"). "How many ..." is the count check's (counts.py); "by how much", "how much of" and "what
share" may be answered by any figure or a word ("half") and are not asked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text import QUESTION_STOP_WORDS, WORD, stem

# "how much" about money: a money word within a few words after it ("how much is the deal worth")
_MONEY_VERBS = (
    r"money|costs?|worth|spen[dt]\w*|fund\w*|revenue|income|invest\w*|pa(?:y|id|ying)|earn\w*|raise\w*|sav\w*|"
    r"budget|grants?|giv\w*|gave|allocat\w*|receiv\w*|get|got|price|charge\w*|fees?|put|putting"
)
_MONEY_QUESTION = re.compile(
    rf"(?<!\bby\s)\bhow\s+much\b(?!\s+(?:of|time|more|less|longer|faster)\b)(?:\W+\w+){{0,8}}?\W+(?:{_MONEY_VERBS})\b"
    r"|\bwhat\s+(?:is|was|will\s+be)\s+the\s+(?:\w+\s+){0,2}(?:amount|cost|price|fee)\b",
    re.I,
)
_PERCENTAGE_QUESTION = re.compile(r"\bwhat\s+(?:\w+\s+){0,2}(?:percentage|proportion|per\s?cent)\b", re.I)
_RATE_QUESTION = re.compile(r"\bwhat\s+(?:\w+\s+){0,3}(?:rate|growth)\b", re.I)

_MONEY = re.compile(r"[£$€]\s?\d|\d[\d,.]*\s*(?:bn|billion|million|m|k|p|pence|pounds?|dollars?|euros?)\b", re.I)
_PERCENTAGE = re.compile(
    r"\d[\d.]*\s*(?:%|per\s?cent|percent|percentage points?)|\b\d{1,2}\s?/\s?\d{1,3}\b"
    r"|\b(?:half|thirds?|quarters?|majority|one\s+in\s+\w+)\b",
    re.I,
)
_MONEY_UNITS = re.compile(r"[£$€]|\b(?:billion|million|pounds|dollars)\b", re.I)
_PERCENTAGE_UNITS = re.compile(r"%|\bper\s?cent\b|\bpercent(?:age)?\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])(?!(?:19|20)\d\d\b)\d[\d,.]*(?![\w])")  # no year
TABLE_ROW = 3  # bare numbers from which a sentence is a table's row, its unit given by its caption or heading
# words that ask for the figure rather than say what it is of
_FIGURE_WORDS = frozenset(
    "much money cost costs worth spend spending spent funding fund funds revenue income invest investment pay paid "
    "earn raise save savings budget grant give gave allocate receive get got price charge fee amount value figure "
    "dollar cash pound percentage proportion per cent percent share rate growth will be expected expect planned "
    "plan new total full year each".split()
)
# the figure words a heading may name as a topic of its own ("Costs", "Percentages", "Interest rates")
_NAMED_FIGURES = frozenset("cost costs worth funding revenue income investment savings price fee amount value "
                           "percentage proportion rate growth".split())
FIGURE_LABELS = {"money": "sum of money", "percentage": "percentage", "rate": "rate"}


def asked_figure(question: str) -> str:
    """The kind of figure the question asks for: "money", "percentage" or "rate" (a percentage or a sum
    of money: "what interest rate", "what GDP growth"), else ""."""
    if _PERCENTAGE_QUESTION.search(question):
        return "percentage"
    if _RATE_QUESTION.search(question):
        return "rate"
    return "money" if _MONEY_QUESTION.search(question) else ""


def gives_figure(kind: str, sentence: str, context: str = "") -> bool:
    """Whether a sentence holds a figure of the kind: for a percentage, a percentage or fraction ("4%",
    "1/4", "half"); for a sum of money or a rate, a sum ("£7 million", "$1.2 billion") or a percentage, as
    a sum asked for may be given as a share ("how much were grants cut?": "by more than 35 percent").
    A table's row of bare numbers counts when its ``context`` (heading path and passage, with the table's
    caption) gives the unit ("Table 1.7: Departmental Capital Budgets (£ billion)")."""
    row = len(_NUMBER.findall(sentence)) >= TABLE_ROW
    share = bool(_PERCENTAGE.search(sentence) or (row and _PERCENTAGE_UNITS.search(context)))
    if kind == "percentage" or share:
        return share
    return bool(_MONEY.search(sentence) or (row and _MONEY_UNITS.search(context)))


def topic_stems(question: str) -> set[str]:
    """The stems of what the question asks about: its words less question words, stop words, the words
    that ask for a figure ("how much ... cost"), numbers and years."""
    words = [w.lower() for w in WORD.findall(question)]
    return {stem(w) for w in words if w not in QUESTION_STOP_WORDS and w not in _FIGURE_WORDS and not w[0].isdigit()}


def unfigured(kind: str, question: str, sentences: Iterable[tuple[str, str, str]]) -> bool:
    """Whether none of the sentences (each with its passage's heading path and text) gives a figure of the kind
    together with a word of the question's topic. A question with no topic words decides nothing, nor
    one whose figure word heads the passages, a topic there rather than a figure asked for ("What
    percentage equivalents do pupils learn?" under "Fractions (including decimals and percentages)")."""
    topic = topic_stems(question)
    sentences = list(sentences)
    asked = {stem(w) for w in WORD.findall(question.lower()) if w in _NAMED_FIGURES}
    headings = {stem(w) for _, heading, _ in sentences for w in WORD.findall(heading.lower())}
    if not topic or asked & headings:
        return False
    for sentence, heading, passage in sentences:
        said = {stem(w) for w in WORD.findall(sentence.lower())}
        if topic & said and gives_figure(kind, sentence, f"{heading}\n{passage}"):
            return False
    return True
