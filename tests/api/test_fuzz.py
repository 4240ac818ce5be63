"""Schemathesis over the committed OpenAPI document, as an anonymous visitor, a citizen and an
administrator: no answer is a server error, every answer's status is documented and its body
matches the documented schema.

Short and deterministic here (``FUZZ_EXAMPLES`` examples per operation and role, derandomized,
no example database on disk); ``FUZZ_EXAMPLES=500 .venv/bin/pytest tests/api/test_fuzz.py``
(``make fuzz``) is the long form. The requests go to the Django application through WSGI, in the
test database: the demo data, read once for the module and rolled back after it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.helpers import demo_for_module
from tinhso.accounts.models import User
from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.services import api_token_create
from tinhso.wsgi import application

# Every test here uses the test database (which is how pytest-django knows to make it, even
# when one test is run alone: the module's fixture must never read the real database).
pytestmark = pytest.mark.django_db

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
ROLES = ("anonymous", "citizen", "administrator")

SCHEMA = schemathesis.openapi.from_path(DOCUMENT)
OPERATIONS = [(method.upper(), path)
              for path, methods in json.loads(DOCUMENT.read_text(encoding="utf-8"))["paths"].items()
              for method in methods]

# A failure known and being fixed elsewhere: (METHOD, path) -> why, run as a non-strict xfail
# until the fix lands. Empty: every failure found for issue 13 is fixed.
KNOWN: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def tokens(django_db_setup: Any, django_db_blocker: Any,
           tmp_path_factory: Any) -> Iterator[dict[str, str]]:
    """The demo data and a token for the citizen and the administrator, for the whole module,
    rolled back after it (each test runs in a savepoint inside); the demo's files in a
    temporary directory, as every test's (conftest's settings are per test, this is earlier)."""
    with demo_for_module(django_db_blocker, tmp_path_factory, "fuzz"):
        found = {}
        for role, username in (("citizen", "congdan"), ("administrator", "admin")):
            user = User.objects.get(username=username)
            found[role] = api_token_create(actor=SYSTEM, user=user, name="fuzz")[1]
        yield found


@pytest.fixture
def wsgi(db: None) -> Iterator[Any]:
    """The WSGI application, keeping the test's connection (and its transaction) open between
    requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _params() -> Iterator[Any]:
    for role in ROLES:
        for method, path in OPERATIONS:
            marks = []
            if (method, path) in KNOWN:
                marks.append(pytest.mark.xfail(reason=KNOWN[(method, path)], strict=False))
            yield pytest.param(role, method, path, id=f"{role}-{method}-{path}", marks=marks)


@pytest.mark.parametrize(("role", "method", "path"), list(_params()))
def test_the_api_answers_as_documented(role: str, method: str, path: str,
                                       tokens: dict[str, str], wsgi: Any) -> None:
    operation = SCHEMA[path][method]
    headers = {"Authorization": f"Bearer {tokens[role]}"} if role in tokens else {}
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                         operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=(Phase.explicit, Phase.generate, Phase.shrink),
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case: schemathesis.Case) -> None:
        if role in tokens:
            case.headers = {**(case.headers or {}), **headers}
        response = case.call(app=wsgi)
        case.validate_response(response, checks=CHECKS)

    check()


def test_the_roles_are_who_they_say(tokens: dict[str, str], client: Any) -> None:
    """The fuzzer's citizen and administrator are signed in (else it would only see 401s)."""
    for role, username in (("citizen", "congdan"), ("administrator", "admin")):
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {tokens[role]}")
        assert response.status_code == 200 and response.json()["username"] == username
    assert client.get("/api/v1/me").status_code == 401
