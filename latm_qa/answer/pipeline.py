"""The question's path: a list of named steps run in order on one Query.

    clean -> spelling -> filters -> acronyms -> places -> score -> rank
          -> not_in_report -> after_the_report -> off_topic -> not_counted -> not_dated -> low_similarity
          -> rerank -> highlight -> answer -> compose -> confidence -> suggest

Each step is a function ``step(index, query)`` that reads and fills the Query. Rewrite steps change
the words searched and record what they read as a Check; check steps add a Check that may abstain;
the last steps shape what is shown. ``Settings.steps`` names the steps that run: leave one out to turn
it off, or register another under a new name in ``STEPS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import LatmQaError
from ..settings import Settings
from . import checks, compose, confidence, details, highlight, rewrite, score
from .query import Query
from .results import SearchResult

if TYPE_CHECKING:
    from .index import Index


Step = Callable[["Index", Query], None]

STEPS: dict[str, Step] = {
    "clean": rewrite.clean,
    "spelling": rewrite.spelling,
    "filters": rewrite.check_filters,
    "acronyms": rewrite.acronyms,
    "places": rewrite.places,
    "score": score.score,
    "rank": score.rank,
    "not_in_report": checks.not_in_report_step,
    "after_the_report": checks.after_the_report_step,
    "off_topic": checks.off_topic_step,
    "not_counted": details.not_counted_step,
    "not_dated": details.not_dated_step,
    "low_similarity": checks.low_similarity_step,
    "rerank": highlight.rerank,
    "highlight": highlight.highlight,
    "answer": highlight.short_answer,
    "compose": compose.compose,
    "confidence": confidence.confidence,
    "suggest": checks.suggest,
}
REQUIRED = ("clean", "score", "rank")
# the settings that turn one step on or off (a profile's [search] table may set them for its report)
_SWITCHES = {"spelling": "correct_spelling", "off_topic": "abstain_off_topic", "not_counted": "abstain_uncounted",
             "acronyms": "expand_acronyms", "after_the_report": "abstain_after_the_report",
             "not_dated": "abstain_undated", "low_similarity": "abstain_low_similarity"}


def steps_for(settings: Settings) -> list[Step]:
    """The steps a question runs through under these settings, in order."""
    unknown = [name for name in settings.steps if name not in STEPS]
    if unknown:
        raise LatmQaError(f"unknown step {unknown[0]!r} in the steps setting: choose from {', '.join(STEPS)}")
    missing = [name for name in REQUIRED if name not in settings.steps]
    if missing:
        raise LatmQaError(f"the steps setting lacks {missing[0]!r}: every question needs {', '.join(REQUIRED)}")
    return [STEPS[n] for n in settings.steps if getattr(settings, _SWITCHES.get(n, "steps"), True)]


def run(index: Index, query: Query) -> SearchResult:
    """Run the question through every step the index's settings name, in order."""
    for step in steps_for(index.settings):
        step(index, query)
    return query.result(len(index.documents))
