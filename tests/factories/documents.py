"""The document office: a small office world (a province with two departments and their
clerks, leader and officer) and incoming documents written through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.factories.accounts import grant, staff_user
from tests.factories.units import UnitFactory
from tinhso.accounts.models import Role, User
from tinhso.documents import services
from tinhso.documents.models import Document
from tinhso.units.models import Level, Unit


@dataclass
class Office:
    province: Unit  # the People's Committee's office: registers, and a leader directs
    finance: Unit  # a department that leads the handling
    justice: Unit  # another department (supports, or sees nothing)
    clerk: User  # văn thư of the province
    leader: User  # leader at the province
    finance_clerk: User
    finance_officer: User
    justice_officer: User
    outsider: User  # an officer of an unrelated unit


def office_world() -> Office:
    province = UnitFactory(code="56", name="Tỉnh Khánh Hòa (thử)", level=Level.PROVINCE,
                           attributes={"agency_code": "000.00.00.H34"})
    finance = UnitFactory(code="STC", name="Sở Tài chính (thử)", level=Level.DEPARTMENT,
                          parent=province, attributes={"agency_code": "000.00.15.H34"})
    justice = UnitFactory(code="STP", name="Sở Tư pháp (thử)", level=Level.DEPARTMENT,
                          parent=province)
    # under another province: a role at a unit without a parent would be a role at a root,
    # which covers every unit
    elsewhere = UnitFactory(code="X0", name="Tỉnh khác (thử)", level=Level.PROVINCE)
    other = UnitFactory(code="X1", name="Xã khác (thử)", level=Level.COMMUNE, parent=elsewhere)

    def person(name: str, role: str, unit: Unit) -> User:
        user = staff_user(unit=unit, username=name)
        grant(user, role, unit)
        return user

    return Office(province, finance, justice, person("vanthu", Role.CLERK, province),
                  person("lanhdao", Role.LEADER, province),
                  person("vanthu.stc", Role.CLERK, finance),
                  person("chuyenvien.stc", Role.OFFICER, finance),
                  person("chuyenvien.stp", Role.OFFICER, justice),
                  person("ngoai", Role.OFFICER, other))


def incoming_fields(**overrides: Any) -> dict[str, Any]:
    return {"issuer_code": "000.00.00.G12", "issuer_name": "Bộ Khoa học và Công nghệ",
            "number": 405, "notation": "QĐ-BKHCN", "kind": "Quyết định",
            "issued_on": date(2026, 3, 20), "subject": "Về việc ban hành Bộ chỉ số DTI (thử)",
            "signer_name": "Nguyễn Văn A", "page_count": 3, **overrides}


def incoming(office: Office, **overrides: Any) -> Document:
    return services.incoming_register(actor=office.clerk, unit=office.province,
                                      **incoming_fields(**overrides))
