"""The forms of the catalogue's pages: a procedure's values with the decision announcing them,
a retirement's decision, and the upload of the national database's export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.procedures.models import OnlineLevel, Procedure
from tinhso.procedures.services.catalogue import Decision

LEVEL_CHOICES = [("province", _("Province")), ("commune", _("Commune"))]


def _date(label: Any, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}))


class DecisionForm(forms.Form):
    decision_number = forms.CharField(label=_("Announcing decision"), max_length=100,
                                      help_text=_("e.g. 1234/QĐ-UBND"))
    decision_date = _date(_("Decision date"))
    effective_from = _date(_("Effective from"), required=True,
                           help_text=_("The day the change takes effect on the platform."))
    legal_effective_date = _date(_("Legal text effective from"),
                                 help_text=_("When the legal text behind the change takes "
                                             "effect (for announcement on time)."))

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(data["decision_number"], data["effective_from"],
                        data.get("decision_date"), data.get("legal_effective_date"))


class ProcedureForm(DecisionForm):
    code = forms.CharField(label=_("Code"), max_length=40,
                           help_text=_("The code in the national procedure database."))
    name = forms.CharField(label=_("Name"), max_length=300)
    field = forms.CharField(label=_("Field"), max_length=200)
    level = forms.ChoiceField(label=_("Level of government"), choices=LEVEL_CHOICES)
    agency = forms.CharField(label=_("Implementing agencies"), max_length=200)
    time_limit = forms.CharField(label=_("Time limit"), max_length=200,
                                 help_text=_("e.g. 3 ngày làm việc, 15 ngày, Trong ngày làm "
                                             "việc"))
    fee = forms.CharField(label=_("Fee"), max_length=300, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    online_level = forms.ChoiceField(label=_("Online level"), choices=OnlineLevel.choices)
    required_documents = forms.CharField(label=_("Required documents"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 4}),
                                         help_text=_("One a line."))

    field_order = ["code", "name", "field", "level", "agency", "time_limit", "fee",
                   "legal_basis", "online_level", "required_documents", "decision_number",
                   "decision_date", "effective_from", "legal_effective_date"]

    def __init__(self, *args: Any, procedure: Procedure | None = None, **kwargs: Any):
        if procedure is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                **{name: getattr(procedure, name) for name in (
                    "name", "field", "level", "agency", "time_limit", "fee", "legal_basis",
                    "online_level")},
                "required_documents": "\n".join(d.get("name", "") for d in
                                                procedure.required_documents or [])}
        super().__init__(*args, **kwargs)
        if procedure is not None:
            del self.fields["code"]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in ("name", "field", "level", "agency",
                                                 "time_limit", "fee", "legal_basis",
                                                 "online_level")}
        values["required_documents"] = [line.strip() for line in
                                        data["required_documents"].splitlines()
                                        if line.strip()]
        return values


class ImportForm(DecisionForm):
    file = forms.FileField(label=_("Export of the national procedure database (.xlsx or "
                                   ".csv)"))
    field_order = ["file", "decision_number", "decision_date", "effective_from",
                   "legal_effective_date"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Send an Excel workbook (.xlsx) or a CSV file "
                                          "(.csv)."))
        return upload
