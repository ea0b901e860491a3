"""`latm-qa api`: uvicorn serving the app, each worker loading the one read-only index.

Workers are separate processes started by uvicorn from an import string, so the app is built by a factory
(``app_from_env``) from environment variables set before uvicorn starts: LATM_QA_INDEX and
LATM_QA_RERANKER, LATM_QA_API_TOKEN, LATM_QA_API_RELOAD_SECONDS and the limits (LATM_QA_API_MAX_CONNECTIONS,
_MAX_CLIENT_CONNECTIONS, _IDLE_SECONDS, _READ_SECONDS: limits.py), all read by settings.py. Connections are
served by guard.py's protocol, which applies the limits per socket.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys

from ..errors import LatmQaError
from ..settings import Settings, api_reload_seconds, api_token, load_settings
from .limits import ApiLimits

TOKEN_ENV = "LATM_QA_API_TOKEN"
RELOAD_ENV = "LATM_QA_API_RELOAD_SECONDS"
FACTORY = "latm_qa.api.serve:app_from_env"
PROTOCOL = "latm_qa.api.guard:GuardedProtocol"  # uvicorn's h11 with the limits; imported in every worker


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

    limits = ApiLimits.from_env()
    live = LiveIndex(settings or load_settings(), check_seconds=reload_seconds())
    return create_app(live, token=api_token(), limits=limits)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """Fail at once, in one line, when the address cannot be listened on (before the index is loaded)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except socket.gaierror:
            raise LatmQaError(f"--host {host} is not an address or a name this machine can resolve: pass "
                              "--host 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)") from None
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                message = f"port {port} on {host} is in use: stop the other server or pass --port N"
            elif exc.errno == errno.EACCES:
                message = f"port {port} on {host} needs privileges this user lacks: pass --port N above 1023, e.g. 8700"
            elif exc.errno == errno.EADDRNOTAVAIL:
                message = (f"{host} is not an address of this machine: pass --host 127.0.0.1 (this machine only) "
                           "or 0.0.0.0 (every interface)")
            else:
                message = f"cannot listen on {host} port {port}: {exc.strerror or exc}: pass another --host or --port"
            raise LatmQaError(message) from None


def run_api(settings: Settings, host: str = "127.0.0.1", port: int = 8700, workers: int = 1) -> int:
    """Serve until interrupted. The address and settings are checked first, then one worker builds the app here
    (a bad index is a clear error before the server starts); several get it from ``FACTORY``, after the index
    is checked here once."""
    import uvicorn

    if workers < 1:
        raise LatmQaError(f"--workers {workers}: give 1 or more worker processes, e.g. 2")
    if not 1 <= port <= 65535:
        raise LatmQaError(f"--port {port}: give a port from 1 to 65535, e.g. 8700")
    reload_seconds()  # a bad value fails here, not in every worker
    limits = ApiLimits.from_env()
    check_port(host, port)  # before the index loads: a busy port is a one-line error, not a traceback later
    os.environ["LATM_QA_INDEX"] = str(settings.index_dir)  # for the workers' load_settings()
    if settings.reranker:
        os.environ["LATM_QA_RERANKER"] = settings.reranker
    token = bool(api_token())
    if not _loopback(host) and not token:
        print(f"latm-qa api: warning: serving on {host} without a token; anyone who can reach it can ask. "
              f"Set {TOKEN_ENV} to require `Authorization: Bearer <token>`.", file=sys.stderr)
    options = {"host": host, "port": port, "http": PROTOCOL, "ws": "none", "timeout_keep_alive": limits.idle_seconds,
               "server_header": False, "log_level": "info"}
    if workers == 1:
        app = app_from_env(settings)
        version = app.state.live.current().version
        _banner(settings, host, port, workers, version, token, limits)
        uvicorn.run(app, **options)
        return 0
    from ..answer.index import Index

    version = Index.load(settings.index_dir, settings=settings).manifest.get("current", "")
    _banner(settings, host, port, workers, version, token, limits)
    uvicorn.run(FACTORY, factory=True, workers=workers, **options)
    return 0


def _banner(
    settings: Settings, host: str, port: int, workers: int, version: str, token: bool, limits: ApiLimits
) -> None:
    where = f"[{host}]" if ":" in host else host
    per_client = limits.max_client_connections or "no limit"
    print(
        f"latm-qa api: index {settings.index_dir} (version {version}), {workers} worker(s), "
        f"{'token required' if token else 'no token'}; per worker {limits.max_connections} connections "
        f"({per_client} per client), idle {limits.idle_seconds:g} s, read {limits.read_seconds:g} s; "
        f"http://{where}:{port}/docs describes the endpoints",
        file=sys.stderr, flush=True,
    )
