"""The API's error contract, in one place: every answer is JSON, and the OpenAPI document says
which errors each operation may answer.

- A body that is not JSON: 400 with ``errors`` naming the field ``body``.
- A database that does not answer (``OperationalError``, ``InterfaceError``): 503 with
  ``Retry-After``; any other unexpected error: 500 ``{"detail": ...}``, logged with its
  traceback as Django logs a 500, never shown to the client.
- JSON is written strictly: a NaN or an infinity is an error (the 500 above), never invalid JSON.
- :func:`document_errors` adds the common error answers to every operation of the document.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from tinhso.core.api_schemas import (
    RETRY_AFTER_SECONDS,
    ErrorOut,
    ValidationErrorOut,
    database_unavailable_detail,
    server_error_detail,
)

logger = logging.getLogger("django.request")


class UnparsableBody(ValueError):
    """The request body is not JSON (the parser's reason is the message)."""


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


class JSONParser(Parser):
    """JSON as RFC 8259 has it: Python's reader also takes NaN and Infinity, refused here."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return json.loads(request.body, parse_constant=_not_json)
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, NaN/Infinity
            raise UnparsableBody(str(exc)) from exc


class StrictJSONRenderer(JSONRenderer):
    """JSON as RFC 8259 has it: ``NaN`` and ``Infinity`` raise instead of being written."""

    json_dumps_params = {"allow_nan": False}


def unparsable_body(request: HttpRequest, api: NinjaAPI, exc: HttpError) -> HttpResponse | None:
    """400 with the field ``body`` when ninja could not parse the body; None otherwise."""
    cause = exc.__cause__
    if not isinstance(cause, UnparsableBody):
        return None
    message = _("The body is not valid JSON: %(reason)s.") % {"reason": cause}
    return api.create_response(request, {
        "detail": _("Invalid request: %(message)s") % {"message": message},
        "errors": [{"field": "body", "message": message}],
    }, status=400)


def server_error(request: HttpRequest, api: NinjaAPI, exc: Exception) -> HttpResponse:
    """503 with Retry-After when the database does not answer, else 500; JSON either way."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.error("Database unavailable: %s", request.path, exc_info=exc,
                     extra={"status_code": 503, "request": request})
        response = api.create_response(request, {"detail": database_unavailable_detail()},
                                       status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    logger.error("Internal Server Error: %s", request.path, exc_info=exc,
                 extra={"status_code": 500, "request": request})
    return api.create_response(request, {"detail": server_error_detail()}, status=500)


def _ref(schema: type) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema.__name__}"}}}


_ANSWERS: dict[int, tuple[str, type]] = {
    400: ("Bad request: a body that is not JSON, a NUL character in a field, or a request "
          "the operation refuses; `errors` names the fields where it can", ErrorOut),
    401: ("Authentication required: an API token (`Authorization: Bearer ...`) or a signed-in "
          "session", ErrorOut),
    403: ("Forbidden: not allowed for this user, or a session write without its CSRF token",
          ErrorOut),
    404: ("Not found", ErrorOut),
    413: ("The request body is larger than the server accepts", ErrorOut),
    422: ("Invalid input: `errors` lists each invalid field", ValidationErrorOut),
    500: ("An unexpected error; logged on the server", ErrorOut),
    503: ("The database is not answering: try again after `Retry-After` seconds", ErrorOut),
}


def _answers_for(operation: dict[str, Any]) -> list[int]:
    codes = [400, 500, 503]
    has_input = bool(operation.get("parameters")) or "requestBody" in operation
    if has_input:
        codes += [404, 422]
    if "requestBody" in operation:
        codes.append(413)
    if operation.get("security"):
        codes += [401, 403]
    return codes


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Adds to every operation the error answers it may give and does not document itself
    (its own description of an answer stays)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, ValidationErrorOut):
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(found.pop("$defs", {}))
        components.setdefault(model.__name__, found)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            documented = {int(code) for code in responses}
            for code in _answers_for(operation):
                if code not in documented:
                    description, body = _ANSWERS[code]
                    responses[code] = {"description": description, "content": _ref(body)}
                    if code == 503:
                        responses[code]["headers"] = {"Retry-After": {
                            "description": "Seconds to wait before trying again",
                            "schema": {"type": "integer"}}}
    return schema
