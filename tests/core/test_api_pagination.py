"""core.api_pagination.Pagination: every paginated list of the API bounds ``limit`` and
``offset``; an offset beyond what the database can hold (2^63) was a 500 on every list."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import citizen
from tinhso.accounts.services import api_token_create
from tinhso.api.api import api
from tinhso.core.api_pagination import MAX_OFFSET

pytestmark = pytest.mark.django_db


def _paginated_lists() -> list[str]:
    paths = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        names = {p["name"] for p in operations.get("get", {}).get("parameters", [])}
        if {"limit", "offset"} <= names and "{" not in path:
            paths.append(path)
    return paths


def test_every_list_answers_422_naming_the_field_for_an_offset_or_limit_out_of_bounds(client):
    user = citizen(username="pager")
    _, raw = api_token_create(actor=user, user=user, name="test")
    token: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    lists = _paginated_lists()
    assert "/api/v1/procedures/" in lists and "/api/v1/units/" in lists and len(lists) >= 10
    for path in lists:
        for query, field in (({"offset": 2**63}, "offset"), ({"offset": MAX_OFFSET + 1}, "offset"),
                             ({"offset": -1}, "offset"), ({"limit": 0}, "limit"),
                             ({"limit": 2**63}, "limit")):
            response = client.get(path, query, **token)
            assert response.status_code == 422, (path, query, response.content[:200])
            assert field in [e["field"] for e in response.json()["errors"]]
        response = client.get(path, {"offset": MAX_OFFSET, "limit": 1}, **token)
        assert response.status_code != 500
        if response.status_code == 200:  # lists that need no other parameter
            assert response.json()["items"] == []
