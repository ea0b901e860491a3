"""The access log without secrets: a token sent in the query string (``?token=...``, ``access_token``,
``api_key``...) is written as ``[redacted]``, and so is the server's own token wherever it appears.

uvicorn writes one line per response to the ``uvicorn.access`` logger, the path with its query string as the
third argument; a filter on that logger rewrites it before any handler sees it. The token is only ever read
from the `Authorization: Bearer` header; in a URL it would also reach proxies' and browsers' histories.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, quote_plus, unquote_plus

from ..settings import api_token

SECRET_PARAMETERS = frozenset({"token", "access_token", "api_key", "apikey", "key", "password", "secret", "auth",
                               "authorization"})
REDACTED = "[redacted]"


def redact_query(path: str, token: str | None = None) -> str:
    """``path?query`` with the value of every secret-named parameter (and the token itself) replaced."""
    base, mark, query = path.partition("?")
    if mark:
        parts = []
        for part in query.split("&"):
            name, equals, _ = part.partition("=")
            secret = unquote_plus(name).strip().lower() in SECRET_PARAMETERS
            parts.append(f"{name}={REDACTED}" if secret and equals else part)
        path = f"{base}?{'&'.join(parts)}"
    for written in {token, quote(token, safe=""), quote_plus(token)} if token else ():
        path = path.replace(written, REDACTED)
    return path


class RedactQuery(logging.Filter):
    """Rewrites the path argument of uvicorn's access lines (``'%s - "%s %s HTTP/%s" %d'``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_query(args[2], api_token()), *args[3:])
        return True


def redact_access_log() -> None:
    """Put the filter on uvicorn's access logger, once per process."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQuery) for f in logger.filters):
        logger.addFilter(RedactQuery())
