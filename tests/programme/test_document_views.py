"""The coordinator records that a later plan replaces an earlier one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings

from tests.factories import programme_document
from tinhso.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def form(document: Any, **changes: Any) -> dict[str, Any]:
    values = {"kind": document.kind, "title": document.title, "issuer": document.issuer,
              "issued_on": document.issued_on.strftime("%d/%m/%Y"), "implements": "",
              "supersedes": "", "supersession": ""}
    return {**values, **changes}


def test_a_later_plan_replaces_an_earlier_one(client: Any, people: dict[str, Any], plan: Any,
                                              reference_units: Any) -> None:
    later = programme_document(reference_units["56"], "4636/KH-UBND",
                               issued_on=date(2025, 9, 29))
    url = f"/programme/documents/{later.pk}/edit/"
    client.force_login(people["reporter"])
    assert client.get(url).status_code == 403
    client.force_login(people["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(url).status_code == 200
    # which way it supersedes must be said
    page = client.post(url, form(later, supersedes=plan.pk))
    assert page.status_code == 200 and later.__class__.objects.get(pk=later.pk).supersedes is None
    assert "amends or replaces" in page.content.decode()
    response = client.post(url, form(later, supersedes=plan.pk, supersession="replaces"))
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.supersedes == plan and later.supersession == "replaces"
    assert AuditEvent.objects.filter(action="document.updated", actor=people["coordinator"]
                                     ).exists()
    # an earlier document cannot replace a later one
    page = client.post(f"/programme/documents/{plan.pk}/edit/",
                       form(plan, supersedes=later.pk, supersession="replaces"))
    assert page.status_code == 200 and "was issued after" in page.content.decode()
