"""Every API operation × every role × own, child and foreign unit (issue 13, the permission
matrix).

The operations are those of the committed OpenAPI document (``docs/api/openapi.json``, itself
checked against the code by ``tests/api/test_openapi.py``); each must have a line in ``OPS``
(its rule and how to call it), so an endpoint added without one fails here as "unclassified".
Each actor calls with its API token (a bearer token: the token path; the pages' matrix covers
the session). Lists are also read for what they must not contain: an object of the actor's
foreign unit (for citizens, businesses and the anonymous: any unit's non-public object).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.factories import PDF, form_for
from tests.permissions.matrix import (
    ADMINS,
    DOSSIERS_ACT,
    DOSSIERS_VIEW,
    INDICATORS_APPROVE,
    INDICATORS_DEFINE,
    INDICATORS_ENTER,
    OK,
    PROGRAMME_REPORT,
    PROGRAMME_REVIEW,
    PUBLIC_USERS,
    STAFF,
    KnownHoles,
    Mismatch,
    Rule,
    Tally,
    outcome,
    public,
    rolled_back,
    settle,
    signed_in,
    stale,
    unclassified,
)
from tests.permissions.world import ACTORS, Place, World, build_world
from tinhso.documents.models import Document as OfficeDocument
from tinhso.procedures.models import Procedure

pytestmark = pytest.mark.django_db

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"

Request = Callable[[World, Place | None], tuple[str, dict[str, Any] | None]]
Leak = Callable[[World, str, Any], list[str]]


@dataclass(frozen=True)
class Op:
    rule: Rule
    call: Request
    per_unit: bool = True  # the object named belongs to a unit: tried on own, child, foreign
    leak: Leak | None = None


def _items(body: Any) -> list[dict[str, Any]]:
    return body.get("items", []) if isinstance(body, dict) else body or []


def dossier_leak(world: World, actor: str, body: Any) -> list[str]:
    codes = {f"PX-{code}" for code in world.foreign_codes(actor)}
    return [item["code"] for item in _items(body) if item.get("code") in codes]


def value_leak(world: World, actor: str, body: Any) -> list[str]:
    foreign = world.foreign_codes(actor)
    return [f"{item['unit']} {item['period']} {item['status']}" for item in _items(body)
            if item.get("unit") in foreign and item.get("status") != "approved"]


def _by_id(key: str, ids: Callable[[Place], int]) -> Leak:
    def leak(world: World, actor: str, body: Any) -> list[str]:
        secret = {ids(world.places[code]) for code in world.foreign_codes(actor)}
        return [f"{key} {item['id']}" for item in _items(body) if item.get("id") in secret]
    return leak


task_leak = _by_id("task", lambda p: p.task.pk)
report_leak = _by_id("report", lambda p: p.report.pk)
round_leak = _by_id("round", lambda p: p.round.pk)


def _pdf() -> dict[str, str]:
    return {"name": "to-khai.pdf", "content_base64": base64.b64encode(PDF).decode()}


def _submission(world: World, _: Place | None) -> tuple[str, dict[str, Any]]:
    procedure = Procedure.objects.get(code=world.procedure_code)
    return "/api/v1/dossiers/", {
        "procedure": procedure.code, "unit": "56.STC",
        "applicant": {"name": "Nguyễn Văn An", "phone": "0905123456"},
        "form": form_for(procedure),
        "documents": {d["code"]: _pdf() for d in procedure.required_documents}}


def _ranking(world: World) -> tuple[str, int]:
    return world.extra["framework"], world.extra["year"]


V1 = "/api/v1"
READ_PROGRAMME = Rule(STAFF, foreign=404)


def _office_document(world: World, place: Place | None) -> tuple[str, None]:
    """An incoming document registered at the place's unit (made on first use)."""
    assert place is not None
    document = OfficeDocument.objects.filter(unit=place.unit).first() or \
        OfficeDocument.objects.create(
            direction="in", unit=place.unit, year=2026, number=1, issuer_code="000.00.00.G12",
            issuer_name="Bộ Khoa học và Công nghệ", kind="Công văn", status="registered",
            subject="Ma trận quyền", search_text="01 ma tran quyen", reach=[place.unit.pk])
    return f"{V1}/documents/{document.pk}", None


