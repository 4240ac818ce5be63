"""Every staff and public page × every role × own, child and foreign unit (issue 13, the
permission matrix).

The pages are the URL resolver's routes (``get_resolver().url_patterns``, walked; the API's
own routes are the API matrix's); each must have a line in ``PAGES`` (its rule and how to
reach it: the path's parameters filled from the world's object at the unit tried), so a page
added without one fails here as "unclassified". Actors are signed in with the session; pages
that change something are POSTed (in a transaction rolled back afterwards), the others read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.permissions.matrix import (
    ADMINS,
    CATALOGUE_MANAGE,
    DOSSIERS_ACT,
    DOSSIERS_VIEW,
    INDICATORS_APPROVE,
    INDICATORS_DEFINE,
    INDICATORS_ENTER,
    LOGIN,
    OK,
    PROGRAMME_REPORT,
    PROGRAMME_REVIEW,
    PUBLIC_USERS,
    REPORTS_MAKE,
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
from tests.permissions.world import ACTORS, ANSWER_YEAR, FRAMEWORK, Place, World, build_world
from tinhso.procedures.models import CatalogueImport
from tinhso.reports.models import ReportRun

pytestmark = pytest.mark.django_db

Reach = Callable[[World, Place | None], str]


@dataclass(frozen=True)
class Page:
    rule: Rule
    url: Reach
    per_unit: bool = True
    post: dict[str, str] | None = None  # a page that changes something: POSTed with this
    fresh: bool = False  # signs the client out: a client of its own


def staff_page(act: frozenset[str] = STAFF, **kwargs: Any) -> Rule:
    """A page for signed-in staff: the anonymous are sent to sign in."""
    return Rule(act, anon=LOGIN, **kwargs)


def anywhere(act: frozenset[str] = STAFF, **kwargs: Any) -> Rule:
    return Rule(act, scoped=False, anon=LOGIN, **kwargs)


def _catalogue_import(w: World) -> int:
    """An import of the catalogue, done (its page is the keepers' whoever uploaded it)."""
    job, _new = CatalogueImport.objects.get_or_create(
        name="danh-muc.csv", defaults={"content": b"", "effective_from": date(2026, 1, 1),
                                       "decision_number": "1/QĐ-UBND", "status": "done",
                                       "report": {"rows": 0, "created": [], "changed": {}}})
    return job.pk


def _report_run(p: Place | None) -> int:
    """A report made at the place's unit by the system, with its file (seen by whoever
    oversees the unit's reports; every other actor is not its author)."""
    assert p is not None
    run = ReportRun.objects.filter(unit=p.unit).first()
    if run is None:
        run = ReportRun.objects.create(created_by_label="system", kind="services",
                                       period="2026", unit=p.unit, fmt="txt", status="done",
                                       progress=100, file_name="Báo cáo.txt",
                                       content_type="text/plain")
        run.file.save("bao-cao.txt", ContentFile(b"bao cao"), save=True)
    return run.pk


def _ranking(w: World) -> str:
    return f"{w.extra['framework']}/{w.extra['year']}"


DOSSIER_PAGE = staff_page(DOSSIERS_VIEW, refused=404)
READ_TASK = staff_page(foreign=404)
# a task one may not read does not exist; one one may read but not change is refused
CHANGE_TASK = staff_page(PROGRAMME_REVIEW, see=STAFF, refused=404, foreign=404)
DEFINE_TARGET = staff_page(INDICATORS_DEFINE, refused=404)  # others' targets are not shown
SESSION = signed_in(anon=LOGIN)
APPLICANT_ONLY = staff_page(frozenset(), refused=404)  # the dossier's own applicant only
LETTER = staff_page(refused=404)  # an official document of the unit


def on_letter(act: frozenset[str]) -> Rule:
    """What is done on a unit's document: who may not is refused, who may not see it gets 404."""
    return staff_page(act, see=STAFF, refused=404)


DOCUMENTS_HANDLE = ADMINS | {"leader", "officer"}  # documents.handle (no clerk in the world)
DOCUMENTS_DIRECT = ADMINS | {"leader"}
DOCUMENTS_EXCHANGE = ADMINS | {"leader", "coordinator"}
RUN_PAGE = staff_page(ADMINS | {"coordinator"}, refused=404, foreign=404)
PAGES: dict[str, Page] = {
    "healthz": Page(public(), lambda w, p: "/healthz", False),
    "healthz/worker": Page(public(), lambda w, p: "/healthz/worker", False),
    "accounts/login/": Page(public(), lambda w, p: "/accounts/login/", False),
    "accounts/logout/": Page(public(), lambda w, p: "/accounts/logout/", False, post={},
                             fresh=True),
    "accounts/register/": Page(public(), lambda w, p: "/accounts/register/", False),
    # two-factor sign-in: staff only (citizens and businesses are never asked)
    "accounts/two-factor/": Page(anywhere(), lambda w, p: "/accounts/two-factor/", False),
    "accounts/two-factor/verify/": Page(SESSION, lambda w, p: "/accounts/two-factor/verify/",
                                        False),
    "accounts/two-factor/enrol/": Page(anywhere(), lambda w, p: "/accounts/two-factor/enrol/",
                                       False),
    "accounts/two-factor/recovery-codes/": Page(anywhere(), lambda w, p: (
        "/accounts/two-factor/recovery-codes/"), False, post={}),
    # units: public reference data; changes by administrators of the unit
    "units/": Page(public(), lambda w, p: "/units/", False),
    "units/merger-2025/": Page(public(), lambda w, p: "/units/merger-2025/", False),
    "units/<str:code>/": Page(public(), lambda w, p: f"/units/{p.unit.code}/"),
    "units/<str:code>/edit/": Page(staff_page(ADMINS), lambda w, p: f"/units/{p.unit.code}/edit/"),
    "audit/": Page(anywhere(ADMINS), lambda w, p: "/audit/", False),
    # staff accounts: administrators, of their units only (others' are "not in your units")
    "staff/": Page(anywhere(ADMINS), lambda w, p: "/staff/", False),
    "staff/new/": Page(anywhere(ADMINS), lambda w, p: "/staff/new/", False),
    "staff/<str:username>/": Page(staff_page(ADMINS, foreign=404), lambda w, p: (
        f"/staff/{p.member.username}/")),
    "staff/<str:username>/roles/<int:assignment_id>/revoke/": Page(
        staff_page(ADMINS, foreign=404), lambda w, p: (
            f"/staff/{p.member.username}/roles/{p.assignment_id}/revoke/"), post={}),
    "staff/<str:username>/active/": Page(staff_page(ADMINS, foreign=404), lambda w, p: (
        f"/staff/{p.member.username}/active/"), post={}),
    "staff/<str:username>/two-factor/reset/": Page(staff_page(ADMINS, foreign=404), lambda w, p: (
        f"/staff/{p.member.username}/two-factor/reset/"), post={"reason": "Mất điện thoại."}),
    # indicators: the catalogue, series and targets are public; values are their unit's
    "indicators/": Page(public(), lambda w, p: "/indicators/", False),
    "indicators/new/": Page(anywhere(INDICATORS_DEFINE), lambda w, p: "/indicators/new/", False),
    # (lists filtered to what the user may see: a citizen gets an empty one)
    "indicators/rounds/": Page(SESSION, lambda w, p: "/indicators/rounds/", False),
    "indicators/rounds/new/": Page(anywhere(INDICATORS_DEFINE), lambda w, p: (
        "/indicators/rounds/new/"), False),
    "indicators/rounds/<int:pk>/": Page(staff_page(), lambda w, p: (
        f"/indicators/rounds/{p.round.pk}/")),
    "indicators/rounds/<int:pk>/remind/": Page(staff_page(INDICATORS_DEFINE), lambda w, p: (
        f"/indicators/rounds/{p.round.pk}/remind/"), post={}),
    "indicators/rounds/<int:pk>/template/<str:unit_code>.xlsx": Page(
        staff_page(INDICATORS_ENTER), lambda w, p: (
            f"/indicators/rounds/{p.round.pk}/template/{p.unit.code}.xlsx")),
    "indicators/rounds/<int:pk>/upload/": Page(staff_page(INDICATORS_ENTER), lambda w, p: (
        f"/indicators/rounds/{p.round.pk}/upload/")),
    "indicators/to-report/": Page(SESSION, lambda w, p: "/indicators/to-report/", False),
    "indicators/review/": Page(anywhere(INDICATORS_APPROVE), lambda w, p: (
        "/indicators/review/"), False),
    "indicators/values/<int:pk>/": Page(staff_page(), lambda w, p: (
        f"/indicators/values/{p.draft.pk}/")),
    "indicators/values/<int:pk>/<str:act>/": Page(staff_page(INDICATORS_ENTER), lambda w, p: (
        f"/indicators/values/{p.draft.pk}/submit/"), post={}),
    "indicators/evidence/<int:pk>/": Page(staff_page(INDICATORS_ENTER | INDICATORS_APPROVE),
                                          lambda w, p: f"/indicators/evidence/{p.evidence.pk}/"),
    "indicators/<slug:code>/": Page(public(), lambda w, p: f"/indicators/{w.indicator_code}/",
                                    False),
    "indicators/<slug:code>/targets/": Page(public(), lambda w, p: (
        f"/indicators/{w.indicator_code}/targets/"), False),
    "indicators/<slug:code>/targets/<int:pk>/": Page(DEFINE_TARGET, lambda w, p: (
        f"/indicators/{w.indicator_code}/targets/{p.target.pk}/")),
    "indicators/<slug:code>/targets/<int:pk>/delete/": Page(
        DEFINE_TARGET, lambda w, p: (
            f"/indicators/{w.indicator_code}/targets/{p.target.pk}/delete/"), post={}),
    "indicators/<slug:code>/export.<str:fmt>": Page(public(), lambda w, p: (
        f"/indicators/{w.indicator_code}/export.csv"), False),
    # rankings: public; self-assessment answers by their unit's reporters, verified by the
    # coordinator
    "rankings/": Page(public(), lambda w, p: "/rankings/", False),
    # a framework's page is public; its official points are entered by the whole system's
    # administrator (the points are national)
    "rankings/framework/<slug:code>/": Page(public(), lambda w, p: (
        "/rankings/framework/dti-province-405/"), False),
    "rankings/framework/<slug:code>/points/": Page(
        anywhere(frozenset({"admin"})), lambda w, p: (
            "/rankings/framework/dti-province-405/points/"), False),
    "rankings/<slug:code>/<int:year>/": Page(public(), lambda w, p: f"/rankings/{_ranking(w)}/",
                                             False),
    "rankings/<slug:code>/<int:year>/<str:unit_code>/": Page(public(), lambda w, p: (
        f"/rankings/{_ranking(w)}/56/"), False),
    "rankings/<slug:code>/<int:year>/explain/<str:unit_code>/": Page(public(), lambda w, p: (
        f"/rankings/{_ranking(w)}/explain/56/"), False),
    "rankings/<slug:code>/<int:year>/units-of/<str:parent>/": Page(public(), lambda w, p: (
        f"/rankings/{FRAMEWORK}/{date.today().year}/units-of/56/"), False),
    "rankings/self-assessment/<slug:code>/<int:year>/": Page(
        staff_page(INDICATORS_ENTER), lambda w, p: (
            f"/rankings/self-assessment/{FRAMEWORK}/{ANSWER_YEAR}/?unit={p.unit.code}")),
    "rankings/self-assessment/<slug:code>/<int:year>/verify/": Page(
        anywhere(INDICATORS_DEFINE), lambda w, p: (
            f"/rankings/self-assessment/{FRAMEWORK}/{ANSWER_YEAR}/verify/"), False),
    "rankings/self-assessment/answers/<int:pk>/<str:act>/": Page(
        staff_page(INDICATORS_DEFINE), lambda w, p: (
            f"/rankings/self-assessment/answers/{p.answer.pk}/verify/"), post={}),
    # public services: the catalogue and the statistics are public; tracing a figure to its
    # dossiers is for those who see the unit's dossiers
    "services/": Page(public(), lambda w, p: "/services/", False),
    "services/statistics/": Page(public(), lambda w, p: "/services/statistics/", False),
    "services/statistics/trace/": Page(Rule(DOSSIERS_VIEW, anon=403), lambda w, p: (
        "/services/statistics/trace/?indicator=dossiers_received"
        f"&unit={p.unit.code}&year={date.today().year}")),
    "services/<str:code>/": Page(public(), lambda w, p: f"/services/{w.procedure_code}/", False),
    # keeping the catalogue: coordinators and administrators, at the province
    "catalogue/": Page(anywhere(CATALOGUE_MANAGE), lambda w, p: "/catalogue/", False),
    "catalogue/new/": Page(anywhere(CATALOGUE_MANAGE), lambda w, p: "/catalogue/new/", False),
    "catalogue/import/": Page(anywhere(CATALOGUE_MANAGE), lambda w, p: "/catalogue/import/",
                              False),
    "catalogue/import/<int:pk>/": Page(anywhere(CATALOGUE_MANAGE), lambda w, p: (
        f"/catalogue/import/{_catalogue_import(w)}/"), False),
    "catalogue/<str:code>/": Page(anywhere(CATALOGUE_MANAGE), lambda w, p: (
        f"/catalogue/{w.procedure_code}/"), False),
    "catalogue/<str:code>/edit/": Page(anywhere(CATALOGUE_MANAGE), lambda w, p: (
        f"/catalogue/{w.procedure_code}/edit/"), False),
    "catalogue/<str:code>/retire/": Page(anywhere(CATALOGUE_MANAGE), lambda w, p: (
        f"/catalogue/{w.procedure_code}/retire/"), False, post={
            "decision_number": "1/QĐ-UBND", "effective_from": "2026-01-01"}),
    # the applicant's side: own dossiers only; a dossier of another is one that does not exist
    "dossiers/": Page(SESSION, lambda w, p: "/dossiers/", False),
    "dossiers/lookup/": Page(public(), lambda w, p: "/dossiers/lookup/", False),
    "dossiers/submit/<str:procedure_code>/": Page(anywhere(PUBLIC_USERS), lambda w, p: (
        f"/dossiers/submit/{w.procedure_code}/"), False),
    "dossiers/submit/<str:procedure_code>/agencies/": Page(public(), lambda w, p: (
        f"/dossiers/submit/{w.procedure_code}/agencies/"), False),
    "dossiers/<str:code>/": Page(staff_page(frozenset(), refused=404), lambda w, p: (
        f"/dossiers/{p.dossier.code}/")),
    "dossiers/<str:code>/receipt.pdf": Page(DOSSIER_PAGE, lambda w, p: (
        f"/dossiers/{p.dossier.code}/receipt.pdf")),
    "dossiers/<str:code>/apology/<int:pk>.pdf": Page(DOSSIER_PAGE, lambda w, p: (
        f"/dossiers/{p.dossier.code}/apology/{p.apology.pk}.pdf")),
    "dossiers/<str:code>/files/<int:pk>/": Page(DOSSIER_PAGE, lambda w, p: (
        f"/dossiers/{p.dossier.code}/files/{p.dossier_file.pk}/")),
    # the desk: staff who see the unit's dossiers; a dossier of another unit does not exist
    "desk/": Page(anywhere(DOSSIERS_VIEW), lambda w, p: "/desk/", False),
    "desk/receive/": Page(anywhere(ADMINS | {"officer"}), lambda w, p: "/desk/receive/", False),
    "desk/<str:code>/": Page(staff_page(DOSSIERS_VIEW, refused=404), lambda w, p: (
        f"/desk/{p.dossier.code}/")),
    "desk/<str:code>/act/<str:action>/": Page(
        staff_page(DOSSIERS_ACT, see=DOSSIERS_VIEW, refused=404), lambda w, p: (
            f"/desk/{p.dossier.code}/act/refuse/"), post={"reason": "Thiếu giấy tờ."}),
    "desk/<str:code>/files/<int:pk>/": Page(staff_page(DOSSIERS_VIEW, refused=404), lambda w, p: (
        f"/desk/{p.dossier.code}/files/{p.dossier_file.pk}/")),
    # the national portal's synchronisation: staff who see dossiers, their agencies' state and
    # a dossier of theirs (another unit's does not exist)
    "portal-sync/": Page(anywhere(DOSSIERS_VIEW), lambda w, p: "/portal-sync/", False),
    "portal-sync/dossiers/<str:code>/": Page(DOSSIER_PAGE, lambda w, p: (
        f"/portal-sync/dossiers/{p.dossier.code}/")),
    # online payment: the applicant's own dossier only (the world's dossiers are nobody's);
    # the gateway's callback is open to anyone and refuses what is not signed (400)
    "payments/callback/": Page(public(), lambda w, p: "/payments/callback/", False, post={}),
    "payments/dossiers/<str:code>/start/": Page(APPLICANT_ONLY, lambda w, p: (
        f"/payments/dossiers/{p.dossier.code}/start/"), post={}),
    "payments/dossiers/<str:code>/return/": Page(APPLICANT_ONLY, lambda w, p: (
        f"/payments/dossiers/{p.dossier.code}/return/")),
    "payments/fake-gateway/<str:reference>/": Page(APPLICANT_ONLY, lambda w, p: (
        "/payments/fake-gateway/TS-NONE/"), False),
    # the programme: its staff read; tasks and reports are their units' (and the province's)
    "programme/": Page(anywhere(), lambda w, p: "/programme/", False),
    # (a programme's documents are public texts: any staff member reads them, and the tasks
    # they may see)
    "programme/documents/<int:pk>/": Page(anywhere(), lambda w, p: (
        f"/programme/documents/{p.document_id}/")),
    "programme/documents/<int:pk>/file/": Page(anywhere(), lambda w, p: (
        f"/programme/documents/{p.document_id}/file/")),
    "programme/tasks/<int:pk>/": Page(READ_TASK, lambda w, p: f"/programme/tasks/{p.task.pk}/"),
    "programme/tasks/<int:pk>/result/": Page(READ_TASK, lambda w, p: (
        f"/programme/tasks/{p.task.pk}/result/")),
    "programme/evidence/<int:pk>/": Page(READ_TASK, lambda w, p: (
        f"/programme/evidence/{p.report_evidence.pk}/")),
    "programme/review/": Page(anywhere(PROGRAMME_REVIEW), lambda w, p: "/programme/review/",
                              False),
    "programme/tasks/<int:pk>/report/": Page(
        staff_page(PROGRAMME_REPORT, see=STAFF, refused=404, foreign=404), lambda w, p: (
            f"/programme/tasks/{p.task.pk}/report/")),
    "programme/reports/<int:pk>/accept/": Page(
        CHANGE_TASK, lambda w, p: (
            f"/programme/reports/{p.report.pk}/accept/"), post={}),
    "programme/reports/<int:pk>/return/": Page(
        CHANGE_TASK, lambda w, p: (
            f"/programme/reports/{p.report.pk}/return/"), post={"comment": "Bổ sung."}),
    "programme/tasks/<int:pk>/edit/": Page(
        CHANGE_TASK, lambda w, p: (
            f"/programme/tasks/{p.task.pk}/edit/")),
    "programme/tasks/<int:pk>/cancel/": Page(
        CHANGE_TASK, lambda w, p: (
            f"/programme/tasks/{p.task.pk}/cancel/")),
    "programme/documents/new/": Page(anywhere(PROGRAMME_REVIEW), lambda w, p: (
        "/programme/documents/new/"), False),
    "programme/documents/<int:pk>/groups/new/": Page(staff_page(PROGRAMME_REVIEW), lambda w, p: (
        f"/programme/documents/{p.document_id}/groups/new/")),
    "programme/groups/<int:pk>/tasks/new/": Page(staff_page(PROGRAMME_REVIEW), lambda w, p: (
        f"/programme/groups/{p.group_id}/tasks/new/")),
    "programme/documents/<int:pk>/edit/": Page(staff_page(PROGRAMME_REVIEW), lambda w, p: (
        f"/programme/documents/{p.document_id}/edit/")),
    "programme/mine/": Page(anywhere(), lambda w, p: "/programme/mine/", False),
    "programme/timeline/": Page(anywhere(), lambda w, p: "/programme/timeline/", False),
    "programme/overdue/": Page(anywhere(), lambda w, p: "/programme/overdue/", False),
    "programme/charts/": Page(anywhere(), lambda w, p: "/programme/charts/", False),
    "programme/serving/": Page(public(), lambda w, p: "/programme/serving/", False),
    "programme/documents/<int:pk>/appendix.csv": Page(anywhere(), lambda w, p: (
        f"/programme/documents/{p.document_id}/appendix.csv")),
    "programme/documents/<int:pk>/appendix.xlsx": Page(anywhere(), lambda w, p: (
        f"/programme/documents/{p.document_id}/appendix.xlsx")),
    "programme/appendix-template.xlsx": Page(anywhere(), lambda w, p: (
        "/programme/appendix-template.xlsx"), False),
    "programme/documents/<int:pk>/import/": Page(staff_page(PROGRAMME_REVIEW), lambda w, p: (
        f"/programme/documents/{p.document_id}/import/")),
    "calendar/": Page(anywhere(), lambda w, p: "/calendar/", False),
    # the document office: staff read the documents of their units (another unit's document
    # does not exist for them); clerks register, leaders assign, handlers comment and close
    "documents/": Page(anywhere(), lambda w, p: "/documents/", False),
    "documents/incoming/new/": Page(anywhere(ADMINS), lambda w, p: (
        "/documents/incoming/new/"), False),
    "documents/outgoing/new/": Page(anywhere(DOCUMENTS_HANDLE), lambda w, p: (
        "/documents/outgoing/new/"), False),
    "documents/registers/incoming/": Page(staff_page(), lambda w, p: (
        f"/documents/registers/incoming/?unit={p.unit.code}")),
    "documents/registers/outgoing/": Page(staff_page(), lambda w, p: (
        f"/documents/registers/outgoing/?unit={p.unit.code}")),
    "documents/overdue/": Page(anywhere(), lambda w, p: "/documents/overdue/", False),
    "documents/<int:pk>/": Page(LETTER, lambda w, p: f"/documents/{p.letter.pk}/"),
    "documents/<int:pk>/files/<int:file_id>/": Page(LETTER, lambda w, p: (
        f"/documents/{p.letter.pk}/files/{p.letter_file.pk}/")),
    "documents/<int:pk>/direct/": Page(on_letter(DOCUMENTS_DIRECT), lambda w, p: (
        f"/documents/{p.letter.pk}/direct/"), post={}),
    "documents/<int:pk>/comment/": Page(on_letter(DOCUMENTS_HANDLE), lambda w, p: (
        f"/documents/{p.letter.pk}/comment/"), post={"comment-text": "Thử."}),
    "documents/<int:pk>/close/": Page(on_letter(DOCUMENTS_HANDLE), lambda w, p: (
        f"/documents/{p.letter.pk}/close/"), post={}),
    "documents/<int:pk>/task-close/": Page(on_letter(DOCUMENTS_DIRECT), lambda w, p: (
        f"/documents/{p.letter.pk}/task-close/"), post={}),
    "documents/<int:pk>/issue/": Page(on_letter(ADMINS), lambda w, p: (
        f"/documents/{p.letter.pk}/issue/"), post={}),
    # signing and sending are the clerk's (an incoming letter is refused with a message)
    "documents/<int:pk>/files/<int:file_id>/sign/": Page(on_letter(ADMINS), lambda w, p: (
        f"/documents/{p.letter.pk}/files/{p.letter_file.pk}/sign/"), post={}),
    "documents/<int:pk>/send/": Page(on_letter(ADMINS), lambda w, p: (
        f"/documents/{p.letter.pk}/send/"), post={}),
    # the exchange page: clerks, leaders and coordinators, each their units' packages
    "documents/exchange/": Page(anywhere(DOCUMENTS_EXCHANGE), lambda w, p: (
        "/documents/exchange/"), False),
    # the transparency portal and the open data: public, published figures only
    "transparency/": Page(public(), lambda w, p: "/transparency/", False),
    "transparency/services/": Page(public(), lambda w, p: "/transparency/services/", False),
    "transparency/rankings/": Page(public(), lambda w, p: "/transparency/rankings/", False),
    "open-data/": Page(public(), lambda w, p: "/open-data/", False),
    "open-data/catalog.jsonld": Page(public(), lambda w, p: "/open-data/catalog.jsonld", False),
    "open-data/<slug:slug>.csv": Page(public(), lambda w, p: (
        "/open-data/dossier-statistics.csv"), False),
    "open-data/<slug:slug>.json": Page(public(), lambda w, p: (
        "/open-data/indicator-values.json"), False),
    "open-data/<slug:slug>/": Page(public(), lambda w, p: "/open-data/dti-ranks/", False),
    "open-data/<slug:slug>/dictionary.json": Page(public(), lambda w, p: (
        "/open-data/programme-progress/dictionary.json"), False),
    "me/": Page(SESSION, lambda w, p: "/me/", False),
    "": Page(public(), lambda w, p: "/", False),
    "favicon.ico": Page(public(), lambda w, p: "/favicon.ico", False),
    "i18n/setlang/": Page(public(), lambda w, p: "/i18n/setlang/", False, post={"language": "vi"}),
    # reports: made by whoever holds reports.make, for the units of their scope
    "reports/": Page(anywhere(REPORTS_MAKE), lambda w, p: "/reports/", False),
    # the Word templates of reports: the platform's administrators (reports.templates, held at
    # the root); posting nothing is a form error for them
    "reports/templates/": Page(anywhere(frozenset({"admin"})), lambda w, p: (
        "/reports/templates/"), False, post={"action": "upload", "layout": "state"}),
    "reports/templates/<str:layout>/<str:which>.docx": Page(
        anywhere(frozenset({"admin"})), lambda w, p: "/reports/templates/party/current.docx",
        False),
    # (a run is its author's, and seen by whoever oversees the unit's reports: others get 404)
    "reports/runs/<int:pk>/": Page(RUN_PAGE, lambda w, p: f"/reports/runs/{_report_run(p)}/"),
    "reports/runs/<int:pk>/progress/": Page(RUN_PAGE, lambda w, p: (
        f"/reports/runs/{_report_run(p)}/progress/")),
    "reports/runs/<int:pk>/download/": Page(RUN_PAGE, lambda w, p: (
        f"/reports/runs/{_report_run(p)}/download/")),
}

# Holes others are fixing, expected to flip: (page, actor, relation) -> why. Empty: none known
# (the round upload page, found here, now asks for the right to enter a unit of the round).
KNOWN: dict[tuple[str, str, str], str] = {}


def routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def page_routes() -> list[str]:
    """Every route of the site but the API's (the API matrix reads the OpenAPI document)."""
    return sorted({r for r in routes(get_resolver().url_patterns) if not r.startswith("api/")})


def test_every_page_is_classified() -> None:
    """A new page fails here until the matrix says who may open it."""
    found = page_routes()
    assert not unclassified(found, PAGES), (
        "unclassified page(s): add a rule to tests/permissions/test_page_matrix.py PAGES: "
        + ", ".join(unclassified(found, PAGES)))
    assert not stale(found, PAGES), "pages no longer routed: " + ", ".join(stale(found, PAGES))


def signed_in_clients(world: World) -> dict[str, Client]:
    clients = {}
    for actor in ACTORS:
        clients[actor] = Client()
        if actor != "anonymous":
            clients[actor].force_login(world.users[actor])
    return clients


def _leaks(world: World, actor: str, response: Any) -> list[str]:
    """The foreign unit's objects named in a page or a CSV export."""
    if not response.get("Content-Type", "").startswith(("text/html", "text/csv")):
        return []
    return sorted(set(world.foreign_marks(actor).findall(response.content.decode())))


def run_pages(world: World) -> Tally:
    tally = Tally()
    clients = signed_in_clients(world)
    for key in page_routes():
        page = PAGES[key]
        for actor in ACTORS:
            client = clients[actor]
            if page.fresh:
                client = Client()
                if actor != "anonymous":
                    client.force_login(world.users[actor])
            for relation in (list(world.relations[actor]) if page.per_unit else ["-"]):
                url = page.url(world, world.place(actor, relation) if page.per_unit else None)
                response = (client.get(url) if page.post is None else
                            rolled_back(client.post, url, page.post))
                tally.cases += 1
                want, got = page.rule.expected(actor, relation), outcome(response)
                leaked = _leaks(world, actor, response) if got == OK else []
                if want != got or leaked:
                    note = f"{url} leaks {leaked}" if leaked else url
                    tally.mismatches.append(Mismatch(key, actor, relation, want, got, note))
    return tally


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.mark.xfail(bool(KNOWN), strict=True, raises=KnownHoles,
                   reason="known holes being fixed elsewhere (KNOWN)")
def test_page_permission_matrix(world: World) -> None:
    settle(run_pages(world), KNOWN, "Pages")
