from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.audit.models import AuditEvent
from tinhso.indicators.models import IndicatorValue
from tinhso.programme.models import Goal, ProgressReport, Task, TaskEvent, TaskGroup
from tinhso.units.models import Unit

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "units": list(Unit.objects.values_list("code", "updated_at")),
        "values": list(IndicatorValue.objects.values_list("pk", "updated_at")),
        "users": list(User.objects.values_list("username", "password")),
        "goals": list(Goal.objects.values_list("pk", "indicator_id", "quote")),
        "programme": [TaskGroup.objects.count(), Task.objects.count(),
                      ProgressReport.objects.count(), TaskEvent.objects.count()],
        "events": AuditEvent.objects.count(),
    }


def test_demo_loads_the_published_figures_and_accounts(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "admin" in out and "tinhso-demo-2026" in out
    value = IndicatorValue.objects.get(indicator__code="online_services_rate", unit__code="56")
    assert str(value.value.normalize()) == "64.06" and not value.is_illustrative
    assert IndicatorValue.objects.get(indicator__code="dti_rank", period="2022").rank_of == 63
    assert Goal.objects.filter(unit__code="56", target_rank=25, year=2025).exists()
    assert User.objects.filter(is_illustrative=True).count() == 10
    assert User.objects.get(username="dieuphoi").role_assignments.get().unit.code == "56"


def test_running_demo_twice_changes_nothing(capsys):
    call_command("demo", "--quiet-accounts")
    before = snapshot()
    call_command("demo", "--quiet-accounts")
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert snapshot() == before


def test_a_failed_demo_load_leaves_the_database_as_it_was():
    with mock.patch("tinhso.demo.loader.load_accounts", side_effect=RuntimeError("disk full")), \
            pytest.raises(RuntimeError):
        call_command("demo", "--quiet-accounts")
    assert Unit.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_published_data_without_demo_accounts(capsys):
    call_command("published")
    assert "created" in capsys.readouterr().out
    # 16-NQ/TU's two DTI goals (superseded) and Plan 4636/KH-UBND's five
    assert Goal.objects.filter(unit__code="56").count() == 7
    assert Goal.objects.filter(unit__code="56", superseded_by__isnull=False).count() == 2
    published = IndicatorValue.objects.filter(unit__code="56", is_illustrative=False)
    assert published.count() == 7
    # The services online, computed from the catalogue loaded: the shipped sample of 15
    # procedures (13 offered online, 12 with a fee, 10 of these offered online), so marked
    # illustrative, for the current year only.
    catalogue = {v.indicator.code: (int(v.value), v.period, v.is_illustrative)
                 for v in IndicatorValue.objects.filter(
                     unit__code="56", indicator__code__startswith="procedures_")}
    year = str(timezone.localdate().year)
    assert catalogue == {"procedures_total": (15, year, True),
                         "procedures_online": (13, year, True),
                         "procedures_published_in_full": (13, year, True),
                         "procedures_fee_payable": (12, year, True),
                         "procedures_payment_integrated": (10, year, True)}
    assert not User.objects.exists()
