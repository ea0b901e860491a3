"""Pasted text: an e-mail or a paragraph with a question in it, read for its question.

"Hi Sam, Following Tuesday's Cabinet meeting, Councillor Jones asked me to look into shared services.
Could you find out how much councils have saved by sharing a staffing structure? Thanks, Priya" asks
one thing. Its names ("Sam", "Jones", "Priya") say who is writing, not what is asked: the checks read the
question sentence only, and the search reads it too (with the sentence before it when the question is
short and leans on it: "Our IT contracts end in March. What did councils do about that?").
"""

from __future__ import annotations

import re

from ..text import word_count

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[A-Z0-9£\"“‘'(])")
_ASKING = re.compile(r"^(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|"
                     r"should|would|will|has|have|please|tell|list|explain|describe)\b", re.I)
PASTED_WORDS = 15  # from this many words, a text of several sentences is read as pasted
SHORT = 8  # a question sentence this short takes the sentence before it along


def asked_part(text: str) -> str:
    """The question a pasted text asks ("" for a plain question, which is read whole): its last sentence
    ending in "?", else its last sentence that opens as a question or request."""
    if word_count(text) < PASTED_WORDS:
        return ""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) < 2:
        return ""
    asking = [i for i, s in enumerate(sentences) if s.endswith("?")]
    asking = asking or [i for i, s in enumerate(sentences) if _ASKING.match(_opening(s))]
    if not asking:
        return ""
    last = asking[-1]
    question = _opening(sentences[last])
    if word_count(question) < SHORT and last > 0:
        question = f"{sentences[last - 1]} {question}"
    return question


def _opening(sentence: str) -> str:
    """A sentence without a greeting run into it ("Hi Sam, Could you ...": "Could you ...")."""
    return re.sub(r"^(?:hi|hello|dear|good\s+(?:morning|afternoon))\b[^,]{0,40},\s*", "", sentence, flags=re.I)
