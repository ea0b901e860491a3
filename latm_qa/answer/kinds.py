"""What kind of answer a question asks for, read from its wording alone (no report knowledge).

- "money", "percentage", "rate": a figure of that kind ("How much did the council save?", figures.py);
- "figure": the size of a change, in any unit ("How far did unemployment fall?");
- "count": a number of things ("How many staff ...?", counts.py);
- "date": a time ("When ...?", "In what year ...?", "By when ...?");
- "duration": a length of time ("How long ...?", "Over how many years ...?");
- "contact": whom to get in touch with ("Who should I speak to ...?", an e-mail);
- "who": a person or body ("Who commissioned ...?", "Which organisation ...?");
- "place": where ("Where ...?", "In which county ...?");
- "other": anything else ("Why ...?", "What does ... mean?").

The kind decides which sentence is the short answer: one holding a figure, date or name of the asked
kind wins over its neighbour that only speaks of the subject.
"""

from __future__ import annotations

import re

from ..retrieve.prior import CONTACT_INTENT
from .counts import counted_thing
from .figures import asked_figure

_DURATION = re.compile(r"\bhow\s+long\b|\b(?:over|for)\s+how\s+many\s+(?:years|months|weeks)\b", re.I)
_DATE = re.compile(
    r"^\s*when\b|\bwhen\s+(?:did|does|do|was|were|is|will|are|has|had|should|must|can|could)\b"
    r"|\b(?:what|which)\s+(?:year|month|date|day|time)\b|\bby\s+when\b|\bhow\s+soon\b|\bwhat\s+deadline\b",
    re.I,
)
_WHO = re.compile(
    r"^\s*(?:who|whom)\b|\bwho\s+(?:is|was|are|were|did|does|do|will|has|have|had|should|can|wrote|led|leads|runs|"
    r"ran|commissioned|published|carried|set|chaired|pays|paid|funds|funded|decides|sets)\b"
    r"|\b(?:which|what)\s+(?!(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should)\b)(?:\w+\s+)?"
    r"(?:organi[sz]ations?|bod(?:y|ies)|compan(?:y|ies)|firms?|councils?|"
    r"authorit(?:y|ies)|departments?|agenc(?:y|ies)|partners?|providers?|people|person|minister|secretary|team|"
    r"think[- ]tank|charit(?:y|ies))\b",
    re.I,
)
_PLACE = re.compile(r"^\s*where\b|\bwhere\s+(?:is|was|are|were|did|does|do|will|can)\b"
                    r"|\bin\s+(?:which|what)\s+(?:county|region|city|town|area|country|place)\b", re.I)

# what a body earned, saved or spent, asked without "how much": "What did the council earn from ...?"
_EARNED = re.compile(
    r"\bwhat\s+(?:did|does|do|will|would|has|have|could|can)\s+(?:\w+\s+){1,5}?"
    r"(?:earn|save|spend|raise|make|generate|bring\s+in|cost|receive|get|lend|borrow|invest)s?\b(?!\s+of\b)", re.I)
# sums named without "how much": "What savings were the contracts expected to deliver?"
_SUMS = re.compile(r"\bwhat\s+(?:\w+\s+){0,2}?(?:savings|income|revenue|funding|costs?|returns?|budget|spending)\b"
                   r"(?!\s+(?:model|approach|strateg\w*|plan|pressures?|challenges?)\b)", re.I)
# a change asked for by its size: "How far did youth unemployment fall?", "By how much did it grow?"
_CHANGE = re.compile(
    r"\bby\s+how\s+much\b|\bhow\s+(?:far|fast|much)\s+(?:did|has|have|had|will|would|is|was|were|does|do)\b"
    r"(?:\W+\w+){0,8}?\W+(?:fall|fell|fallen|rise|rose|risen|grow|grew|grown|increase\w*|decrease\w*|drop\w*|"
    r"reduc\w*|cut|improv\w*|declin\w*)\b", re.I)
# an amount of any unit: "How much did the county make from trading?"
_HOW_MUCH = re.compile(r"\bhow\s+much\b(?!\s+(?:of|time|longer)\b)", re.I)
KINDS = ("money", "percentage", "rate", "figure", "count", "date", "duration", "contact", "who", "place", "other")
FIGURE_KINDS = ("money", "percentage", "rate", "figure", "count", "duration")


