"""The catalogue: ``ProcedureFactory``, and what an applicant sends for a procedure (valid form
answers, a PDF for each document)."""

from __future__ import annotations

from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.procedures.models import OnlineLevel, Procedure


class ProcedureFactory(factory.django.DjangoModelFactory):
    """A provincial procedure received by a department, partly online, free, due in three
    working days, with two documents and a small form. Traits: ``online`` (fully online),
    ``offline`` (not online), ``with_fee`` (a fee is payable: the model's ``fee_payable`` with
    its text; the field's own name is taken), ``commune`` (a commune-level procedure)."""

    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"TEST.{n:05d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử {n}")
    field = "Hộ tịch"
    level = "province"
    agency = "Sở Tư pháp"
    online_level = OnlineLevel.PARTIAL
    time_limit = "3 working days"
    time_rule = factory.LazyFunction(lambda: {"type": "working_days", "days": 3})
    fee = "0"
    fee_payable = False
    legal_basis = "Luật Hộ tịch 2014"
    required_documents = factory.LazyFunction(lambda: [
        {"code": "to_khai", "name": "Tờ khai", "required": True},
        {"code": "giay_to", "name": "Giấy tờ kèm theo", "required": False},
    ])
    form_schema = factory.LazyFunction(lambda: [
        {"name": "full_name", "label": "Họ và tên", "type": "text", "required": True},
        {"name": "birth_date", "label": "Ngày sinh", "type": "date", "required": True},
        {"name": "sex", "label": "Giới tính", "type": "select", "required": False,
         "choices": [["nam", "Nam"], ["nu", "Nữ"]]},
    ])
    source = "tests"

    class Params:
        online = factory.Trait(online_level=OnlineLevel.FULL)
        offline = factory.Trait(online_level=OnlineLevel.NONE)
        with_fee = factory.Trait(fee_payable=True, fee="50.000 đồng")
        commune = factory.Trait(level="commune", agency="UBND cấp xã")


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf_upload(name: str = "to-khai.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def documents_for(procedure: Procedure) -> dict[str, Any]:
    """A PDF for every document the procedure asks for."""
    return {f"doc.{d['code']}": pdf_upload(f"{d['code']}.pdf")
            for d in procedure.required_documents}


def form_for(procedure: Procedure) -> dict[str, str]:
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


def submission_post(procedure: Procedure, agency: Any, **overrides: Any) -> dict[str, Any]:
    """What the submit page's form sends when filled in well (an override of None: a field
    left out)."""
    data: dict[str, Any] = {"applicant_name": "Nguyễn Văn An", "applicant_phone": "0905 123 456",
                            "applicant_email": "an@example.vn", "unit": agency.pk}
    data.update({f"form.{name}": value for name, value in form_for(procedure).items()})
    data.update(documents_for(procedure))
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
