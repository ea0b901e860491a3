"""Connections no client can hoard: uvicorn's h11 protocol with the API's limits (limits.py) applied per socket.

uvicorn times out only keep-alive connections after a response and counts idle sockets against
``limit_concurrency``, so a few dozen sockets that never send a request would turn everyone away with 503.
Here, per worker:

* a connection with no request under way (new, or after a response) is closed after ``idle_seconds``;
* a request must send its headers within ``read_seconds`` of its first byte, or gets 408 and is closed;
* one remote address may hold ``max_client_connections`` open connections; one more gets 429 and is closed;
* the worker holds ``max_connections`` connections; one more gets 503 and is closed. A connection let in is
  answered (its requests wait their turn for the index), so a burst is served up to the cap, not below it.

A refused connection is answered at once, before its request is read, then closed after a short linger.

Every refusal is JSON ``{"error": ...}`` naming what went wrong and what to do. The access log never shows a
token sent in the query string (access_log.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import ClassVar

from uvicorn.protocols.http.h11_impl import H11Protocol

from .access_log import redact_access_log
from .limits import ApiLimits, error_response, send_error

LINGER_SECONDS = 1.0  # a refused connection stays half-open this long, so the client reads the answer, not a reset
log = logging.getLogger("uvicorn.error")


class GuardedProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with idle and read timeouts, a per-client cap and JSON refusals.
    ``limits`` None reads them from the environment (``ApiLimits.from_env``); ``with_limits`` sets them."""

    limits: ClassVar[ApiLimits | None] = None
    _warned: ClassVar[float] = 0.0

    def __init__(self, config, server_state, app_state, _loop=None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        cls = type(self)
        if cls.limits is None:
            cls.limits = ApiLimits.from_env()
        self.guard: ApiLimits = cls.limits
        self.timeout_keep_alive = self.guard.idle_seconds  # uvicorn's own timer after a response
        self.limit_concurrency = None  # the cap is applied as a connection is made (connection_made), in JSON
        self.refused = False
        self._timer: asyncio.TimerHandle | None = None
        self._waiting = False  # no request under way: the idle timer runs (the read timer once bytes come)
        self._reading = False  # bytes of a request came, its headers are not all in yet
        self.app = self._guarded(self.app)
        redact_access_log()

    @classmethod
    def with_limits(cls, limits: ApiLimits) -> type[GuardedProtocol]:
        """This protocol with the given limits (for a server built in-process, e.g. in tests)."""
        return type(cls.__name__, (cls,), {"limits": limits.checked()})

    # --- the connection's life ---

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        address = self.client[0] if self.client else None
        others = [_address(c) for c in self.connections if c is not self and not getattr(c, "refused", False)]
        cap, limit = self.guard.max_client_connections, self.guard.max_connections
        if address and cap and (held := others.count(address)) >= cap:
            self._refuse(429, "Too Many Requests", f"too many open connections from {address} ({held}; the limit "
                         f"is {cap} per client): close idle ones or reuse one (keep-alive), then retry")
        elif len(others) >= limit:
            self._refuse(503, "Service Unavailable", f"the server is at capacity ({len(others)} open connections; "
                         f"the limit is {limit} per worker): retry in a moment, or run it with more workers "
                         "(latm-qa api --workers N) or a higher LATM_QA_API_MAX_CONNECTIONS")
        else:
            self._await_request()

    def data_received(self, data: bytes) -> None:
        if self.refused:
            return  # read and dropped: the connection is closing
        if self._waiting and not self._reading:
            self._reading = True  # the first bytes of a request: its headers now have read_seconds
            self._arm(self.guard.read_seconds, self._read_expired)
        before = self.cycle
        super().data_received(data)
        if self.cycle is not before:
            self._request_began()

    def on_response_complete(self) -> None:
        before = self.cycle
        super().on_response_complete()
        if not self.transport.is_closing() and self.cycle is before:
            self._await_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        self._cancel()
        self.transport.write(error_response(
            400, "Bad Request", "the request is not valid HTTP/1.1, or its request line or headers are over "
            "16 KiB: send a well-formed request, e.g. curl 'http://HOST:PORT/ask?question=What+does+it+recommend%3F'",
        ))
        self.transport.close()

    # --- timers ---

    def _await_request(self) -> None:
        self._waiting, self._reading = True, False
        self._arm(self.guard.idle_seconds, self._idle_expired)

    def _request_began(self) -> None:
        self._waiting = self._reading = False
        self._cancel()

    def _arm(self, seconds: float, expired) -> None:
        self._cancel()
        self._timer = self.loop.call_later(seconds, expired)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _idle_expired(self) -> None:
        self._timer = None
        self.timeout_keep_alive_handler()  # closed quietly, as uvicorn closes an idle keep-alive connection

    def _read_expired(self) -> None:
        self._timer = None
        if not self.transport.is_closing():
            self.transport.write(error_response(
                408, "Request Timeout", f"the request's headers did not arrive within {self.guard.read_seconds:g} s "
                "of its first byte: send the whole request at once",
            ))
            self.transport.close()

    # --- refusals ---

    def _refuse(self, status: int, reason: str, message: str) -> None:
        self.refused = True
        self._warn(f"refused a connection from {self.client[0] if self.client else '?'}: {message.split(':')[0]}")
        self.transport.write(error_response(status, reason, message, retry=True))
        if self.transport.can_write_eof():
            self.transport.write_eof()  # the answer and a FIN now; what the client still sends is read and dropped
        self._timer = self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def _guarded(self, app):
        """The app, with uvicorn's plain-text 500 replaced by JSON when the app fails before it answers."""

        async def guarded(scope, receive, send) -> None:
            started = False

            async def tracked(message) -> None:
                nonlocal started
                started = started or message["type"] == "http.response.start"
                await send(message)

            try:
                await app(scope, receive, tracked)
            except Exception:
                if not started:  # uvicorn's own 500 would be plain text
                    await send_error(send, 500, "internal error; the server's log has the details")
                raise

        return guarded

    @classmethod
    def _warn(cls, message: str) -> None:
        now = time.monotonic()
        if now - cls._warned >= 1.0:  # at most once a second: a flood of refusals is one line, not thousands
            cls._warned = now
            log.warning(message)


def _address(connection: object) -> str | None:
    client = getattr(connection, "client", None)
    return client[0] if client else None
