"""Build: source files to a new index version. sources.py finds, reads and checks the files; passages.py
splits sections into passages; ingest.py structures, embeds and writes (reusing unchanged files' passages
and the vectors of unchanged text, reuse.py) and says what changed (changes.py)."""

from __future__ import annotations

from .changes import IngestReport
from .ingest import ingest, rollback

__all__ = ["IngestReport", "ingest", "rollback"]
