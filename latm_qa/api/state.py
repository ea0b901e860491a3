"""The index the API serves, kept current: loaded once, reloaded in the background when manifest.json changes.

`latm-qa ingest` makes a new version current by replacing ``manifest.json`` (store/versions.py). A watcher
thread (and every request, at most once per ``check_seconds``) compares the file's inode, size and mtime with
the last seen; on a change a new ``Index`` is loaded and warmed up beside the one in use, then swapped in
with one assignment. A reload that fails keeps the old index serving and is reported by ``health()``.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ..answer.index import Index
from ..answer.results import SearchResult
from ..retrieve.filters import Filters
from ..settings import Retriever, Settings

log = logging.getLogger("latm_qa.api")
WARM_UP_QUESTION = "What does the report recommend?"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Loaded:
    """One loaded index version: the index, the same index with spelling correction off, and when it came."""

    index: Index
    as_typed: Index
    version: str
    loaded_at: str


class LiveIndex:
    """The current index of a directory for concurrent requests; one question runs at a time per process
    (the embedder is shared and not thread-safe): run more workers to answer more at once."""

    def __init__(
        self,
        settings: Settings,
        index: Index | None = None,
        check_seconds: float = 2.0,
        watch: bool = True,
    ) -> None:
        self.settings = settings
        self.path = Path(settings.index_dir)
        self.check_seconds = check_seconds
        self.ask_lock = threading.Lock()  # one question (or warm-up) at a time over the shared embedder
        self._check_lock = threading.Lock()
        self._signature = self._stat()
        self._checked = time.monotonic()
        self._reloader: threading.Thread | None = None
        self.reload_error: dict | None = None
        self.reloads = 0
        self._loaded = self._load(index)  # a bad index at start is the caller's error (LatmQaError)
        if watch:
            threading.Thread(target=self._watch, daemon=True, name="latm-qa-index-watch").start()

    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"

    def current(self) -> Loaded:
        """The index to answer this request with (a changed manifest starts a reload in the background)."""
        self.check()
        return self._loaded

    def ask(
        self,
        loaded: Loaded,
        question: str,
        k: int,
        retriever: Retriever | None,
        filters: Filters | None,
        abstain: bool,
        as_typed: bool,
    ) -> SearchResult:
        index = loaded.as_typed if as_typed else loaded.index
        if filters is not None:  # a filter naming nothing is refused before any model work
            filters.check(index.passages)
        with self.ask_lock:
            return index.ask(question, k=k, retriever=retriever, filters=filters, abstain=abstain)

    def check(self) -> None:
        """Start a reload when manifest.json changed since the last look (at most once per check_seconds)."""
        now = time.monotonic()
        if now - self._checked < self.check_seconds:
            return
        with self._check_lock:
            if now - self._checked < self.check_seconds or self.reloading:
                return
            self._checked = now
            signature = self._stat()
            if signature == self._signature:
                return
            self._signature = signature
            self._reloader = threading.Thread(target=self._reload, daemon=True, name="latm-qa-index-reload")
            self._reloader.start()

    @property
    def reloading(self) -> bool:
        return self._reloader is not None and self._reloader.is_alive()

    def wait_reloaded(self, timeout: float = 60.0) -> None:
        """Block until a reload in progress is over (for tests and tools)."""
        reloader = self._reloader
        if reloader is not None:
            reloader.join(timeout)

    def status(self) -> str:
        """"ok", or "degraded" while the last reload failed (the previous version keeps serving)."""
        self.check()
        return "degraded" if self.reload_error else "ok"

    def health(self) -> dict:
        loaded = self.current()
        index = loaded.index
        return {
            "status": "degraded" if self.reload_error else "ok",
            "index": str(self.path),
            "version": loaded.version,
            "passages": len(index.passages),
            "documents": len(index.documents),
            "document_titles": [d.title for d in index.documents],
            "model": index.model_name,
            "retriever": index.settings.retriever,
            "reranker": index.settings.reranker or None,
            "loaded_at": loaded.loaded_at,
            "reloads": self.reloads,
            "reloading": self.reloading,
            "last_reload_error": self.reload_error,
            "pid": os.getpid(),
        }

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.manifest_path)
        except OSError:
            return None
        return st.st_ino, st.st_size, st.st_mtime_ns

    def _load(self, index: Index | None = None) -> Loaded:
        """Load (unless given) and warm up an index: its model, speller and caches are ready before it serves."""
        index = index if index is not None else Index.load(self.path, settings=self.settings)
        with self.ask_lock:  # the embedder is shared with the index in use
            index.ask(WARM_UP_QUESTION, k=1)
        typed = copy.copy(index)  # shares the loaded files and caches; only the setting differs
        typed.settings = replace(index.settings, correct_spelling=False)
        return Loaded(index, typed, str(index.manifest.get("current", "")), _now())

    def _reload(self) -> None:
        try:
            loaded = self._load()
        except Exception as exc:  # noqa: BLE001 - any failure keeps the old index serving; health shows why
            log.warning("reload of %s failed, still serving version %s: %s", self.path, self._loaded.version, exc)
            self.reload_error = {
                "error": str(exc) or exc.__class__.__name__,
                "at": _now(),
                "serving": self._loaded.version,
            }
            return
        self._loaded = loaded  # one assignment: a request sees the old index or the new, never a mix
        self.reload_error = None
        self.reloads += 1
        log.info("reloaded %s: version %s", self.path, loaded.version)

    def _watch(self) -> None:
        while True:
            time.sleep(max(self.check_seconds, 0.1))
            self.check()