OPS: dict[str, Op] = {
    "GET /api/v1/version": Op(public(), lambda w, p: (f"{V1}/version", None), False),
    "GET /api/v1/me": Op(signed_in(), lambda w, p: (f"{V1}/me", None), False),
    # dossiers: staff within their scope, applicants their own; 404 for anyone else
    "GET /api/v1/dossiers/": Op(signed_in(), lambda w, p: (f"{V1}/dossiers/?limit=500", None),
                                False, dossier_leak),
    "POST /api/v1/dossiers/": Op(Rule(PUBLIC_USERS, scoped=False), _submission, False),
    "GET /api/v1/dossiers/lookup/": Op(public(), lambda w, p: (
        f"{V1}/dossiers/lookup/?code=PX-56.STC&phone=0905000111", None), False),
    "GET /api/v1/dossiers/{code}/": Op(Rule(DOSSIERS_VIEW, refused=404), lambda w, p: (
        f"{V1}/dossiers/{p.dossier.code}/", None)),
    "POST /api/v1/dossiers/{code}/actions/{action}/": Op(
        Rule(DOSSIERS_ACT, see=DOSSIERS_VIEW, refused=404), lambda w, p: (
            f"{V1}/dossiers/{p.dossier.code}/actions/refuse/", {"reason": "Thiếu giấy tờ."})),
    # online payment: the state for whoever sees the dossier, the start for its applicant only
    # the document office: staff search what they may see; a document outside it is a 404
    "GET /api/v1/documents/": Op(Rule(STAFF, scoped=False), lambda w, p: (
        f"{V1}/documents/?q=ma+tran", None), False),
    "GET /api/v1/documents/{document_id}": Op(Rule(STAFF, foreign=404), _office_document),
    "GET /api/v1/payments/dossiers/{code}/": Op(Rule(DOSSIERS_VIEW, refused=404), lambda w, p: (
        f"{V1}/payments/dossiers/{p.dossier.code}/", None)),
    "POST /api/v1/payments/dossiers/{code}/": Op(Rule(frozenset(), refused=404), lambda w, p: (
        f"{V1}/payments/dossiers/{p.dossier.code}/", {})),
    # public reference data
    "GET /api/v1/indicators/": Op(public(), lambda w, p: (f"{V1}/indicators/", None), False),
    "GET /api/v1/indicators/{code}/": Op(public(), lambda w, p: (
        f"{V1}/indicators/{w.indicator_code}/", None), False),
    "GET /api/v1/indicators/{code}/series/": Op(public(), lambda w, p: (
        f"{V1}/indicators/{w.indicator_code}/series/?unit=56.STC", None), False),
    "GET /api/v1/procedures/": Op(public(), lambda w, p: (f"{V1}/procedures/", None), False),
    "GET /api/v1/procedures/{code}/": Op(public(), lambda w, p: (
        f"{V1}/procedures/{w.procedure_code}/", None), False),
    "GET /api/v1/statistics/services/": Op(public(), lambda w, p: (
        f"{V1}/statistics/services/?unit=56", None), False),
    "GET /api/v1/targets/": Op(public(), lambda w, p: (f"{V1}/targets/", None), False),
    "POST /api/v1/targets/": Op(Rule(INDICATORS_DEFINE), lambda w, p: (
        f"{V1}/targets/", {"indicator": w.indicator_code, "unit": p.unit.code, "year": 2031,
                           "value": "50", "source": "Ma trận quyền"})),
    "GET /api/v1/units/": Op(public(), lambda w, p: (f"{V1}/units/", None), False),
    "GET /api/v1/units/{code}/": Op(public(), lambda w, p: (f"{V1}/units/{p.unit.code}/", None)),
    "PATCH /api/v1/units/{code}/": Op(Rule(ADMINS), lambda w, p: (
        f"{V1}/units/{p.unit.code}/", {"name_en": "Changed by the matrix"})),
    "GET /api/v1/scoring/frameworks/": Op(public(), lambda w, p: (
        f"{V1}/scoring/frameworks/", None), False),
    "GET /api/v1/scoring/rankings/{framework}/{year}/": Op(public(), lambda w, p: (
        "{}/scoring/rankings/{}/{}/".format(V1, *_ranking(w)), None), False),
    "GET /api/v1/scoring/units/{framework}/{year}/{unit}/": Op(public(), lambda w, p: (
        "{}/scoring/units/{}/{}/56/".format(V1, *_ranking(w)), None), False),
    "POST /api/v1/scoring/what-if/": Op(public(), lambda w, p: (
        f"{V1}/scoring/what-if/", {"framework": _ranking(w)[0], "year": _ranking(w)[1],
                                   "unit": "56", "target_rank": 10}), False),
    # indicator values, every status with comments: the units one enters, approves or watches
    # (approved figures are public through the series)
    "GET /api/v1/values/": Op(signed_in(), lambda w, p: (
        f"{V1}/values/?indicator={w.indicator_code}&limit=500", None), False, value_leak),
    "POST /api/v1/values/": Op(Rule(INDICATORS_ENTER), lambda w, p: (
        f"{V1}/values/", {"indicator": w.indicator_code, "unit": p.unit.code,
                          "period": "2022", "value": "12"})),
    "POST /api/v1/values/{value_id}/submit/": Op(Rule(INDICATORS_ENTER), lambda w, p: (
        f"{V1}/values/{p.draft.pk}/submit/", None)),
    "POST /api/v1/values/{value_id}/approve/": Op(Rule(INDICATORS_APPROVE), lambda w, p: (
        f"{V1}/values/{p.submitted.pk}/approve/", None)),
    "POST /api/v1/values/{value_id}/return/": Op(Rule(INDICATORS_APPROVE), lambda w, p: (
        f"{V1}/values/{p.submitted.pk}/return/", {"reason": "Sai số liệu."})),
    "POST /api/v1/values/{value_id}/reopen/": Op(Rule(INDICATORS_APPROVE), lambda w, p: (
        f"{V1}/values/{p.approved.pk}/reopen/", {"reason": "Sai số liệu."})),
    # collection rounds: those one runs, watches or reports in; another's does not exist
    "GET /api/v1/rounds/": Op(signed_in(), lambda w, p: (
        f"{V1}/rounds/", None), False, round_leak),
    "GET /api/v1/rounds/{round_id}/": Op(Rule(STAFF, refused=404), lambda w, p: (
        f"{V1}/rounds/{p.round.pk}/", None)),
    # the programme: documents are public; tasks and reports are their units' (and the
    # province's coordinator's and leader's)
    "GET /api/v1/programme/documents/": Op(public(), lambda w, p: (
        f"{V1}/programme/documents/", None), False),
    "GET /api/v1/programme/documents/{document_id}/": Op(public(), lambda w, p: (
        f"{V1}/programme/documents/{w.document_id}/", None), False),
    "GET /api/v1/programme/documents/{document_id}/file/": Op(public(), lambda w, p: (
        f"{V1}/programme/documents/{w.document_id}/file/", None), False),
    "GET /api/v1/programme/documents/{document_id}/progress/": Op(
        Rule(STAFF, scoped=False), lambda w, p: (
            f"{V1}/programme/documents/{p.document_id}/progress/", None)),
    "GET /api/v1/programme/groups/": Op(Rule(STAFF, scoped=False), lambda w, p: (
        f"{V1}/programme/groups/?document={p.document_id}", None)),
    "GET /api/v1/programme/tasks/": Op(Rule(STAFF, scoped=False), lambda w, p: (
        f"{V1}/programme/tasks/?limit=500", None), False, task_leak),
    "GET /api/v1/programme/tasks/{task_id}/": Op(READ_PROGRAMME, lambda w, p: (
        f"{V1}/programme/tasks/{p.task.pk}/", None)),
    "POST /api/v1/programme/tasks/{task_id}/reports/": Op(
        Rule(PROGRAMME_REPORT, see=STAFF, foreign=404), lambda w, p: (
            f"{V1}/programme/tasks/{p.task.pk}/reports/",
            {"period": "2026Q3", "percent": 50, "done_text": "Đã triển khai."})),
    "GET /api/v1/programme/reports/": Op(Rule(STAFF, scoped=False), lambda w, p: (
        f"{V1}/programme/reports/?limit=500", None), False, report_leak),
    "GET /api/v1/programme/reports/{report_id}/": Op(READ_PROGRAMME, lambda w, p: (
        f"{V1}/programme/reports/{p.report.pk}/", None)),
    "POST /api/v1/programme/reports/{report_id}/accept/": Op(
        Rule(PROGRAMME_REVIEW, see=STAFF, foreign=404), lambda w, p: (
            f"{V1}/programme/reports/{p.report.pk}/accept/", {})),
    "POST /api/v1/programme/reports/{report_id}/return/": Op(
        Rule(PROGRAMME_REVIEW, see=STAFF, foreign=404), lambda w, p: (
            f"{V1}/programme/reports/{p.report.pk}/return/", {"comment": "Bổ sung."})),
    "GET /api/v1/programme/evidence/{evidence_id}/": Op(READ_PROGRAMME, lambda w, p: (
        f"{V1}/programme/evidence/{p.report_evidence.pk}/", None)),
}

