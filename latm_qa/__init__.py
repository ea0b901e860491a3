"""latm-qa: cited answers from public-sector reports.

    from latm_qa import Index
    Index.load("index").ask("What does the report recommend?")
"""

from __future__ import annotations

from .answer.index import Index
from .answer.results import Check, Hit, SearchResult
from .build.ingest import IngestReport, ingest, rollback
from .errors import (
    IndexMismatchError,
    IndexMissingError,
    InputFileError,
    LatmQaError,
    ModelLoadError,
    QueryError,
)
from .retrieve.filters import Filters
from .settings import Settings, load_settings
from .types import Passage, Section

__version__ = "0.1.0"

__all__ = [
    "Check",
    "Filters",
    "Hit",
    "Index",
    "IndexMismatchError",
    "IndexMissingError",
    "IngestReport",
    "InputFileError",
    "LatmQaError",
    "ModelLoadError",
    "Passage",
    "QueryError",
    "SearchResult",
    "Section",
    "Settings",
    "ingest",
    "load_settings",
    "rollback",
]
