"""Places: the UK council gazetteer (councils.py, from data/councils.tsv) and, narrowed to the councils a
report names, how a question's place descriptions map onto them (gazetteer.py). Used only when a
report's profile names the gazetteer."""

from __future__ import annotations

from .gazetteer import Gazetteer, case_study_councils

__all__ = ["Gazetteer", "case_study_councils"]
