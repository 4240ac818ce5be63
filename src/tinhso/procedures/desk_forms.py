"""The desk's forms: receiving a dossier (the procedure's declared form as fields), and one
form per workflow action the officer may take (``DESK_ACTIONS``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.selectors import user_by_pk
from tinhso.procedures import formschema, queues, services, workflow
from tinhso.procedures.models import Channel, Dossier, Procedure
from tinhso.units.models import Unit
from tinhso.units.selectors import unit_get


class TelInput(forms.TextInput):
    input_type = "tel"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"


DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%H:%M %d/%m/%Y", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


# --- receiving at the desk ------------------------------------------------------------------


def _schema_field(declared: dict[str, Any]) -> forms.Field:
    """A form field for one field of a procedure's form (``formschema.field_spec``). The values
    are checked by the service, which reports every problem at once."""
    spec = formschema.field_spec(declared)
    kind = spec["type"]
    attrs: dict[str, Any] = {"required": True} if spec["required"] else {}
    common: dict[str, Any] = {"label": spec["label"], "required": False,
                              "help_text": spec["help"]}
    if kind == "select":
        return forms.ChoiceField(choices=[("", "–"), *spec["choices"]],
                                 widget=forms.Select(attrs=attrs), **common)
    widgets: dict[str, forms.Widget] = {
        "textarea": forms.Textarea(attrs={**attrs, "rows": 3}),
        "date": forms.TextInput(attrs={**attrs, "placeholder": _("DD/MM/YYYY"),
                                       "inputmode": "numeric"}),
        "number": forms.TextInput(attrs={**attrs, "inputmode": "decimal"}),
        "email": forms.EmailInput(attrs=attrs),
        "phone": TelInput(attrs=attrs),
    }
    return forms.CharField(widget=widgets.get(kind, forms.TextInput(attrs=attrs)),
                           strip=True, **common)


class ReceiveForm(forms.Form):
    """Receiving one dossier: field names are those of the service's errors (``unit``,
    ``applicant_phone``, ``form.<name>``, ``doc.<code>``)."""

    APPLICANT = ("applicant_name", "applicant_phone", "applicant_email")

    def __init__(self, *args: Any, procedure: Procedure, units: list[Unit], **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.fields["unit"] = forms.ChoiceField(
            label=_("Receiving agency"), choices=[(u.code, u.name) for u in units],
            initial=units[0].code if units else None)
        self.fields["channel"] = forms.ChoiceField(
            label=_("Channel"), widget=forms.RadioSelect, initial=Channel.IN_PERSON,
            choices=[(Channel.IN_PERSON, Channel.IN_PERSON.label),
                     (Channel.POSTAL, Channel.POSTAL.label)])
        self.fields["applicant_name"] = forms.CharField(
            label=_("Applicant's name"), max_length=200, required=False,
            widget=forms.TextInput(attrs={"required": True, "autocomplete": "off"}))
        self.fields["applicant_phone"] = forms.CharField(
            label=_("Phone"), max_length=20, required=False,
            widget=TelInput(attrs={"required": True}))
        self.fields["applicant_email"] = forms.CharField(
            label=_("E-mail (optional)"), max_length=254, required=False,
            widget=forms.EmailInput)
        for spec in procedure.form_schema or []:
            self.fields[f"form.{spec['name']}"] = _schema_field(spec)
        for document in procedure.required_documents or []:
            self.fields[f"doc.{document['code']}"] = forms.FileField(
                label=document["name"], required=False,
                help_text=_("Scan (PDF, JPEG or PNG), if scanned now."))
        self.fields["digitised"] = forms.BooleanField(
            label=_("The documents were scanned (digitised)"), required=False)
        self.fields["reused_data"] = forms.BooleanField(
            label=_("Digitised data already held was reused (papers not asked again)"),
            required=False)
        self.fields["population_data"] = forms.BooleanField(
            label=_("Data from the national population database was used"), required=False)

    def group(self, prefix: str) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(prefix)]

    @property
    def head_fields(self) -> list[forms.BoundField]:
        return [self["unit"], self["channel"]]

    @property
    def tail_fields(self) -> list[forms.BoundField]:
        return [self["digitised"], self["reused_data"], self["population_data"]]

    @property
    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.APPLICANT]

    @property
    def schema_fields(self) -> list[forms.BoundField]:
        return self.group("form.")

    @property
    def document_fields(self) -> list[forms.BoundField]:
        return self.group("doc.")


# --- a dossier and its actions ---------------------------------------------------------------


def _reason_field() -> forms.CharField:
    # Checked by the service ("Give the reason."), marked required for the browser.
    return forms.CharField(label=gettext_lazy("Reason"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "required": True}))


def _note_field() -> forms.CharField:
    return forms.CharField(label=gettext_lazy("Note (optional)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Processing unit"))
    officer = forms.ChoiceField(label=gettext_lazy("Officer (optional)"), required=False)
    note = _note_field()

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        officer = self.fields["officer"]
        assert isinstance(unit, forms.ChoiceField) and isinstance(officer, forms.ChoiceField)
        unit.choices = [(u.code, u.name) for u in queues.assignable_units(dossier)]
        unit.initial = (dossier.assigned_unit or dossier.unit).code
        officer.choices = [("", "–")] + [
            (str(u.pk), u.display_name) for u in queues.assignable_officers(dossier)]
        officer.initial = dossier.assigned_to_id


class ReasonForm(forms.Form):
    reason = _reason_field()


class NoteForm(forms.Form):
    note = _note_field()


class ReturnResultForm(forms.Form):
    result = forms.FileField(
        label=gettext_lazy("Electronic result (optional)"), required=False,
        help_text=gettext_lazy("Attach the signed result for the applicant to download; "
                               "without a file the result is handed over on paper."))


class ApologiseForm(forms.Form):
    reason = _reason_field()
    new_due_at = forms.DateTimeField(
        label=gettext_lazy("New appointment"), input_formats=DATETIME_INPUTS,
        widget=DateTimeLocalInput(format="%Y-%m-%dT%H:%M"))


def _unit_of(form: forms.Form) -> Unit:
    return unit_get(form.cleaned_data["unit"])  # one of the choices offered


def _officer_of(form: forms.Form) -> Any:
    pk = form.cleaned_data.get("officer")
    return user_by_pk(int(pk)) if pk else None


Run = Callable[[Any, Dossier, forms.Form], Any]


class DeskAction:
    """How the desk offers a workflow action: its form and how the form's data call the
    service. What the action is, its permission and its label come from the registry."""

    def __init__(self, name: str, label: Any, form: type[forms.Form], run: Run,
                 button_class: str = "") -> None:
        spec = workflow.action(name)
        if spec.by != workflow.STAFF or spec.permission is None:
            raise ValueError(f"{name} is not an officer's action")
        self.name, self.permission, self.label = name, spec.permission, label  # the button
        self.form, self.run, self.button_class = form, run, button_class

    def make_form(self, dossier: Dossier, data: Any = None, files: Any = None) -> forms.Form:
        kwargs: dict[str, Any] = {"auto_id": f"id_{self.name}_%s"}
        if self.form is AssignForm:
            kwargs["dossier"] = dossier
        return self.form(data, files, **kwargs)


DESK_ACTIONS: dict[str, DeskAction] = {a.name: a for a in [
    DeskAction("assign", gettext_lazy("Assign"), AssignForm,
               lambda user, d, f: services.dossier_assign(
                   actor=user, dossier=d, unit=_unit_of(f), officer=_officer_of(f),
                   note=f.cleaned_data["note"])),
    DeskAction("request_supplement", gettext_lazy("Request a supplement"),
               ReasonForm,
               lambda user, d, f: services.dossier_request_supplement(
                   actor=user, dossier=d, reason=f.cleaned_data["reason"]), "secondary"),
    DeskAction("resume", gettext_lazy("Resume processing"), NoteForm,
               lambda user, d, f: services.dossier_resume(actor=user, dossier=d,
                                                          note=f.cleaned_data["note"])),
    DeskAction("approve", gettext_lazy("Approve"), NoteForm,
               lambda user, d, f: services.dossier_approve(actor=user, dossier=d,
                                                           note=f.cleaned_data["note"])),
    DeskAction("refuse", gettext_lazy("Refuse"), ReasonForm,
               lambda user, d, f: services.dossier_refuse(
                   actor=user, dossier=d, reason=f.cleaned_data["reason"]), "secondary"),
    DeskAction("return_result", gettext_lazy("Return the result"),
               ReturnResultForm,
               lambda user, d, f: services.dossier_return_result(
                   actor=user, dossier=d, result=f.cleaned_data.get("result"))),
    DeskAction("withdraw", gettext_lazy("Record the withdrawal"),
               ReasonForm,
               lambda user, d, f: services.dossier_withdraw(
                   actor=user, dossier=d, reason=f.cleaned_data["reason"]), "secondary"),
    DeskAction("apologise", gettext_lazy("Issue an apology letter"),
               ApologiseForm,
               lambda user, d, f: services.dossier_apologise(
                   actor=user, dossier=d, reason=f.cleaned_data["reason"],
                   new_due_at=f.cleaned_data["new_due_at"]), "secondary"),
]}
