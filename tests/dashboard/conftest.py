"""A province with work waiting for each role: an overdue programme task and a report to
review, an open round Finance has not reported in, a value Finance submitted, a
self-assessment answer, dossiers at a ward's desk and an applicant's own dossiers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.factories import (
    DossierFactory,
    IndicatorFactory,
    ProcedureFactory,
    citizen,
    grant,
    programme_document,
    programme_task,
    staff_user,
    task_group,
)
from tinhso.indicators.models import CollectionRound, IndicatorValue, ValueStatus
from tinhso.programme.models import ProgressReport
from tinhso.scoring.models import SelfAssessmentAnswer


def days(n: int) -> date:
    return date.today() + timedelta(days=n)


def person(units: dict[str, Any], unit: str, role: str, scope: str) -> Any:
    user = staff_user(unit=units[unit])
    grant(user, role, units[scope])
    return user


@pytest.fixture
def people(reference_units: dict[str, Any]) -> dict[str, Any]:
    u = reference_units
    return {
        "leader": person(u, "56.VP", "leader", "56"),
        "coordinator": person(u, "56.SKHCN", "coordinator", "56"),
        "reporter": person(u, "56.STC", "unit_reporter", "56.STC"),
        "approver": person(u, "56.STC", "approver", "56.STC"),
        "officer": person(u, "22366", "officer", "22366"),
        "citizen": citizen(),
    }


@pytest.fixture
def work(reference_units: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    u = reference_units
    plan = programme_document(u["56"])
    group = task_group(plan, "2")
    late = programme_task(group, u["56.STC"], "2.1", title="Số hóa hồ sơ", start_on=days(-200),
                          due_on=days(-30), progress=40)
    report = ProgressReport.objects.create(task=late, period="2026Q1", unit=u["56.STC"],
                                           done_text="Đã số hóa 40 %", percent=40,
                                           submitted_by=people["reporter"])
    indicator = IndicatorFactory(code="ho_so_so_hoa", reporting_levels=["department"])
    other = IndicatorFactory(code="dich_vu_truc_tuyen", reporting_levels=["department"])
    collection = CollectionRound.objects.create(title="Thu thập quý 1", period="2026Q1",
                                                deadline=days(-2), owner_unit=u["56"])
    collection.indicators.set([indicator, other])
    collection.units.set([u["56.STC"], u["56.SYT"]])
    submitted = IndicatorValue.objects.create(
        indicator=indicator, unit=u["56.STC"], period="2026Q1", value=12,
        status=ValueStatus.SUBMITTED, source="Sở Tài chính", author=people["reporter"])
    answer = SelfAssessmentAnswer.objects.create(framework="khanhhoa-units", year=2025,
                                                 unit=u["56.STC"], code="c1", value=1,
                                                 answered_by=people["reporter"])
    ward = ProcedureFactory(level="commune")
    overdue = DossierFactory(procedure=ward, unit=u["22366"], overdue=True)
    own = people["citizen"]
    supplement = DossierFactory(online=True, paused_in_time=True, applicant=own)
    resolved = DossierFactory(online=True, resolved_on_time=True, applicant=own)
    return {"task": late, "report": report, "round": collection, "value": submitted,
            "answer": answer, "overdue": overdue, "supplement": supplement,
            "resolved": resolved}
