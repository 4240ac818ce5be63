"""The officers' workspace (/desk/): the queue, receiving at the desk, a dossier's page with the
actions the officer may take, and the dossier's files. Every write goes through ``services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tinhso.accounts.models import User
from tinhso.accounts.permissions import may, may_somewhere
from tinhso.procedures import queues, services, workflow
from tinhso.procedures.models import Channel, Dossier, DossierFile, DossierStatus, Procedure
from tinhso.units.models import Unit


class TelInput(forms.TextInput):
    input_type = "tel"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"


DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%H:%M %d/%m/%Y", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


def _show_errors(form: forms.Form, exc: ValidationError,
                 aliases: dict[str, str] | None = None) -> None:
    """A service's errors on the form: on the field they name (or its alias here), else above
    the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = (aliases or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def _fmt(moment: Any) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


# --- the queue ------------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not may_somewhere(request.user, "dossiers.view"):
        raise PermissionDenied(_("The desk is for the staff who handle dossiers."))
    selection = queues.QueueFilter.from_query(request.GET)
    now = timezone.now()
    page = Paginator(queues.queue(request.user, selection, now), 50).get_page(
        request.GET.get("page"))
    return render(request, "procedures/desk/queue.html", {
        "page": page, "rows": [queues.marks(d, now) for d in page],
        "counts": queues.queue_counts(request.user, selection, now),
        "units": queues.queue_units(request.user), "selection": selection,
        "statuses": [(s, DossierStatus(s).label) for s in queues.QUEUE_STATUSES],
        "can_receive": may_somewhere(request.user, "dossiers.receive"),
    })


# --- receiving at the desk ------------------------------------------------------------------


def _schema_field(spec: dict[str, Any]) -> forms.Field:
    """A form field for one field of a procedure's form (``formschema.TYPES``). The values are
    checked by the service, which reports every problem at once."""
    kind = spec.get("type", "text")
    attrs: dict[str, Any] = {"required": True} if spec.get("required") else {}
    common: dict[str, Any] = {"label": spec["label"], "required": False,
                              "help_text": spec.get("help", "")}
    if kind == "select":
        choices = [tuple(c) if isinstance(c, list | tuple) else (c, c) for c in spec["choices"]]
        return forms.ChoiceField(choices=[("", "–"), *choices],
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

    def group(self, prefix: str) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(prefix)]

    @property
    def head_fields(self) -> list[forms.BoundField]:
        return [self["unit"], self["channel"]]

    @property
    def tail_fields(self) -> list[forms.BoundField]:
        return [self["digitised"]]

    @property
    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.APPLICANT]

    @property
    def schema_fields(self) -> list[forms.BoundField]:
        return self.group("form.")

    @property
    def document_fields(self) -> list[forms.BoundField]:
        return self.group("doc.")


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    if not may_somewhere(request.user, "dossiers.receive"):
        raise PermissionDenied(_("Only one-stop desk officers receive dossiers."))
    code = (request.POST.get("procedure") or request.GET.get("procedure") or "").strip()
    procedures = Procedure.objects.order_by("field", "name").only("code", "name", "field")
    procedure = Procedure.objects.filter(code=code).first() if code else None
    context: dict[str, Any] = {"procedures": procedures, "procedure": procedure, "code": code}
    if procedure is None:
        if code:
            context["problem"] = _("There is no procedure with code '%(code)s'.") % {
                "code": code}
        return render(request, "procedures/desk/receive.html", context)
    units = [u for u in services.receiving_units(procedure)
             if may(request.user, "dossiers.receive", u)]
    context["units"] = units
    if not units:
        context["problem"] = _("You do not receive dossiers of this procedure.")
        return render(request, "procedures/desk/receive.html", context)
    form = ReceiveForm(request.POST or None, request.FILES or None, procedure=procedure,
                       units=units)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.dossier_receive(
                actor=request.user, procedure=procedure,
                unit=next(u for u in units if u.code == data["unit"]),
                channel=data["channel"],
                applicant=services.Applicant(data["applicant_name"], data["applicant_phone"],
                                             data["applicant_email"]),
                form_data={spec["name"]: data.get(f"form.{spec['name']}") or ""
                           for spec in procedure.form_schema or []},
                files={f.name: data[f.name] for f in form.document_fields if data.get(f.name)},
                digitised=data["digitised"])
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Dossier %(code)s received; the result is due at "
                                        "%(due)s.") % {"code": dossier.code,
                                                       "due": _fmt(dossier.due_at)})
            return redirect("desk:detail", code=dossier.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "procedures/desk/receive.html", context, status=status)


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
    return Unit.objects.get(code=form.cleaned_data["unit"])


def _officer_of(form: forms.Form) -> Any:
    pk = form.cleaned_data.get("officer")
    return User.objects.get(pk=pk) if pk else None


Run = Callable[[Any, Dossier, forms.Form], Any]


class DeskAction:
    def __init__(self, name: str, permission: str, label: Any, form: type[forms.Form],
                 run: Run, button_class: str = "") -> None:
        self.name, self.permission, self.label = name, permission, label
        self.form, self.run, self.button_class = form, run, button_class

    def make_form(self, dossier: Dossier, data: Any = None, files: Any = None) -> forms.Form:
        kwargs: dict[str, Any] = {"auto_id": f"id_{self.name}_%s"}
        if self.form is AssignForm:
            kwargs["dossier"] = dossier
        return self.form(data, files, **kwargs)


