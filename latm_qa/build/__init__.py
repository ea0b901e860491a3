"""Build: source files to a new index version. passages.py splits sections into passages; ingest.py reads,
structures, embeds and writes (reusing the vectors of unchanged text, reuse.py) and says what changed
(changes.py)."""

from __future__ import annotations

from .changes import IngestReport
from .ingest import ingest, rollback

__all__ = ["IngestReport", "ingest", "rollback"]
