"""Each landing page reads a fixed number of queries, whatever the amount of waiting work."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dashboard.conftest import days
from tests.factories import (
    DossierFactory,
    IndicatorFactory,
    ProcedureFactory,
    grant,
    programme_task,
)
from tinhso.indicators.models import CollectionRound, IndicatorValue, ValueStatus
from tinhso.programme.models import ProgressReport
from tinhso.scoring.models import SelfAssessmentAnswer

pytestmark = pytest.mark.django_db


def queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/me/").status_code == 200
    return len(captured)


def more_work(u: dict[str, Any], work: dict[str, Any], people: dict[str, Any], n: int,
              start: int) -> None:
    """``n`` more of everything: tasks with reports, rounds, values, answers, dossiers."""
    group = work["task"].group
    ward = ProcedureFactory(level="commune")
    for i in range(start, start + n):
        task = programme_task(group, u["56.STC"], f"9.{i}", start_on=days(-300),
                              due_on=days(-20 + i % 40), progress=i % 90,
                              support_units=[u["56.SYT"]])
        ProgressReport.objects.create(task=task, period="2026Q1", unit=u["56.STC"],
                                      done_text="x", percent=i % 90)
        indicator = IndicatorFactory(reporting_levels=["department"])
        collection = CollectionRound.objects.create(title=f"Đợt {i}", period="2026Q1",
                                                    deadline=days(i % 7 - 3), owner_unit=u["56"])
        collection.indicators.set([indicator])
        collection.units.set([u["56.STC"], u["56.SYT"]])
        IndicatorValue.objects.create(indicator=indicator, unit=u["56.STC"], period="2026Q1",
                                      value=i, status=ValueStatus.SUBMITTED, source="x")
        SelfAssessmentAnswer.objects.create(framework="khanhhoa-units", year=2025,
                                            unit=u["56.STC"], code=f"q{i}", value=1)
        DossierFactory(procedure=ward, unit=u["22366"], overdue=i % 2 == 0)
        DossierFactory(online=True, paused_in_time=True, applicant=people["citizen"])
        DossierFactory(online=True, resolved_on_time=True, applicant=people["citizen"])


@pytest.mark.parametrize("who", ["leader", "coordinator", "reporter", "approver", "officer",
                                 "citizen", "everything"])
def test_the_landing_reads_a_fixed_number_of_queries(
        client: Any, reference_units: dict[str, Any], people: dict[str, Any],
        work: dict[str, Any], who: str) -> None:
    user = people["coordinator" if who == "everything" else who]
    if who == "everything":  # every staff role at once
        for role, scope in (("leader", "56"), ("unit_reporter", "56.STC"),
                            ("approver", "56.STC"), ("officer", "22366")):
            grant(user, role, reference_units[scope])
    client.force_login(user)
    queries(client)  # the calendar and the frameworks, read once a process
    few = queries(client)
    more_work(reference_units, work, people, 12, 0)
    assert queries(client) == few
    assert few <= 45
