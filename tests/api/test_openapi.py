"""The committed OpenAPI document must describe the code: `make openapi` rewrites it."""

from __future__ import annotations

import json
from pathlib import Path

from tinhso.api.api import api

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"


def test_the_committed_openapi_document_matches_the_code():
    current = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1"),
                                    sort_keys=True))
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert current == committed, (
        "docs/api/openapi.json is out of date with the API: run `make openapi` and commit it"
    )


def test_the_document_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/units/" in paths and "/api/v1/units/{code}/" in paths
    assert client.get("/api/v1/docs").status_code == 200


def _schemas(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found += _schemas(sub)
    return found


def test_no_two_schemas_of_the_api_share_a_name():
    """The document keys its components by class name: a second schema of the same name would
    silently replace the first in it (it happened once, `TargetOut` of two apps)."""
    from ninja import Schema

    api.get_openapi_schema(path_prefix="/api/v1")  # every router imported
    named: dict[str, set[str]] = {}
    for schema in _schemas(Schema):
        if schema.__module__.startswith("tinhso."):
            named.setdefault(schema.__name__, set()).add(schema.__module__)
    shared = {name: modules for name, modules in named.items() if len(modules) > 1}
    assert not shared, f"schemas sharing a name: {shared}"


def test_every_operation_documents_the_errors_it_may_answer():
    """A client reads from the document every status it must handle: 400 (a NUL, a body that
    is not JSON), 422 where there is input, 401 and 403 where authentication is taken, 404,
    500 and 503 (with Retry-After), each with the JSON body it comes with."""
    paths = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = {int(code) for code in operation["responses"]}
            expected = {400, 500, 503}
            if operation.get("parameters") or "requestBody" in operation:
                expected |= {404, 422}
            if operation.get("security"):
                expected |= {401, 403}
            assert expected <= codes, f"{method.upper()} {path}: {sorted(expected - codes)}"
            assert "Retry-After" in operation["responses"][503]["headers"]
            for code in expected:
                body = operation["responses"][code]["content"]["application/json"]["schema"]
                assert body["$ref"].rsplit("/", 1)[1] in ("ErrorOut", "ValidationErrorOut")
