"""The HTTP API: ask, search, sections and health over one live index, in the CLI's JSON contract.

Read-only: no endpoint changes the index. Errors are ``{"error": "what was wrong and how to fix it"}``
with a 4xx status; an unexpected failure is a 500 with the same shape, its traceback in the server's log.
Refusals made before a request reaches the app (503, 429, 408, 400) have the same shape (guard.py).
"""

from __future__ import annotations

import hmac
import logging
from importlib import metadata
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from ..answer.present import result_to_json
from ..errors import LatmQaError, QueryError
from ..settings import Retriever
from .access_log import SECRET_PARAMETERS
from .limits import MAX_BODY_BYTES, ApiLimits, BodyLimit
from .params import QueryQuestion, Question, describe_errors
from .state import LiveIndex

log = logging.getLogger("latm_qa.api")
ENDPOINTS = "/ask, /search, /sections, /health (and /docs)"
DESCRIPTION = f"""Cited answers from the reports in a latm-qa index, over HTTP.

* **ask** - the full result: the short answer, its citation and the ranked passages, or an abstention
  (`abstained: true`, no hits) with the reason and the nearest sections, exactly as `latm-qa search --json`.
* **search** - the same JSON contract, but never abstains: always the k best passages (`Index.ask(...,
  abstain=False)`), for a caller that ranks or judges passages itself.
* **sections** - the section tree with pages and passage counts, as `latm-qa sections --json`.
* **health** - `{{"status": "ok"|"degraded"}}`; with the token (or on a server without one) also the index
  served: version, passages, documents, model, when loaded, the last reload error.

`ask` and `search` take query parameters (GET) or a JSON object (POST) with the same fields. With
`LATM_QA_API_TOKEN` set on the server, every endpoint but health and these docs needs
`Authorization: Bearer <token>` (never in the URL). Bodies are limited to {MAX_BODY_BYTES // 1024} KiB. Errors
are `{{"error": "..."}}` naming the bad value and the fix.
"""
ASK = (
    "Answer a question: `{id, question, abstained, answer, answer_citation, hits: [{rank, score, text, "
    "citation, section, pages, highlights, ...}], suggestions, checks, confidence_words, ...}` (README, "
    "'The JSON result'). Abstains (no hits, a reason such as `not_in_report`) when the report does not answer."
)
SEARCH = (
    "The k best passages for a question, in the same JSON as ask, without abstaining: `abstained` is always "
    "false and `hits` always holds k passages (fewer only when a filter leaves fewer)."
)


class ApiError(HTTPException):
    """A request the API refuses: its status and the message for the `error` field."""


BEARER = HTTPBearer(auto_error=False, description="the server's LATM_QA_API_TOKEN")


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]


class TokenCheck:
    """The dependency guarding an endpoint: `Authorization: Bearer <token>`, compared in constant time."""

    def __init__(self, token: str) -> None:
        self.token = token.encode()

    def valid(self, credentials: HTTPAuthorizationCredentials | None) -> bool:
        given = credentials.credentials.encode() if credentials is not None else b""
        return hmac.compare_digest(given, self.token)

    def __call__(self, request: Request, credentials: Credentials) -> None:
        if not self.valid(credentials):
            in_url = any(name.lower() in SECRET_PARAMETERS for name in request.query_params)
            raise ApiError(
                401,
                "missing or wrong bearer token: send the header `Authorization: Bearer <token>` with the token "
                "the server was started with (LATM_QA_API_TOKEN)"
                + ("; a token in the query string is not read (URLs end up in logs)" if in_url else ""),
                headers={"WWW-Authenticate": "Bearer"},
            )


def answer(live: LiveIndex, question: Question, abstain: bool) -> dict:
    """One question through the live index, checked first for what the engine would not refuse itself."""
    loaded = live.current()
    limit = loaded.index.settings.max_question_chars
    if len(question.question) > limit:
        raise ApiError(
            422,
            f"the question is {len(question.question)} characters long; the limit is {limit} "
            "(max_question_chars): shorten it to the question itself",
        )
    retriever: Retriever | None = question.retriever
    if retriever == "rerank" and not loaded.index.settings.reranker:
        raise ApiError(
            422,
            "retriever 'rerank' needs a cross-encoder and this server has none: choose another retriever "
            "(fused, hybrid, dense, bm25, late), or start the server with `latm-qa api --reranker DIR`",
        )
    result = live.ask(
        loaded, question.question, k=question.k, retriever=retriever, filters=question.filters(),
        abstain=abstain, as_typed=question.as_typed,
    )
    return result_to_json(result, question.id)


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code == 404 and not isinstance(exc, ApiError):
            message = f"no endpoint {request.url.path}: use {ENDPOINTS}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}: ask and search take GET or POST, " \
                "sections and health GET"
        return _error(exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if request.method == "POST" and kind and not kind.endswith("json"):
            return _error(415, f"the body is sent as {kind}, not JSON: send a JSON object with "
                          "`Content-Type: application/json` (curl: --json '{...}'), or use GET with query parameters")
        return _error(422, describe_errors(list(exc.errors())))

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> JSONResponse:
        return _error(422, str(exc))

    @app.exception_handler(LatmQaError)
    async def engine_error(request: Request, exc: LatmQaError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return _error(500, f"internal error ({exc.__class__.__name__}); the server's log has the details")


def create_app(live: LiveIndex, token: str | None = None, limits: ApiLimits | None = None) -> FastAPI:
    """The API over a live index; with ``token``, every endpoint but health and the docs needs it, and health
    without it says only its status."""
    limits = limits or ApiLimits()
    app = FastAPI(title="latm-qa API", version=metadata.version("latm-qa"), description=DESCRIPTION)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes, read_seconds=limits.read_seconds)
    add_error_handlers(app)
    check = TokenCheck(token) if token else None
    guard = [Depends(check)] if check else []
    app.state.live = live

    @app.get("/ask", dependencies=guard, summary="Answer a question (query parameters)", description=ASK)
    def ask_get(question: Annotated[QueryQuestion, Query()]) -> dict:
        return answer(live, question, abstain=True)

    @app.post("/ask", dependencies=guard, summary="Answer a question (JSON body)", description=ASK)
    def ask_post(question: Question) -> dict:
        return answer(live, question, abstain=True)

    @app.get("/search", dependencies=guard, summary="The k best passages (query parameters)", description=SEARCH)
    def search_get(question: Annotated[QueryQuestion, Query()]) -> dict:
        return answer(live, question, abstain=False)

    @app.post("/search", dependencies=guard, summary="The k best passages (JSON body)", description=SEARCH)
    def search_post(question: Question) -> dict:
        return answer(live, question, abstain=False)

    @app.get(
        "/sections", dependencies=guard, summary="The section tree",
        description="Every document's sections: `[{section, title, heading_path, level, pages, passages, kind, "
        "document}]`, as `latm-qa sections --json`.",
    )
    def sections() -> list[dict]:
        return live.current().index.sections()

    @app.get(
        "/health", summary="The server's status; with the token, the index served and its state",
        description="Without the token (when the server has one): `{status: ok|degraded}` only. With it, or on a "
        "server without a token: `{status, index, version, passages, documents, document_titles, model, "
        "retriever, reranker, loaded_at, reloads, reloading, last_reload_error, pid}`; status is degraded while "
        "the last reload failed (the previous version keeps serving; last_reload_error says why).",
    )
    def health(credentials: Credentials) -> dict:
        if check is not None and not check.valid(credentials):
            return {"status": live.status()}
        return live.health()

    return app
