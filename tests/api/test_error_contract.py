"""The API's error contract (issue 13, item 10): every answer under /api/ is JSON with a
``detail``, the status the documentation gives, and ``errors`` where fields are at fault."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client

from tinhso.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

WRITE = ("/api/v1/units/56/", {"name_en": "Khanh Hoa"})


@pytest.fixture(autouse=True)
def _english(client: Client, settings: Any) -> None:
    """Messages asserted in English, whatever the catalogue translates (the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _browser(**kwargs: Any) -> Client:
    browser = Client(**kwargs)
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def _strict_json(response: Any) -> Any:
    """The body as JSON that RFC 8259 accepts (no NaN, no Infinity)."""
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in the JSON: {response.content[:200]!r}")
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content, parse_constant=refuse)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("patch", *WRITE),
    ("post", "/api/v1/values/", {"indicator": "x", "unit": "56", "period": "2025"}),
    ("post", "/api/v1/values/1/approve/", {}),
    ("post", "/api/v1/dossiers/", {}),
    ("post", "/api/v1/programme/reports/1/accept/", {}),
])
def test_an_anonymous_write_answers_401_not_a_csrf_refusal(reference_units, method, path, body):
    browser = _browser(enforce_csrf_checks=True)  # as a real browser or script: CSRF enforced
    response = getattr(browser, method)(path, body, content_type="application/json")
    assert response.status_code == 401
    assert _strict_json(response) == {
        "detail": "Authentication required: send 'Authorization: Bearer <token>' or sign in."}
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_session_write_needs_its_csrf_token(reference_units, admin_user):
    browser = _browser(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    refused = browser.patch(*WRITE, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in _strict_json(refused)["detail"]
    assert browser.get("/api/v1/me").status_code == 200  # a read needs no token
    browser.get("/me/")  # a page sets the CSRF cookie, as for its forms
    token = browser.cookies["csrftoken"].value
    accepted = browser.patch(*WRITE, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200 and accepted.json()["name_en"] == "Khanh Hoa"


def test_a_token_write_needs_no_csrf_token(reference_units, admin_user):
    _, token = api_token_create(actor=admin_user, user=admin_user, name="script")
    browser = _browser(enforce_csrf_checks=True)
    response = browser.patch(*WRITE, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["name_en"] == "Khanh Hoa"


def _failing(exc: Exception) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exc
    return fail


def test_an_unexpected_error_answers_500_json_without_the_traceback(client, monkeypatch):
    monkeypatch.setattr("tinhso.scoring.api.available_frameworks",
                        _failing(RuntimeError("secret: /etc/tinhso/key")))
    response = client.get("/api/v1/scoring/frameworks/")
    assert response.status_code == 500
    body = _strict_json(response)
    assert body == {"detail": "An unexpected error occurred on the server; it has been logged."}
    assert b"secret" not in response.content and b"Traceback" not in response.content


def test_a_database_outage_answers_503_json_with_retry_after(client, monkeypatch):
    monkeypatch.setattr("tinhso.scoring.api.available_frameworks",
                        _failing(OperationalError("connection refused")))
    response = client.get("/api/v1/scoring/frameworks/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "database is not answering" in _strict_json(response)["detail"]


def database_down(get_response: Callable[[HttpRequest], HttpResponse]) -> Any:
    """A middleware meeting a database that does not answer (as when reading the session)."""
    def middleware(request: HttpRequest) -> HttpResponse:
        raise OperationalError("server closed the connection unexpectedly")
    return middleware


def crashing(get_response: Callable[[HttpRequest], HttpResponse]) -> Any:
    def middleware(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("secret: a bug in a middleware")
    return middleware


def test_errors_outside_the_api_handlers_answer_json_under_api(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.api.test_error_contract.database_down"]
    visitor = _browser(raise_request_exception=False)
    response = visitor.get("/api/v1/version")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "database is not answering" in _strict_json(response)["detail"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:-1], "tests.api.test_error_contract.crashing"]
    response = _browser(raise_request_exception=False).get("/api/v1/version")
    assert response.status_code == 500 and b"secret" not in response.content
    assert _strict_json(response)["detail"].startswith("An unexpected error")
    page = _browser(raise_request_exception=False).get("/")  # pages keep their HTML error page
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_an_unknown_address_under_api_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and _strict_json(response) == {"detail": "Not Found"}


@pytest.mark.parametrize("body", ["{bad", '{"framework": ', b"\xff\xfe"])
def test_a_body_that_is_not_json_names_the_body(client, body):
    response = client.post("/api/v1/scoring/what-if/", body, content_type="application/json")
    assert response.status_code == 400
    errors = _strict_json(response)["errors"]
    assert [e["field"] for e in errors] == ["body"]
    assert errors[0]["message"].startswith("The body is not valid JSON")


@pytest.mark.parametrize("value", ["0", "1", "20260701", "01/07/2026", "2026-13-01", "x"])
def test_a_date_parameter_takes_only_an_iso_date(client, reference_units, value):
    response = client.get("/api/v1/units/", {"on": value})
    assert response.status_code == 422
    body = _strict_json(response)
    assert body["errors"][0]["field"] == "on"
    assert client.get("/api/v1/units/", {"on": "2026-07-01"}).status_code == 200


@pytest.mark.parametrize("number", [float("nan"), float("inf")])
def test_the_api_never_writes_a_number_json_does_not_have(client, reference_units, monkeypatch,
                                                          number):
    """NaN and Infinity are not JSON: the renderer refuses them (a loud 500 in the tests and
    the log), rather than writing a body a client's parser rejects."""
    unit = reference_units["56"]
    monkeypatch.setattr("tinhso.scoring.api.merged_ranking",
                        lambda framework, year: [(1, unit, number)])
    response = client.get("/api/v1/scoring/rankings/dti-province-922/2022/", {"merged": "true"})
    assert response.status_code == 500
    assert _strict_json(response)["detail"].startswith("An unexpected error")


def test_every_date_input_takes_only_an_iso_date(client, reference_units, admin_user):
    """The dossiers' received_from/received_to and an apology's new_due_at as well as the
    units' on: '0' was read as 1 January 1970."""
    _, token = api_token_create(actor=admin_user, user=admin_user, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for name in ("received_from", "received_to"):
        response = client.get("/api/v1/dossiers/", {name: "0"}, **auth)
        assert response.status_code == 422
        assert _strict_json(response)["errors"][0]["field"] == name
        assert client.get("/api/v1/dossiers/", {name: "2026-07-01"}, **auth).status_code == 200
    response = client.patch("/api/v1/units/56/", {"valid_from": 0},
                            content_type="application/json", **auth)
    assert response.status_code == 422
    assert _strict_json(response)["errors"][0]["field"] == "valid_from"
