"""Answer: a question's path through named steps (pipeline.py) over a loaded index (index.py):
rewrite (rewrite.py) -> score and rank (score.py) -> checks (checks.py) -> highlight and short answer
(highlight.py) -> result; present.py gives citations and the JSON and plain-text shapes."""

from __future__ import annotations

from .index import Index
from .pipeline import STEPS, run
from .query import Query

__all__ = ["STEPS", "Index", "Query", "run"]