# Holes others are fixing (issue 13), expected to flip: (operation, actor, relation) -> why.
KNOWN: dict[tuple[str, str, str], str] = {}


def api_operations() -> list[str]:
    paths = json.loads(OPENAPI.read_text(encoding="utf-8"))["paths"]
    return [f"{method.upper()} {path}" for path, methods in paths.items() for method in methods]


def test_every_api_operation_is_classified() -> None:
    """A new endpoint fails here until the matrix says who may call it."""
    found = api_operations()
    assert not unclassified(found, OPS), (
        "unclassified operation(s): add a rule to tests/permissions/test_api_matrix.py OPS: "
        + ", ".join(unclassified(found, OPS)))
    assert not stale(found, OPS), "operations no longer in the API: " + ", ".join(
        stale(found, OPS))


def _client(world: World, actor: str) -> Client:
    if actor == "anonymous":
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[actor]}")


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None) -> Any:
    if method == "GET":
        return client.get(url)
    send = client.patch if method == "PATCH" else client.post
    return send(url, json.dumps(body or {}), content_type="application/json")


def _cases(world: World) -> Iterator[tuple[str, str, Client]]:
    """(operation, actor, client): every operation with each actor's token; the lists also
    with each actor's browser session (one visibility rule for both)."""
    tokens = {actor: _client(world, actor) for actor in ACTORS}
    sessions = {actor: Client() for actor in ACTORS}
    for actor, client in sessions.items():
        if actor != "anonymous":
            client.force_login(world.users[actor])
    for key in api_operations():
        for actor in ACTORS:
            yield key, actor, tokens[actor]
            if OPS[key].leak is not None and actor != "anonymous":
                yield f"{key} (session)", actor, sessions[actor]


