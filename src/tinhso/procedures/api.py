from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from tinhso.core.api_pagination import Pagination
from tinhso.core.api_schemas import ErrorOut
from tinhso.procedures import formschema
from tinhso.procedures.catalogue import procedure_by_code, procedure_search, receiving_units
from tinhso.procedures.texts import FIELDS, shown

router = Router(tags=["procedures"])


_IN_LANGUAGE = ("the answer's language (Vietnamese unless the language cookie chose English); "
                "the other language's text when it has none (named in `fallback`)")


class ProcedureOut(Schema):
    code: str
    national_code: str
    name: str
    field: str
    level: str
    agency: str = Field(description="As the catalogue writes it, in Vietnamese")
    online_level: str
    time_limit: str = Field(description="As the catalogue writes it, in Vietnamese")
    time_rule: dict[str, Any]
    fee: str = Field(description="As the catalogue writes it, in Vietnamese")
    legal_basis: str = Field(description="As the catalogue writes it, in Vietnamese")
    agency_text: str = Field(description=f"The agency in {_IN_LANGUAGE}")
    time_limit_text: str = Field(description=(
        f"The time limit in {_IN_LANGUAGE}; said from `time_rule` when the catalogue has "
        "no text in the answer's language"))
    fee_text: str = Field(description=f"The fee in {_IN_LANGUAGE}")
    legal_basis_text: str = Field(description=f"The legal basis in {_IN_LANGUAGE}")
    fallback: list[str] = Field(description=(
        "The `*_text` fields shown in the other language, the answer's language having no "
        "text for them (e.g. `fee_text` in Vietnamese on an English answer)"))

    @staticmethod
    def resolve_fallback(obj: Any) -> list[str]:
        if isinstance(obj, Mapping):  # an answer already built (one procedure's)
            return list(obj["fallback"])
        return [f"{key}_text" for key in FIELDS if shown(obj, key).fallback]


class RequiredDocumentOut(Schema):
    code: str = Field(description="The key of this document in a submission's `documents`")
    name: str
    required: bool


class ChoiceOut(Schema):
    value: str = Field(description="What to send")
    label: str


class FormFieldOut(Schema):
    name: str = Field(description="The key of this field in a submission's `form`")
    label: str
    type: str = Field(description="text, textarea, date (DD/MM/YYYY or YYYY-MM-DD), number, "
                                  "email, phone or select")
    required: bool
    max_length: int = Field(description="Longest accepted answer, in characters")
    choices: list[ChoiceOut] = Field(description="For a select: the accepted values")
    help: str


class ReceivingUnitOut(Schema):
    code: str
    name: str


class ProcedureDetailOut(ProcedureOut):
    fee_payable: bool
    result_type: str
    required_documents: list[RequiredDocumentOut]
    form_schema: list[FormFieldOut] = Field(description="The form a dossier fills in")
    receiving_units: list[ReceivingUnitOut] = Field(
        description="The agencies that receive dossiers of this procedure (a submission's "
                    "`unit`)")


def _field_out(field: dict[str, Any]) -> dict[str, Any]:
    spec = formschema.field_spec(field)
    return {**spec, "choices": [{"value": v, "label": label} for v, label in spec["choices"]]}


@router.get("/", response=list[ProcedureOut], summary="Search the procedures",
            description="q ignores diacritics and case: 'giay phep xay dung' finds 'Cấp giấy "
                        "phép xây dựng'. Every word of q must appear (in the name, field, "
                        "agency or codes); with q the closest match comes first (the words in "
                        "the name, then the phrase), else the list is by field and name.")
@paginate(Pagination)
def search(request: HttpRequest, q: str = "", field: str = "", agency: str = "",
           online_level: str = "") -> Any:
    return procedure_search(q=q, field=field, agency=agency, online_level=online_level)


@router.get("/{code}/", response={200: ProcedureDetailOut, 404: ErrorOut},
            summary="One procedure, with its documents and form",
            description="Everything a client needs to build the submission form: the documents "
                        "to attach, the form's fields, and the agencies that receive it.")
def get_procedure(request: HttpRequest, code: str) -> Any:
    procedure = procedure_by_code(code)
    if procedure is None:
        raise Http404(_("There is no procedure with code '%(code)s'.") % {"code": code})
    return {
        **{name: getattr(procedure, name) for name in ProcedureOut.model_fields
           if name != "fallback"},
        "fallback": ProcedureOut.resolve_fallback(procedure),
        "fee_payable": procedure.fee_payable, "result_type": procedure.result_type,
        "required_documents": [{"code": d["code"], "name": d["name"],
                                "required": bool(d.get("required", True))}
                               for d in procedure.required_documents or []],
        "form_schema": [_field_out(f) for f in procedure.form_schema or []],
        "receiving_units": [{"code": u.code, "name": u.name}
                            for u in receiving_units(procedure)],
    }
