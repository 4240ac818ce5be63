"""Issue 15's "Done when": a draft value, a personal name and a small-count cell cannot be
reached through any page of the transparency portal nor any open-data file (CSV, JSON,
dictionary, catalogue), in either language.

The demo is loaded once, then made worse: a draft and a submitted value of a headline indicator
with distinctive digits, an approved value entered by a staff member with a distinctive name, a
dossier whose applicant has a distinctive name and phone, and a commune with only 3 dossiers
(published into the indicators as the platform does)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.factories import DossierFactory, UnitFactory, staff_user
from tinhso.indicators.models import Indicator, IndicatorValue, ValueStatus
from tinhso.procedures import aggregate, publication
from tinhso.procedures.models import Channel, Procedure
from tinhso.transparency.datasets import DATASETS
from tinhso.units.models import Level, Unit

pytestmark = pytest.mark.django_db

APPLICANT, PHONE = "Trịnh Bí Mật", "0999888777"
AUTHOR_FIRST, AUTHOR_LAST, AUTHOR_LOGIN = "Kín Đáo", "Phạm Thị", "kindao.secret"
DRAFT, SUBMITTED = Decimal("0.9876"), Decimal("0.8642")
SMALL_UNIT = "T9999"


def _sensitive_world() -> dict[str, Any]:
    call_command("demo", "--quiet-accounts", verbosity=0)
    province = Unit.objects.get(code="56")
    score = Indicator.objects.get(code="dti_score")
    author = staff_user(unit=province, username=AUTHOR_LOGIN, first_name=AUTHOR_FIRST,
                        last_name=AUTHOR_LAST)
    IndicatorValue.objects.create(indicator=score, unit=province, period="2025", value=DRAFT,
                                  status=ValueStatus.DRAFT, source="Bản nháp", author=author)
    IndicatorValue.objects.create(indicator=score, unit=province, period="2023",
                                  value=SUBMITTED, status=ValueStatus.SUBMITTED,
                                  source="Chờ duyệt", author=author, submitted_by=author)
    approved = IndicatorValue.objects.get(indicator__code="dti_rank", unit=province,
                                          period="2024")
    approved.author = author
    approved.save()
    small = UnitFactory(code=SMALL_UNIT, name="Xã Ít Hồ Sơ", parent=province,
                        level=Level.COMMUNE)
    procedure = Procedure.objects.filter(level="commune").order_by("pk").first()
    now = timezone.now()
    dossiers = [DossierFactory(unit=small, procedure=procedure, applicant_name=APPLICANT,
                               applicant_phone=PHONE, channel=channel, received_at=now)
                for channel in (Channel.ONLINE, Channel.IN_PERSON, Channel.IN_PERSON)]
    aggregate.rebuild()
    publication.publish([small.pk], [timezone.localdate().year])
    return {"codes": [d.code for d in dossiers], "small": small}


def _urls() -> list[str]:
    urls = ["/transparency/", "/transparency/services/", "/transparency/rankings/",
            "/open-data/", "/open-data/catalog.jsonld"]
    for d in DATASETS:
        urls += [f"/open-data/{d.slug}/", f"/open-data/{d.slug}.csv", f"/open-data/{d.slug}.json",
                 f"/open-data/{d.slug}/dictionary.json"]
    return urls


def _rows(url: str, body: str) -> list[dict[str, Any]]:
    if url.endswith(".csv"):
        return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    if url.endswith(".json") and not url.endswith("dictionary.json"):
        return list(json.loads(body)["rows"])
    return []


def _small_counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the small commune holding a count from 1 to 4 in any field."""
    bad = []
    for row in rows:
        if row.get("unit") != SMALL_UNIT:
            continue
        for key, value in row.items():
            if key in ("unit", "period", "year", "month", "rank_of") or value in (None, ""):
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                continue
            if 0 < number < 5:
                bad.append({key: value})
    return bad


def test_no_draft_no_personal_data_no_small_count_on_any_page_or_file() -> None:
    world = _sensitive_world()
    forbidden = [APPLICANT, PHONE, AUTHOR_FIRST, AUTHOR_LAST, AUTHOR_LOGIN, "9876", "8642",
                 "Bản nháp", "Chờ duyệt", *world["codes"]]
    seen_small = {"page": False, "statistics": False, "scores": False}
    for language in ("vi", "en"):
        client = Client()
        client.cookies["django_language"] = language
        for url in _urls():
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode("utf-8")
            leaked = [word for word in forbidden if word in body]
            assert leaked == [], f"{url} ({language}) shows {leaked}"
            rows = _rows(url, body)
            assert _small_counts(rows) == [], f"{url} ({language}) shows a count below 5"
            mine = [r for r in rows if r.get("unit") == SMALL_UNIT]
            if "dossier-statistics" in url and mine:
                seen_small["statistics"] = all("received" in (r["suppressed"] or "")
                                               for r in mine)
            if "service-quality-766" in url and mine:
                seen_small["scores"] = all(r["score_766"] in (None, "") for r in mine)
            if url == "/transparency/services/":
                row = body.split(f'data-unit="{SMALL_UNIT}"')[1].split("</tr>")[0]
                cells = {c.split('"')[0]: c for c in row.split('data-field="')[1:]}
                seen_small["page"] = all('data-testid="suppressed"' in cells[f] for f in (
                    "received", "online", "online_rate", "on_time_rate", "score_766"))
    # the small commune is there, suppressed (not merely absent)
    assert seen_small == {"page": True, "statistics": True, "scores": True}
