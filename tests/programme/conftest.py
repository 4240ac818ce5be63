"""A small programme: Plan 10633/KH-UBND of Khánh Hòa with one group and one task led by the
Department of Finance (reporter ``baocao``) and supported by Health."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.factories import programme_document, task_group
from tinhso.accounts.permissions import SYSTEM
from tinhso.programme.services import task_create
from tinhso.units.models import Unit


@pytest.fixture
def plan(reference_units: dict[str, Unit]) -> Any:
    return programme_document(reference_units["56"])


@pytest.fixture
def group(plan: Any) -> Any:
    return task_group(plan, "2", title="Phát triển chính quyền số", area="digital_government")


@pytest.fixture
def task(group: Any, reference_units: dict[str, Unit]) -> Any:
    return task_create(actor=SYSTEM, group=group, code="2.1",
                       title="Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                       lead_unit=reference_units["56.STC"],
                       support_units=[reference_units["56.SYT"]],
                       start_on=date(2026, 1, 5), due_on=date(2026, 11, 30),
                       expected_output="Báo cáo kết quả số hóa", dti_codes=["chinh_quyen_so"])
