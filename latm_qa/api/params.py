"""What a question request carries (query parameters for GET, a JSON object for POST), and the messages
that say what was wrong with one and how to fix it."""

from __future__ import annotations

import re
from typing import ClassVar, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator
from pydantic_core import PydanticCustomError

from ..retrieve.filters import Filters
from ..settings import Retriever
from .access_log import SECRET_PARAMETERS

MAX_K = 50
FIELDS = ("question", "id", "k", "retriever", "document", "chapter", "part", "as_typed")
EXAMPLE = '{"question": "How much did the council save?", "k": 5}'
_HINTS = {
    "question": 'give the question in plain English, e.g. ?question=What+does+it+recommend%3F or {"question": "..."}',
    "k": f"give a whole number of passages from 1 to {MAX_K}, e.g. k=5",
    "retriever": f"choose one of {', '.join(get_args(Retriever))} (or leave it out for the server's default)",
    "as_typed": "give true or false (in a query string also 1 or 0)",
    "id": "give a string or a number; it is echoed back as the result's id",
    "document": 'give document ids or file names, comma-separated or as a JSON list (see "document" in GET /sections)',
    "chapter": 'give chapter numbers or unnumbered titles, comma-separated or as a JSON list, e.g. "2,3"',
    "part": 'give parts of a chapter, comma-separated or as a JSON list ("GET /sections" shows them)',
}


_QUERY_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _names(value: str | list[str] | None) -> tuple[str, ...]:
    values = value.split(",") if isinstance(value, str) else (value or [])
    return tuple(v.strip() for v in values if v.strip())


class Question(BaseModel):
    """A question and how to search for it: the same choices as `latm-qa search`. This is the JSON body's form:
    k a JSON integer, as_typed a JSON boolean; ``QueryQuestion`` reads the same fields from a query string."""

    model_config = ConfigDict(extra="forbid")
    FROM_QUERY: ClassVar[bool] = False

    question: str = Field(
        description="the question in plain English (at most the server's max_question_chars, 2000 by default)",
        examples=["What does the report recommend?"],
    )
    id: StrictStr | StrictInt | None = Field(
        None, description="any id of yours, echoed back as the result's `id` (as in `latm-qa search --queries`)"
    )
    k: int = Field(5, ge=1, le=MAX_K, description=f"number of passages, 1 to {MAX_K}")
    retriever: Retriever | None = Field(
        None, description="ranking method (default: the server's, fused; rerank needs the server started with "
        "--reranker)"
    )
    document: str | list[str] | None = Field(
        None, description="only these documents: ids or file names, comma-separated (or a JSON list)"
    )
    chapter: str | list[str] | None = Field(
        None, description='only these chapters: numbers or unnumbered titles, comma-separated, e.g. "2,3" (in a '
        "library of reports, with `document` naming whose, when several have it)"
    )
    part: str | list[str] | None = Field(
        None, description="only these parts of a chapter (GET /sections shows them), e.g. benefits"
    )
    as_typed: bool = Field(False, description="search the words as typed: no spelling correction")

    @field_validator("k", mode="before")
    @classmethod
    def _whole_number(cls, value: object) -> object:
        if type(value) is int:
            return value
        if cls.FROM_QUERY and isinstance(value, str) and re.fullmatch(r"[0-9]+", value):
            if len(value) > 9:
                raise PydanticCustomError("less_than_equal", f"Input should be less than or equal to {MAX_K}")
            return int(value)
        if cls.FROM_QUERY:
            raise PydanticCustomError("whole_number", "Input should be a whole number written in digits")
        raise PydanticCustomError("whole_number", "Input should be a JSON integer (no quotes, no decimal point)")

    @field_validator("as_typed", mode="before")
    @classmethod
    def _boolean(cls, value: object) -> object:
        if type(value) is bool:
            return value
        if cls.FROM_QUERY and isinstance(value, str) and value.lower() in _QUERY_BOOLEANS:
            return _QUERY_BOOLEANS[value.lower()]
        if cls.FROM_QUERY:
            raise PydanticCustomError("boolean", "Input should be true, false, 1 or 0")
        raise PydanticCustomError("boolean", "Input should be a JSON boolean, true or false (no quotes)")

    def filters(self) -> Filters | None:
        documents, chapters, parts = _names(self.document), _names(self.chapter), _names(self.part)
        if not (documents or chapters or parts):
            return None
        return Filters(documents=documents, chapters=chapters, parts=parts)


class QueryQuestion(Question):
    """The same fields from a query string, where every value is text: k in digits, as_typed true/false/1/0."""

    FROM_QUERY: ClassVar[bool] = True


def describe_errors(errors: list[dict]) -> str:
    """Pydantic's validation errors as one line per field: what was wrong and how to fix it."""
    messages: dict[str, str] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "body")]
        field = loc[0] if loc else ""
        kind = error.get("type", "")
        if field in messages:
            continue  # a field of several types fails once per type: say it once
        if kind == "json_invalid":
            messages[field] = f"the body is not valid JSON: send a JSON object such as {EXAMPLE}"
        elif not field and kind == "missing":
            messages[field] = f"the body is empty: send a JSON object such as {EXAMPLE}"
        elif not field:
            messages[field] = f"the body must be a JSON object such as {EXAMPLE}"
        elif kind == "missing":
            messages[field] = f"{field} is missing: {_HINTS.get(field, 'give it')}"
        elif kind == "extra_forbidden" and field.lower() in SECRET_PARAMETERS:
            messages[field] = (f"unknown field {field!r}: send the token in the header `Authorization: Bearer <token>`,"
                               " never in the URL or the body (URLs are logged by proxies and browsers)")
        elif kind == "extra_forbidden":
            messages[field] = f"unknown field {field!r}: the fields are {', '.join(FIELDS)}"
        else:
            got = error.get("input")
            shown = repr(got) if len(repr(got)) <= 80 else repr(got)[:77] + "..."
            messages[field] = f"{field}: {error.get('msg', 'invalid')} (got {shown}); {_HINTS.get(field, '')}"
    return "; ".join(m.rstrip("; ") for m in messages.values()) or "invalid request"
