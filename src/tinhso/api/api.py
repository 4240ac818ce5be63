"""The API under /api/v1/: one NinjaAPI, one router per domain, errors as JSON with a message.

The OpenAPI document is committed in ``docs/api/openapi.json``; ``make openapi`` rewrites it and
a test fails when it drifts from the code.
"""


from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tinhso import __version__
from tinhso.accounts.api_auth import AUTH
from tinhso.api.errors import (
    JSONParser,
    StrictJSONRenderer,
    document_errors,
    server_error,
    unparsable_body,
)
from tinhso.core.api_schemas import ErrorOut
from tinhso.documents.api import router as documents_router
from tinhso.indicators.api import router as indicators_router
from tinhso.indicators.target_api import router as targets_router
from tinhso.payments.api import router as payments_router
from tinhso.procedures.api import router as procedures_router
from tinhso.procedures.dossier_api import router as dossiers_router
from tinhso.procedures.statistics_api import router as statistics_router
from tinhso.programme.api import router as programme_router
from tinhso.scoring.api import router as scoring_router
from tinhso.units.api import router as units_router


class TinhsoAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        """The document, with the common error answers on every operation (errors.py)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


api = TinhsoAPI(
    title="tinhso API",
    version="1",
    description=(
        "The API of tỉnh số: administrative units, and (in later versions) public services, "
        "the programme, indicators and rankings. Read endpoints on public reference data need "
        "no authentication; everything else takes an API token (`Authorization: Bearer ...`) "
        "or a signed-in browser session. Errors are JSON: `{\"detail\": \"what went wrong\"}`, "
        "with `errors` listing each invalid field (`body` when the body is not JSON). Every "
        "operation documents the errors it may answer; 503 (the database is not answering) "
        "comes with `Retry-After`."
    ),
    parser=JSONParser(),
    renderer=StrictJSONRenderer(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "payload")]
    return ".".join(parts) or "request"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "invalid")}
              for e in exc.errors]
    detail = "Invalid request: " + "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [{"field": field, "message": " ".join(messages)}
                  for field, messages in exc.message_dict.items()]
    else:
        errors = [{"field": "request", "message": m} for m in exc.messages]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {
        "detail": "Authentication required: send 'Authorization: Bearer <token>' or sign in.",
    }, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Permission denied."}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(ObjectDoesNotExist)
def on_object_missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return api.create_response(request, {
        "detail": f"The request body is larger than {limit}, the most this server accepts: "
                  "send fewer or smaller documents (each file at most 10 MB).",
    }, status=413)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return (unparsable_body(request, api, exc)
            or api.create_response(request, {"detail": str(exc)}, status=exc.status_code))


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """JSON, never the HTML error page nor a traceback: 503 when the database is down."""
    return server_error(request, api, exc)


class MeOut(Schema):
    username: str
    kind: str
    unit: str | None
    roles: list[dict[str, str]]


class VersionOut(Schema):
    version: str


@api.get("/version", response=VersionOut, tags=["meta"], summary="Platform version")
def version(request: HttpRequest) -> dict[str, str]:
    return {"version": __version__}


@api.get("/me", response={200: MeOut, 401: ErrorOut}, auth=AUTH, tags=["meta"],
         summary="Who am I, with my roles")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return {
        "username": user.username,
        "kind": user.kind,
        "unit": user.unit.code if user.unit_id else None,
        "roles": [{"role": role, "unit": code}
                  for role, code in user.role_assignments.values_list("role", "unit__code")],
    }


api.add_router("/units/", units_router)
api.add_router("/", indicators_router)
api.add_router("/", targets_router)
api.add_router("/scoring/", scoring_router)
api.add_router("/procedures/", procedures_router)
api.add_router("/dossiers/", dossiers_router)
api.add_router("/payments/", payments_router)
api.add_router("/statistics/", statistics_router)
api.add_router("/programme/", programme_router)
api.add_router("/documents/", documents_router)
