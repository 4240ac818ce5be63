from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the visitor chose otherwise (the language cookie).

    Django's own middleware follows the browser's Accept-Language, which in Vietnam is very
    often English; the platform is Vietnamese first, so only an explicit choice changes it.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# What PostgreSQL cannot keep in a text column (NUL), and what no encoder can write (a lone
# surrogate, which only a JSON escape such as "\ud800" can produce).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A JSON body whose raw bytes hold none of these escapes needs no second parse.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _shown(name: str) -> str:
    """A name as it can be printed: a NUL as \\x00."""
    return _UNSTORABLE.sub(lambda m: f"\\x{ord(m.group()):02x}"
                           if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", name)


def _unstorable_in(fields: Mapping[str, Any]) -> str | None:
    """The (printable) name of the first field whose name or any value cannot be stored (a
    QueryDict's every value, not only its last)."""
    for name in fields:
        values = fields.getlist(name) if isinstance(fields, MultiValueDict) else [fields[name]]
        if _UNSTORABLE.search(name) or any(_UNSTORABLE.search(str(v)) for v in values):
            return _shown(name)
    return None


def _json_field(data: Any) -> str | None:
    """The dotted path (``applicant.name``, ``items.2``) of the first string in a parsed JSON
    document that cannot be stored; None when there is none. Walked with a stack of its own:
    a body may nest deeper than Python's recursion allows."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                return at or "body"
            continue
        if isinstance(value, dict):
            items: list[tuple[str, Any]] = list(value.items())
        elif isinstance(value, list):
            items = [(str(i), v) for i, v in enumerate(value)]
        else:
            continue
        for key, _item in items:
            if _UNSTORABLE.search(key):
                return f"{at}.{_shown(key)}" if at else _shown(key)
        stack.extend((f"{at}.{_shown(key)}" if at else _shown(key), item)
                     for key, item in reversed(items))
    return None


def _json_kind(data: Any) -> str:
    if isinstance(data, list):
        return _("a list")
    if isinstance(data, str):
        return _("a string")
    if data is None:
        return "null"
    if isinstance(data, bool):
        return _("a boolean")
    return _("a number")


def _api_refusal(status: int, field: str, message: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": [{"field": field, "message": message}]},
                        status=status)


class InputMiddleware:
    """Refuses, before any view or query sees it, what no field of the platform accepts: a NUL
    character (PostgreSQL refuses it in text, so it could only end in a 500) in the path, a
    query parameter, a form field or a cookie: 400, as JSON with the field named under /api/,
    the error page elsewhere. Under /api/ it also checks a JSON body: it must be an object,
    and no string in it may hold a NUL or a lone surrogate (``"\\u0000"``, ``"\\ud800"``):
    422 with the field's dotted path (``applicant.name``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path_info.startswith(API_PREFIX)
        field = self._unstorable_field(request, api)
        if field is not None:
            message = _("Contains a NUL character (code 0), which no field accepts.")
            detail = _("Invalid request: %(field)s contains a NUL character (code 0), which no "
                       "field accepts.") % {"field": field}
            if api:
                return _api_refusal(400, field, message, detail)
            raise BadRequest(detail)
        if api:
            refusal = _json_body_refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def _unstorable_field(request: HttpRequest, api: bool) -> str | None:
        if _UNSTORABLE.search(request.path):
            return "path"
        found = _unstorable_in(request.GET) or _unstorable_in(request.COOKIES)
        if found is None and not api and request.content_type in _FORMS:
            # The API reads no form; a page's form is read here as CsrfViewMiddleware would.
            found = _unstorable_in(request.POST)
        return found


def _json_body_refusal(request: HttpRequest) -> JsonResponse | None:
    """422 when an API request's JSON body is not an object or holds an unstorable string;
    None when it is fine, empty, or not JSON (the API answers that itself)."""
    if request.method not in ("POST", "PUT", "PATCH") or request.content_type in _FORMS:
        return None
    try:
        raw = request.body
    except (RequestDataTooBig, UnreadablePostError):
        return None  # the API answers this itself when its view reads the body
    stripped = raw.lstrip()
    if not stripped or (stripped[:1] == b"{" and not _SUSPECT_ESCAPE.search(raw)):
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None  # not JSON (or nested too deep to read): the API answers that itself
    if not isinstance(data, dict):
        message = _("The body must be a JSON object ({...}), not %(kind)s.") % {
            "kind": _json_kind(data)}
        return _api_refusal(422, "body", message, _("Invalid request: %(message)s")
                            % {"message": message})
    field = _json_field(data)
    if field is None:
        return None
    message = _("Contains a character that cannot be stored (NUL, or half of a surrogate "
                "pair).")
    return _api_refusal(422, field, message, _("Invalid request: %(field)s: %(message)s")
                        % {"field": field, "message": message})
