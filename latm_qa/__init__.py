"""latm-qa: cited answers from the "Local Authority Transformational Models" reports.

from latm_qa import Index
Index.load("index").ask("What did Essex earn from traded services?")
"""

from __future__ import annotations

from .config import Settings, load_settings
from .errors import (
    IndexMismatchError,
    IndexMissingError,
    InputFileError,
    LatmQaError,
    ModelLoadError,
    QueryError,
)
from .filters import Filters
from .ingest import IngestReport, ingest
from .search import Index
from .types import Hit, Passage, SearchResult, Section

__version__ = "0.1.0"

__all__ = [
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
]