def answer_kind(question: str) -> str:
    """The kind of answer the question asks for: one of KINDS (the first rule that holds, in this order)."""
    if re.search(CONTACT_INTENT, question.lower()):
        return "contact"
    figure = asked_figure(question) or ("money" if _EARNED.search(question) or _SUMS.search(question) else "")
    if figure:
        return figure
    if counted_thing(question) and not _CHANGE.search(question):
        return "count"
    rules = ((_CHANGE, "figure"), (_HOW_MUCH, "figure"), (_DURATION, "duration"), (_DATE, "date"), (_WHO, "who"),
             (_PLACE, "place"))
    return next((kind for pattern, kind in rules if pattern.search(question)), "other")


# The form of answer a question needs: one sentence, or a few drawn together (compose.py).
_SIDES = (
    r"(?P<a>pros|advantages|benefits|strengths|upsides?|opportunities|positives)\s+and\s+"
    r"(?P<b>cons|disadvantages|challenges|risks|drawbacks|weaknesses|downsides?|costs|threats|negatives|problems)"
)
_TWO_SIDED = re.compile(rf"\b{_SIDES}\b", re.I)
_COMPARE = re.compile(
    r"\b(?:compare|comparing|contrast|differences?\s+between|differ(?:s|ent)?\s+from)\s+(?:the\s+)?"
    r"(?P<a>[\w' -]+?)\s+(?:and|with|to|from|vs\.?|versus)\s+(?:the\s+)?(?P<b>[\w' -]+?)\s*(?:models?|approach(?:es)?)?"
    r"\s*[?.!]?\s*$",
    re.I,
)
_PLURALS = (
    r"benefits|advantages|disadvantages|challenges|risks|drawbacks|barriers|problems|issues|features|"
    r"characteristics|principles|steps|stages|elements|lessons|priorities|objectives|aims|goals|reasons|"
    r"ways|options|services|functions|areas|types|kinds|examples|components|outcomes|actions|measures|"
    r"recommendations|requirements|criteria|factors|things|tasks|activities|responsibilities|roles|duties"
)
_LIST = re.compile(
    rf"\b(?:what|which)\s+(?:are|were|will\s+be)?\s*(?:the\s+|some\s+(?:of\s+the\s+)?|its\s+|their\s+)?"
    rf"(?:\w+\s+){{0,2}}(?:{_PLURALS})\b|\b(?:list|name)\s+(?:the|all|some)\b|\bwhat\s+(?:\w+\s+){{0,3}}include\b",
    re.I,
)
_DEFINITION = re.compile(
    r"^\s*what\s+(?:is|are)\s+(?:an?\s+)?(?P<thing>[\w' -]+?)\s*\??\s*$"
    r"|\bwhat\s+(?:does|do)\s+.+\bmean\b|\bwhat\s+is\s+meant\s+by\b|^\s*(?:define|explain)\b",
    re.I,
)
# words that make "what is ..." ask about something other than a meaning ("what is the council trying to do")
_NOT_DEFINED = frozenset("the of for in on at by to from with about this that its their it they trying doing".split())
_MOST = re.compile(r"^\s*which\b.*\b(?:most|largest|biggest|highest|greatest|lowest|fewest|least|best)\b", re.I)
_PLAIN = {"pros": "advantages", "cons": "disadvantages", "upside": "benefits", "upsides": "benefits",
          "downside": "drawbacks", "downsides": "drawbacks", "positives": "benefits", "negatives": "drawbacks"}
FORMS = ("single", "list", "definition", "two_sided", "comparison", "most")


def answer_form(question: str) -> str:
    """How much answer the question needs: "single" (a sentence: most questions), "list" ("What are the
    benefits of ...?"), "definition" ("What is a combined authority?"), "two_sided" ("pros and cons of
    ..."), "comparison" ("Compare grants and loans"), "most" ("Which council saved the most?")."""
    rules = ((_TWO_SIDED, "two_sided"), (_COMPARE, "comparison"), (_MOST, "most"), (_LIST, "list"))
    form = next((form for pattern, form in rules if pattern.search(question)), "")
    if form:
        return form
    match = _DEFINITION.search(question)
    if match and not (match.group("thing") and _NOT_DEFINED & set(match.group("thing").lower().split())):
        return "definition"
    return "single"


def parts(question: str) -> list[str]:
    """The questions a two-sided or comparing question is made of: "pros and cons of sharing services" ->
    ["pros of sharing services", "cons of sharing services"]; "compare grants and loans" ->
    ["what is grants", "what is loans"]; [] for any other question."""
    match = _TWO_SIDED.search(question)
    if match:
        before, after = question[: match.start()], question[match.end() :]
        sides = [_PLAIN.get(match.group(side).lower(), match.group(side)) for side in "ab"]
        return [f"{before}{side}{after}" for side in sides]
    match = _COMPARE.search(question)
    if match:
        return [f"What is {match.group('a').strip()}?", f"What is {match.group('b').strip()}?"]
    return []
