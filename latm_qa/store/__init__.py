"""Store: the index's files in versioned directories (files.py: manifest, passages, vectors, profile;
versions.py: write one version in full, make it current with one rename, roll back, lock)."""

from __future__ import annotations

from .files import SCHEMA_VERSION, read_index_files, read_knowledge, read_manifest

__all__ = ["SCHEMA_VERSION", "read_index_files", "read_knowledge", "read_manifest"]
