"""core.middleware.InputMiddleware: a NUL character (which PostgreSQL refuses in text, so that a
query holding one ended in a 500) is refused with a 400 that names where it was, on every page
and every API operation, and an API's JSON body must be an object of storable strings.

The walks are generated from the URL resolver and the API's OpenAPI document, so a new page or
operation is covered without a line here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import citizen
from tinhso.accounts.services import api_token_create
from tinhso.api.api import api

pytestmark = pytest.mark.django_db

NUL = "\x00"


@pytest.fixture(autouse=True)
def _english(client: Any, settings: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _page_routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("api/"):
            continue  # the API is walked through its OpenAPI document
        if isinstance(entry, URLResolver):
            yield from _page_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _page_url(route: str, text: str) -> str:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[0], route)
    return "/" + re.sub(r"<(?:(\w+):)?\w+>",
                        lambda m: "1" if m.group(1) == "int" else text, route)


def _operations() -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation.get("parameters", [])


def _call(client: Any, method: str, url: str, **extra: Any) -> Any:
    return getattr(client, method)(url, **extra)


def test_the_urls_of_the_report_answer_400_naming_the_field(client):
    for url, field in (("/api/v1/units/?q=%00", "q"), ("/api/v1/procedures/%00/", "path"),
                       ("/api/v1/dossiers/lookup/?code=%00&phone=1", "code"),
                       ("/api/v1/procedures/?offset=1&q=ab%00c", "q"),
                       ("/api/v1/units/?q=%00&q=ok", "q")):  # every value, not the last
        response = client.get(url)
        assert response.status_code == 400, url
        body = response.json()
        assert body["errors"] == [{"field": field, "message": body["errors"][0]["message"]}]
        assert "NUL" in body["errors"][0]["message"] and field in body["detail"]
    for url in ("/services/?q=%00", "/units/%00/", "/dossiers/lookup/?code=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("text/html")
        assert b"NUL" in response.content


def test_every_api_operation_refuses_a_nul_in_each_path_and_query_parameter(client):
    checked = 0
    for method, path, parameters in _operations():
        plain = {p["name"]: "1" for p in parameters if p["in"] == "path"}
        for parameter in parameters:
            values = {**plain, parameter["name"]: f"a{NUL}"}
            query: dict[str, str] = {}
            if parameter["in"] == "path":
                url = path.format(**values)
            else:
                url = path.format(**plain)
                query = {parameter["name"]: values[parameter["name"]]}
            if method == "get":
                response = client.get(url, query)
            else:
                url += "?" + "&".join(f"{k}=a%00" for k in query)
                response = _call(client, method, url, data={}, content_type="application/json")
            assert response.status_code == 400, (method, url, query, response.content[:200])
            expected = "path" if parameter["in"] == "path" else parameter["name"]
            assert response.json()["errors"][0]["field"] == expected
            checked += 1
    assert checked > 50  # every parameter of every operation, not an empty walk


def test_every_page_refuses_a_nul_in_its_path_and_its_query(client):
    routes = list(_page_routes(get_resolver().url_patterns))
    assert len(routes) > 50
    for route in routes:
        url = _page_url(route, f"x{NUL}y")
        if NUL in url:
            response = client.get(url)
            assert response.status_code == 400, url
        response = client.get(_page_url(route, "x"), {"q": NUL, "page": "1"})
        assert response.status_code == 400, route
        assert b"NUL" in response.content


def test_a_form_field_or_a_cookie_with_a_nul_is_refused_before_anything_reads_it(client,
                                                                                 settings):
    response = client.post("/dossiers/lookup/", {"code": f"22366-{NUL}", "phone": "0905"})
    assert response.status_code == 400 and b"code" in response.content
    client.cookies[settings.SESSION_COOKIE_NAME] = f"abcdefgh{NUL}ijklmnop"
    response = client.get("/me/")
    assert response.status_code == 400
    assert settings.SESSION_COOKIE_NAME.encode() in response.content


def test_json_strings_with_a_nul_or_a_lone_surrogate_are_named_by_their_path(client):
    user = citizen(username="nul")
    _, raw = api_token_create(actor=user, user=user, name="test")
    token = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for text, field in (
        ('{"applicant": {"name": "A\\u0000B"}}', "applicant.name"),
        ('{"documents": {"to_khai": {"name": "\\u0000.pdf"}}}', "documents.to_khai.name"),
        ('{"form": {"children": ["ok", "x\\ud800"]}}', "form.children.1"),
        ('{"form": {"k\\u0000": 1}}', "form.k\\x00"),
    ):
        response = client.post("/api/v1/dossiers/", text, content_type="application/json",
                               **token)
        assert response.status_code == 422, text
        assert response.json()["errors"][0]["field"] == field
        assert field in response.json()["detail"]
    # A paired surrogate is an ordinary character (an emoji): the API reads it as usual.
    response = client.post("/api/v1/dossiers/", '{"applicant": {"name": "\\ud83d\\ude00"}}',
                           content_type="application/json", **token)
    assert response.status_code == 422 and "body" not in str(response.json()["errors"])
    assert "applicant.name" not in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("body", ["[]", "[{}]", '"x"', "1", "true", "null"])
def test_every_api_write_refuses_a_body_that_is_not_an_object(client, body):
    writes = [(m, p) for m, p, _ in _operations() if m in ("post", "put", "patch")]
    assert len(writes) >= 10
    for method, path in writes:
        url = re.sub(r"\{(\w+)\}", "1", path)
        response = _call(client, method, url, data=body, content_type="application/json")
        assert response.status_code == 422, (method, path, response.content[:200])
        assert response.json()["errors"][0]["field"] == "body"
        assert "JSON object" in response.json()["errors"][0]["message"]


def test_a_deeply_nested_body_is_answered_not_a_500(client):
    deep = '{"a": ' * 900 + '"x\\u0000"' + "}" * 900
    response = client.post("/api/v1/scoring/what-if/", deep, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == ".".join(["a"] * 900)
    deeper = '{"a": ' * 100_000 + "1" + "}" * 100_000
    response = client.post("/api/v1/scoring/what-if/", deeper, content_type="application/json")
    assert 400 <= response.status_code < 500
