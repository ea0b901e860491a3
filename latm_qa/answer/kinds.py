"""What kind of answer a question asks for, read from its wording alone (no report knowledge).

- "money", "percentage", "rate": a figure of that kind ("How much did the council save?", figures.py);
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
    r"|\b(?:which|what)\s+(?:\w+\s+)?(?:organi[sz]ations?|bod(?:y|ies)|compan(?:y|ies)|firms?|councils?|"
    r"authorit(?:y|ies)|departments?|agenc(?:y|ies)|partners?|providers?|people|person|minister|secretary|team|"
    r"think[- ]tank|charit(?:y|ies))\b",
    re.I,
)
_PLACE = re.compile(r"^\s*where\b|\bwhere\s+(?:is|was|are|were|did|does|do|will|can)\b"
                    r"|\bin\s+(?:which|what)\s+(?:county|region|city|town|area|country|place)\b", re.I)

KINDS = ("money", "percentage", "rate", "count", "date", "duration", "contact", "who", "place", "other")
FIGURE_KINDS = ("money", "percentage", "rate", "count", "duration")


def answer_kind(question: str) -> str:
    """The kind of answer the question asks for: one of KINDS."""
    if re.search(CONTACT_INTENT, question.lower()):
        return "contact"
    figure = asked_figure(question)
    if figure:
        return figure
    if counted_thing(question):
        return "count"
    if _DURATION.search(question):
        return "duration"
    if _DATE.search(question):
        return "date"
    if _WHO.search(question):
        return "who"
    if _PLACE.search(question):
        return "place"
    return "other"
