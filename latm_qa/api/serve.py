"""`latm-qa api`: uvicorn serving the app, each worker loading the one read-only index.

Workers are separate processes started by uvicorn from an import string, so the app is built by a factory
(``app_from_env``) from environment variables set before uvicorn starts: LATM_QA_INDEX and
LATM_QA_RERANKER, LATM_QA_API_TOKEN and LATM_QA_API_RELOAD_SECONDS (all read by settings.py).
"""

from __future__ import annotations

import ipaddress
import os
import sys

from ..errors import LatmQaError
from ..settings import Settings, api_reload_seconds, api_token, load_settings

TOKEN_ENV = "LATM_QA_API_TOKEN"
RELOAD_ENV = "LATM_QA_API_RELOAD_SECONDS"
FACTORY = "latm_qa.api.serve:app_from_env"
CONCURRENCY = 64  # connections per worker beyond which uvicorn answers 503 instead of queueing


def reload_seconds() -> float:
    """How often a worker looks at manifest.json for a new index version (default every 2 s)."""
    value = api_reload_seconds()
    if not value:
        return 2.0
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise LatmQaError(f"{RELOAD_ENV}={value!r} is not a positive number of seconds: set it to e.g. 2")
    return seconds


def app_from_env(settings: Settings | None = None):
    """The app for one worker: its own live index of the configured directory, the token from the environment."""
    from .app import create_app
    from .state import LiveIndex

    live = LiveIndex(settings or load_settings(), check_seconds=reload_seconds())
    return create_app(live, token=api_token())


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_api(settings: Settings, host: str = "127.0.0.1", port: int = 8700, workers: int = 1) -> int:
    """Serve until interrupted. One worker builds the app here (a bad index is a clear error before the
    server starts); several get it from ``FACTORY``, after the index is checked here once."""
    import uvicorn

    if workers < 1:
        raise LatmQaError(f"--workers {workers}: give 1 or more worker processes, e.g. 2")
    if not 1 <= port <= 65535:
        raise LatmQaError(f"--port {port}: give a port from 1 to 65535, e.g. 8700")
    reload_seconds()  # a bad value fails here, not in every worker
    os.environ["LATM_QA_INDEX"] = str(settings.index_dir)  # for the workers' load_settings()
    if settings.reranker:
        os.environ["LATM_QA_RERANKER"] = settings.reranker
    token = bool(api_token())
    if not _loopback(host) and not token:
        print(f"latm-qa api: warning: serving on {host} without a token; anyone who can reach it can ask. "
              f"Set {TOKEN_ENV} to require `Authorization: Bearer <token>`.", file=sys.stderr)
    options = {"host": host, "port": port, "limit_concurrency": CONCURRENCY, "server_header": False,
               "log_level": "info"}
    if workers == 1:
        app = app_from_env(settings)
        version = app.state.live.current().version
        _banner(settings, host, port, workers, version, token)
        uvicorn.run(app, **options)
        return 0
    from ..answer.index import Index

    version = Index.load(settings.index_dir, settings=settings).manifest.get("current", "")
    _banner(settings, host, port, workers, version, token)
    uvicorn.run(FACTORY, factory=True, workers=workers, **options)
    return 0


def _banner(settings: Settings, host: str, port: int, workers: int, version: str, token: bool) -> None:
    where = f"[{host}]" if ":" in host else host
    print(
        f"latm-qa api: index {settings.index_dir} (version {version}), {workers} worker(s), "
        f"{'token required' if token else 'no token'}; http://{where}:{port}/docs describes the endpoints",
        file=sys.stderr, flush=True,
    )
