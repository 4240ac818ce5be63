"""Factories for every domain's models."""

from __future__ import annotations

from typing import Any

import factory

from tinhso.accounts.models import RoleAssignment, User, UserKind
from tinhso.indicators.models import Indicator, Measure, PeriodType
from tinhso.units.models import Level, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử {n}")
    level = Level.COMMUNE
    parent = None

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        parent = kwargs.get("parent")
        kwargs["path"] = f"{parent.path if parent else '/'}{kwargs['code']}/"
        kwargs["depth"] = parent.depth + 1 if parent else 0
        return super()._create(model_class, *args, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    kind = UserKind.STAFF
    first_name = "Nguyễn"
    last_name = factory.Sequence(lambda n: f"Văn {n}")
    password = factory.PostGenerationMethodCall("set_password", "Mat-khau-2026!")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


PASSWORD = "Mat-khau-2026!"


def staff_user(*, unit: Unit, **kwargs: Any) -> User:
    return UserFactory(kind=UserKind.STAFF, unit=unit, **kwargs)


def citizen(**kwargs: Any) -> User:
    return UserFactory(kind=UserKind.CITIZEN, unit=None, **kwargs)


def grant(user: User, role: str, unit: Unit) -> RoleAssignment:
    assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit)
    if hasattr(user, "_tinhso_scopes"):
        del user._tinhso_scopes
    return assignment


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"indicator_{n}")
    name = factory.Sequence(lambda n: f"Chỉ tiêu thử {n}")
    measure = Measure.PERCENT
    period_type = PeriodType.YEAR


# --- dossiers -------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf_upload(name: str = "to-khai.pdf", content: bytes = PDF) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def documents_for(procedure: Any) -> dict[str, Any]:
    """A PDF for every document the procedure asks for."""
    return {f"doc.{d['code']}": pdf_upload(f"{d['code']}.pdf")
            for d in procedure.required_documents}


def form_for(procedure: Any) -> dict[str, str]:
    """Valid answers to every field of the procedure's form."""
    samples = {"text": "Nguyễn Thị Bình", "textarea": "Ghi chú", "date": "01/11/2026",
               "number": "2", "email": "binh@example.vn", "phone": "0905123456"}
    answers = {}
    for field in procedure.form_schema:
        kind = field.get("type", "text")
        if kind == "select":
            choice = field["choices"][0]
            answers[field["name"]] = choice[0] if isinstance(choice, list) else choice
        elif field["name"].endswith("id_number"):
            answers[field["name"]] = "079201001234"
        else:
            answers[field["name"]] = samples[kind]
    return answers


# --- programme ------------------------------------------------------------------------------


def programme_document(unit: Unit, number: str = "10633/KH-UBND", **kwargs: Any) -> Any:
    from datetime import date

    from tinhso.programme.models import Document

    values = {"kind": "plan", "title": "Kế hoạch chuyển đổi số (thử)", "issuer": "UBND tỉnh",
              "issued_on": date(2020, 10, 7), "unit": unit, **kwargs}
    return Document.objects.create(number=number, **values)


def task_group(document: Any, code: str = "1", **kwargs: Any) -> Any:
    from tinhso.programme.models import TaskGroup

    values = {"title": f"Nhóm {code}", **kwargs}
    return TaskGroup.objects.create(document=document, code=code, **values)


def programme_task(group: Any, lead_unit: Unit, code: str = "1", **kwargs: Any) -> Any:
    """A task written directly (no service, no event): for tests that need many quickly."""
    from datetime import date

    from tinhso.programme.models import Task

    support = kwargs.pop("support_units", [])
    values = {"title": f"Nhiệm vụ {code}", "start_on": date(2026, 1, 1),
              "due_on": date(2026, 12, 31), **kwargs}
    task = Task.objects.create(group=group, code=code, lead_unit=lead_unit, **values)
    if support:
        task.support_units.set(support)
    return task
