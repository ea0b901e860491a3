"""The API's limits: how many connections a worker and one client may hold, how long an idle connection and a
slow request may take, how large a body may be. Defaults in code; LATM_QA_API_* variables override them.

Over a limit the answer is JSON ``{"error": ...}``: 503 when the worker is at capacity, 429 for a client over
its share, 408 for a request that did not arrive in time, 413 for a body too large (``BodyLimit`` below).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, fields

from ..errors import LatmQaError
from ..settings import api_limit

MAX_BODY_BYTES = 16 * 1024


@dataclass(frozen=True)
class ApiLimits:
    """Per worker process. ``max_client_connections`` 0 turns the per-client cap off (behind a proxy every
    client has the proxy's address)."""

    max_connections: int = 64  # open connections a worker holds; one more is answered 503 and closed
    max_client_connections: int = 16  # open connections one remote address holds; one more is answered 429
    idle_seconds: float = 5.0  # a connection with no request under way is closed after this
    read_seconds: float = 10.0  # a request's headers, and then its body, must arrive within this (else 408)
    max_body_bytes: int = MAX_BODY_BYTES  # a larger body gets 413

    @classmethod
    def from_env(cls) -> ApiLimits:
        """The defaults, overridden by LATM_QA_API_MAX_CONNECTIONS, _MAX_CLIENT_CONNECTIONS, _IDLE_SECONDS and
        _READ_SECONDS; a bad value is a clear error."""
        given: dict[str, float] = {}
        for field in fields(cls):
            name = field.name.upper()
            if name == "MAX_BODY_BYTES" or not (value := api_limit(name)):
                continue
            given[field.name] = _number(f"LATM_QA_API_{name}", value, field.type == "int", field.default)
        return cls(**given).checked()

    def checked(self) -> ApiLimits:
        least = {"max_connections": 1, "max_client_connections": 0, "max_body_bytes": 1}
        for name, lowest in least.items():
            if getattr(self, name) < lowest:
                raise LatmQaError(f"{name} {getattr(self, name)} is below {lowest}: set LATM_QA_API_{name.upper()} "
                                  f"to a whole number of {lowest} or more (the default is {getattr(ApiLimits, name)})")
        for name in ("idle_seconds", "read_seconds"):
            if not getattr(self, name) > 0:
                raise LatmQaError(f"{name} {getattr(self, name)} is not positive: set LATM_QA_API_{name.upper()} "
                                  f"to a number of seconds, e.g. {getattr(ApiLimits, name)}")
        return self


def _number(variable: str, value: str, whole: bool, default: object) -> float:
    try:
        return int(value) if whole else float(value)
    except ValueError:
        kind = "a whole number" if whole else "a number of seconds"
        raise LatmQaError(f"{variable}={value!r} is not {kind}: set it to e.g. {default} (the default)") from None


def error_response(status: int, reason: str, message: str, retry: bool = False) -> bytes:
    """A whole HTTP/1.1 response with a JSON error, for a connection the server closes without asking the app."""
    body = json.dumps({"error": message}).encode()
    head = [f"HTTP/1.1 {status} {reason}", "content-type: application/json", f"content-length: {len(body)}",
            *(["retry-after: 1"] if retry else []), "connection: close"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


async def send_error(send, status: int, message: str, retry: bool = False) -> None:
    """An ASGI JSON error response that closes the connection."""
    payload = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
               (b"connection", b"close")]
    if retry:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class BodyLimit:
    """ASGI middleware: refuse a body over ``max_bytes`` (by its Content-Length, or as it streams in) with 413,
    and one that has not all arrived within ``read_seconds`` with 408."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES, read_seconds: float = ApiLimits.read_seconds) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_seconds = read_seconds

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").strip()
        if declared and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE") and not declared:
            await self.app(scope, receive, send)
            return
        body = bytearray()
        deadline = asyncio.get_running_loop().time() + self.read_seconds
        while True:  # read it all (it is small), then hand it on in one message
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - asyncio.get_running_loop().time()))
            except TimeoutError:
                await send_error(send, 408, f"the request body did not arrive within {self.read_seconds:g} s "
                                 f"({len(body)} bytes came): send the whole request at once")
                return
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send) -> None:
        await send_error(send, 413, f"the request body is over {self.max_bytes // 1024} KiB: send only the question "
                         "and its options (a question is at most a few thousand characters)")
