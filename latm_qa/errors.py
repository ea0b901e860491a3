"""Project exceptions: one base class, a few specific ones. Messages name the bad value and the fix."""

from __future__ import annotations


class LatmQaError(Exception):
    """Base class for every error latm-qa reports to a user."""


class InputFileError(LatmQaError):
    """A source file cannot be ingested (unknown type, empty, binary, encrypted, image-only...)."""


class IndexMissingError(LatmQaError):
    """No built index where one was expected."""


class IndexMismatchError(LatmQaError):
    """The index on disk is corrupt, from another schema version, or built with another model."""


class QueryError(LatmQaError):
    """The question cannot be searched (empty, only whitespace or control characters)."""


class ModelLoadError(LatmQaError):
    """The embedding model could not be loaded offline."""