def _check(world: World, name: str, actor: str, relation: str, response: Any) -> Mismatch | None:
    key = name.removesuffix(" (session)")
    op = OPS[key]
    want, got = op.rule.expected(actor, relation), outcome(response)
    leaked = (op.leak(world, actor, response.json())
              if op.leak and got == OK and key.startswith("GET ") else [])
    if want == got and not leaked:
        return None
    note = f"leaks {leaked}" if leaked else response.content[:120].decode(
        errors="replace").replace("\n", " ")
    return Mismatch(name, actor, relation, want, got, note)


def run_api(world: World) -> Tally:
    tally = Tally()
    for name, actor, client in _cases(world):
        key = name.removesuffix(" (session)")
        op, method = OPS[key], key.split(" ", 1)[0]
        for relation in (list(world.relations[actor]) if op.per_unit else ["-"]):
            url, body = op.call(world, world.place(actor, relation) if op.per_unit else None)
            response = (client.get(url) if method == "GET" else
                        rolled_back(_send, client, method, url, body))
            tally.cases += 1
            mismatch = _check(world, name, actor, relation, response)
            if mismatch is not None:
                tally.mismatches.append(mismatch)
    return tally


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.mark.xfail(bool(KNOWN), strict=True, raises=KnownHoles,
                   reason="known holes being fixed elsewhere (KNOWN)")
def test_api_permission_matrix(world: World) -> None:
    settle(run_api(world), KNOWN, "API")