ACTIONS: dict[str, DeskAction] = {a.name: a for a in [
    DeskAction("assign", "dossiers.process", gettext_lazy("Assign"), AssignForm,
               lambda user, d, f: services.dossier_assign(
                   actor=user, dossier=d, unit=_unit_of(f), officer=_officer_of(f),
                   note=f.cleaned_data["note"])),
    DeskAction("request_supplement", "dossiers.process", gettext_lazy("Request a supplement"),
               ReasonForm,
               lambda user, d, f: services.dossier_request_supplement(
                   actor=user, dossier=d, reason=f.cleaned_data["reason"]), "secondary"),
    DeskAction("resume", "dossiers.process", gettext_lazy("Resume processing"), NoteForm,
               lambda user, d, f: services.dossier_resume(actor=user, dossier=d,
                                                          note=f.cleaned_data["note"])),
    DeskAction("approve", "dossiers.decide", gettext_lazy("Approve"), NoteForm,
               lambda user, d, f: services.dossier_approve(actor=user, dossier=d,
                                                           note=f.cleaned_data["note"])),
    DeskAction("refuse", "dossiers.decide", gettext_lazy("Refuse"), ReasonForm,
               lambda user, d, f: services.dossier_refuse(
                   actor=user, dossier=d, reason=f.cleaned_data["reason"]), "secondary"),
    DeskAction("return_result", "dossiers.process", gettext_lazy("Return the result"),
               ReturnResultForm,
               lambda user, d, f: services.dossier_return_result(
                   actor=user, dossier=d, result=f.cleaned_data.get("result"))),
    DeskAction("withdraw", "dossiers.process", gettext_lazy("Record the withdrawal"),
               ReasonForm,
               lambda user, d, f: services.dossier_withdraw(
                   actor=user, dossier=d, reason=f.cleaned_data["reason"]), "secondary"),
    DeskAction("apologise", "dossiers.process", gettext_lazy("Issue an apology letter"),
               ApologiseForm,
               lambda user, d, f: services.dossier_apologise(
                   actor=user, dossier=d, reason=f.cleaned_data["reason"],
                   new_due_at=f.cleaned_data["new_due_at"]), "secondary"),
]}


def _dossier_for(request: HttpRequest, code: str) -> Dossier:
    """The dossier, for staff who may see it; 404 for everyone else (its code says nothing)."""
    dossier = Dossier.objects.select_related(
        "procedure", "unit", "assigned_unit", "assigned_to").filter(code=code).first()
    if dossier is None or not services.may_act(request.user, "dossiers.view", dossier):
        raise Http404(_("There is no dossier %(code)s at your desk.") % {"code": code})
    return dossier


def _answers(dossier: Dossier) -> list[tuple[str, str]]:
    """The form's answers under the labels of the procedure's form, in its order."""
    data = dict(dossier.form_data or {})
    rows = []
    for spec in dossier.procedure.form_schema or []:
        value = data.pop(spec["name"], "")
        if spec.get("type") == "select":
            labels = {c[0]: c[1] for c in spec["choices"] if isinstance(c, list | tuple)}
            value = labels.get(value, value)
        elif spec.get("type") == "date" and value:
            value = "/".join(reversed(str(value).split("-")))
        rows.append((spec["label"], str(value)))
    rows.extend((name, str(value)) for name, value in data.items())
    return rows


def _render_detail(request: HttpRequest, dossier: Dossier,
                   bound: forms.Form | None = None, bound_action: str = "",
                   status: int = 200) -> HttpResponse:
    forms_shown: list[dict[str, Any]] = []
    for name in workflow.possible_actions(dossier.status):
        action = ACTIONS.get(name)
        if action is None or not services.may_act(request.user, action.permission, dossier):
            continue
        form = bound if name == bound_action and bound is not None else (
            action.make_form(dossier))
        forms_shown.append({"action": action, "form": form,
                            "open": name == bound_action,
                            "multipart": any(isinstance(f, forms.FileField)
                                             for f in form.fields.values())})
    problems: list[str] = []
    if bound is not None and bound_action not in {item["action"].name for item in forms_shown}:
        # The action is no longer possible (the status moved on): say why above the page.
        problems = [str(e) for errors in bound.errors.values() for e in errors]
    return render(request, "procedures/desk/detail.html", {
        "dossier": dossier, "problems": problems, "row": queues.marks(dossier),
        "answers": _answers(dossier),
        "files": dossier.files.all(),
        "events": [(e, services.ACTION_LABELS.get(e.action, e.action))
                   for e in dossier.events.all()],
        "apologies": dossier.apologies.all(), "actions": forms_shown,
        "notifications": dossier.notifications.all(),
    }, status=status)


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_detail(request, _dossier_for(request, code))


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _dossier_for(request, code)
    desk_action = ACTIONS.get(action)
    if desk_action is None:
        raise Http404(_("There is no such action."))
    if not services.may_act(request.user, desk_action.permission, dossier):
        raise PermissionDenied(_("You may not %(action)s dossier %(code)s.") % {
            "action": str(desk_action.label).lower(), "code": dossier.code})
    form = desk_action.make_form(dossier, request.POST, request.FILES)
    if form.is_valid():
        try:
            desk_action.run(request.user, dossier, form)
        except ValidationError as exc:
            _show_errors(form, exc, aliases={"file": "result"})
        else:
            dossier.refresh_from_db()
            messages.success(request, _("Dossier %(code)s: %(action)s. Status: %(status)s.") % {
                "code": dossier.code, "action": services.ACTION_LABELS[action],
                "status": dossier.get_status_display()})
            return redirect("desk:detail", code=dossier.code)
    dossier.refresh_from_db()
    return _render_detail(request, dossier, form, action, status=400)


@login_required
def file_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    dossier = _dossier_for(request, code)
    row = get_object_or_404(DossierFile, pk=pk, dossier=dossier)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name,
                        content_type=row.content_type)
