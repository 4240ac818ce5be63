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
