"""Citizen A against citizen B's dossier (issue 13, the permission matrix): by code (the look-up,
the portal's pages, the API), by id (a file or an apology letter of B's named under A's own
code), B's documents, and the applicant's actions (rate, complain, answer a supplement, and
the officer's withdraw). Each is refused as a dossier that does not exist (404), so B's
dossier's existence does not leak; each is also tried on A's own dossier, which must work,
so that a wrong address cannot pass for a refusal. Lists show A's dossier and never B's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from tests.factories import PDF, DossierFactory, ProcedureFactory, citizen, pdf_upload
from tests.permissions.matrix import OK, outcome, rolled_back
from tinhso.accounts.models import User
from tinhso.procedures.models import ApologyLetter, Dossier, DossierFile, FileKind

pytestmark = pytest.mark.django_db


@dataclass
class Held:
    """One applicant's dossiers: a resolved one (rated, complained about) and one waiting for
    a supplement, each with a document and an apology letter."""

    user: User
    phone: str
    done: Dossier
    waiting: Dossier
    file_pk: int
    apology_pk: int


def _papers(dossier: Dossier) -> tuple[int, int]:
    upload = DossierFile(dossier=dossier, kind=FileKind.DOCUMENT, document="to_khai",
                         name="to-khai.pdf", size=len(PDF), sha256="0" * 64,
                         content_type="application/pdf")
    upload.file.save("to-khai.pdf", ContentFile(PDF), save=True)
    letter = ApologyLetter.objects.create(dossier=dossier, issued_at=timezone.now(),
                                          reason="Thử.", signed_by="Cán bộ")
    return upload.pk, letter.pk


def _applicant(name: str, phone: str, procedure: Any) -> Held:
    user = citizen(username=name, phone=phone)
    common = {"procedure": procedure, "online": True, "applicant": user,
              "applicant_phone": phone, "applicant_name": f"Người nộp {name}"}
    done = DossierFactory(code=f"{name.upper()}-DONE", resolved_on_time=True, **common)
    waiting = DossierFactory(code=f"{name.upper()}-WAIT", paused_in_time=True, **common)
    file_pk, apology_pk = _papers(done)
    return Held(user, phone, done, waiting, file_pk, apology_pk)


@pytest.fixture
def pair(db: None) -> tuple[Held, Held]:
    procedure = ProcedureFactory()
    return (_applicant("px_a", "0905111222", procedure),
            _applicant("px_b", "0906333444", procedure))


@dataclass(frozen=True)
class Try:
    """What A does, on a dossier held by ``target`` (A's own, or B's)."""

    name: str
    method: str
    url: str
    data: dict[str, Any] | None = None
    api: bool = False


def tries(a: Held, target: Held) -> list[Try]:
    done, waiting = target.done.code, target.waiting.code
    own = a.done.code
    api = "/api/v1/dossiers"
    return [
        Try("portal page by code", "GET", f"/dossiers/{done}/"),
        Try("receipt", "GET", f"/dossiers/{done}/receipt.pdf"),
        Try("apology letter", "GET", f"/dossiers/{done}/apology/{target.apology_pk}.pdf"),
        Try("document download", "GET", f"/dossiers/{done}/files/{target.file_pk}/"),
        Try("document by id under A's code", "GET", f"/dossiers/{own}/files/{target.file_pk}/"),
        Try("apology by id under A's code", "GET",
            f"/dossiers/{own}/apology/{target.apology_pk}.pdf"),
        Try("rate (page)", "POST", f"/dossiers/{done}/", {"action": "rate", "level": "5"}),
        Try("complain (page)", "POST", f"/dossiers/{done}/",
            {"action": "complain", "text": "Chậm trả kết quả."}),
        Try("answer a supplement (page)", "POST", f"/dossiers/{waiting}/",
            {"action": "supplement", "note": "Bổ sung.", "files": pdf_upload()}),
        Try("API by code", "GET", f"{api}/{done}/", api=True),
        Try("API rate", "POST", f"{api}/{done}/actions/rate/", {"level": 5}, True),
        Try("API complain", "POST", f"{api}/{done}/actions/complain/",
            {"note": "Chậm trả kết quả."}, True),
        Try("API answer a supplement", "POST", f"{api}/{waiting}/actions/answer_supplement/",
            {"note": "Bổ sung."}, True),
        Try("API look-up with A's phone", "GET",
            f"{api}/lookup/?code={done}&phone={a.phone}", api=True),
    ]


def send(client: Client, attempt: Try) -> Any:
    if attempt.method == "GET":
        return client.get(attempt.url)
    if attempt.api:
        return rolled_back(client.post, attempt.url, json.dumps(attempt.data),
                           content_type="application/json")
    return rolled_back(client.post, attempt.url, attempt.data)


def test_citizen_a_cannot_reach_citizen_b_dossier_and_can_reach_her_own(pair: tuple[Held, Held]
                                                                         ) -> None:
    a, b = pair
    client = Client()
    client.force_login(a.user)
    wrong = []
    for own, on_b in zip(tries(a, a), tries(a, b), strict=True):
        got_own, got_b = outcome(send(client, own)), outcome(send(client, on_b))
        if got_own != OK:
            wrong.append(f"{own.name}: A's own dossier got {got_own} ({own.url})")
        if got_b != 404:
            wrong.append(f"{on_b.name}: B's dossier got {got_b}, not 404 ({on_b.url})")
    assert not wrong, "citizen A against citizen B:\n" + "\n".join(wrong)


def test_the_officers_withdraw_is_no_door_into_another_applicants_dossier(
        pair: tuple[Held, Held]) -> None:
    a, b = pair
    client = Client()
    client.force_login(a.user)
    url = "/api/v1/dossiers/{}/actions/withdraw/"
    body = json.dumps({"reason": "Không cần nữa."})
    mine = rolled_back(client.post, url.format(a.waiting.code), body,
                       content_type="application/json")
    theirs = rolled_back(client.post, url.format(b.waiting.code), body,
                         content_type="application/json")
    assert (outcome(mine), outcome(theirs)) == (403, 404)


def test_the_lookup_page_finds_no_dossier_of_another_with_one_own_phone(
        pair: tuple[Held, Held]) -> None:
    a, b = pair
    client = Client()
    client.force_login(a.user)
    found = client.post("/dossiers/lookup/", {"code": a.done.code, "phone": a.phone})
    refused = client.post("/dossiers/lookup/", {"code": b.done.code, "phone": a.phone})
    assert found.context["dossier"] == a.done
    assert refused.context["dossier"] is None
    assert b.done.applicant_name not in refused.content.decode()


def test_lists_show_ones_own_dossiers_and_never_anothers(pair: tuple[Held, Held]) -> None:
    a, b = pair
    client = Client()
    client.force_login(a.user)
    listed = {item["code"] for item in client.get("/api/v1/dossiers/").json()["items"]}
    page = client.get("/dossiers/").content.decode()
    assert listed == {a.done.code, a.waiting.code}
    assert a.done.code in page and a.waiting.code in page
    assert b.done.code not in page and b.waiting.code not in page
