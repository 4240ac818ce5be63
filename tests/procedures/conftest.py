"""Fixtures for the one-stop tests: the sample catalogue, a citizen, the desk officers, and a
helper that submits a valid dossier online."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.factories import citizen, documents_for, form_for, grant, staff_user
from tinhso.procedures.loaders import procedures_load
from tinhso.procedures.models import Dossier, Procedure
from tinhso.procedures.services import Applicant, dossier_submit, record_online_payment
from tinhso.units.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Tuesday 17/11/2026, 09:00: an ordinary working morning (24/11 is Vietnamese Culture Day).
TUESDAY_9AM = datetime(2026, 11, 17, 9, 0, tzinfo=VN)


@pytest.fixture
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded and generated files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(reference_units: dict[str, Unit]) -> dict[str, Procedure]:
    procedures_load()
    return {p.name: p for p in Procedure.objects.all()}


@pytest.fixture
def applicant_user(db: None) -> Any:
    return citizen(username="congdan", email="an@example.vn", first_name="Nguyễn Văn",
                   last_name="An")


@pytest.fixture
def desk(reference_units: dict[str, Unit]) -> dict[str, Any]:
    """The one-stop officer of Phường Nha Trang (22366), the Department of Justice's officer and
    approver, and an officer of another commune (Phường Bắc Nha Trang, 22333)."""
    u = reference_units
    commune = staff_user(unit=u["22366"], username="motcua")
    grant(commune, "officer", u["22366"])
    justice = staff_user(unit=u["56.STP"], username="canbo.stp")
    grant(justice, "officer", u["56.STP"])
    approver = staff_user(unit=u["56.STP"], username="pheduyet.stp")
    grant(approver, "approver", u["56.STP"])
    other = staff_user(unit=u["22333"], username="motcua.bac")
    grant(other, "officer", u["22333"])
    return {"commune": commune, "justice": justice, "approver": approver, "other": other}


@pytest.fixture
def submit(catalogue: dict[str, Procedure], applicant_user: Any,
           reference_units: dict[str, Unit]) -> Callable[..., Dossier]:
    """submit(procedure name, unit code, at=..., paid_online=..., **overrides) -> a dossier
    submitted online; ``paid_online``: the payment platform then confirmed its fee paid
    (tests/payments go through the platform's signed callback)."""

    def _submit(name: str = "Đăng ký khai sinh", unit: str = "22366",
                at: datetime = TUESDAY_9AM, paid_online: bool = False,
                **overrides: Any) -> Dossier:
        procedure = catalogue[name]
        arguments: dict[str, Any] = {
            "account": applicant_user, "procedure": procedure, "unit": reference_units[unit],
            "applicant": Applicant("Nguyễn Văn An", "0905 123 456", "an@example.vn"),
            "form_data": form_for(procedure), "files": documents_for(procedure), "now": at,
        }
        arguments.update(overrides)
        dossier = dossier_submit(**arguments)
        if paid_online:
            record_online_payment(dossier=dossier, amount=30_000, reference=f"T-{dossier.pk}",
                                  gateway="test", at=at)
        return dossier

    return _submit
