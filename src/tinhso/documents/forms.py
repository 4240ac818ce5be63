"""The document office's forms. They read what was typed (dates as dd/mm/yyyy, several files,
addressees as "code | name" lines, readers by user name); whether it makes sense (a required
field, a duplicate, a deadline before today) is the services' judgement, shown on the field they
name (``core.forms.add_service_errors``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhso.accounts.selectors import user_by_username
from tinhso.core.forms import MultipleFileField, VnDateField
from tinhso.core.languages import localized
from tinhso.documents.models import Priority
from tinhso.units.selectors import all_units

if TYPE_CHECKING:
    from tinhso.units.models import Unit

TEXTAREA = {"rows": 3}


class ReadersField(forms.CharField):
    """Named readers of a confidential document: user names, one a line or comma-separated."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(label=_("Named readers (user names)"), required=False, help_text=_(
            "For a confidential document: who may read it, one user name a line."), **kwargs)

    def clean(self, value: Any) -> list[Any]:
        names = [n.strip() for n in str(value or "").replace(",", "\n").splitlines()]
        users: list[Any] = []
        unknown: list[str] = []
        for name in filter(None, names):
            user = user_by_username(name)
            if user is None:
                unknown.append(name)
            else:
                users.append(user)
        if unknown:
            raise forms.ValidationError(_("No user named %(names)s.") % {
                "names": ", ".join(unknown)})
        return users


def unit_choices(units: list[Unit], blank: bool = False) -> list[tuple[Any, str]]:
    choices = [(u.pk, f"{localized(u)} ({u.code})") for u in units]
    return [("", "–"), *choices] if blank else choices


def _limit(form: forms.Form, name: str, units: list[Unit], blank: bool = False) -> None:
    """Offer only ``units`` while accepting any unit: the service says why another is
    refused."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.widget.choices = unit_choices(units, blank)


class MetadataForm(forms.Form):
    """What an incoming and an outgoing document share (Decree 30/2020 Appendix VI)."""

    kind = forms.CharField(label=pgettext_lazy("document", "Type"), max_length=60, required=False,
                           help_text=_("e.g. Công văn, Quyết định, Kế hoạch"))
    subject = forms.CharField(label=pgettext_lazy("document", "Subject"), required=False,
                              widget=forms.Textarea(attrs=TEXTAREA))
    content = forms.CharField(label=pgettext_lazy("document", "Summary"), required=False,
                              widget=forms.Textarea(attrs=TEXTAREA))
    priority = forms.ChoiceField(label=_("Urgency"), choices=Priority.choices,
                                 initial=Priority.NORMAL)
    page_count = forms.IntegerField(label=_("Pages"), required=False, min_value=1)
    copies = forms.IntegerField(label=_("Copies"), required=False, min_value=1)
    due_on = VnDateField(label=_("Answer due"), required=False)
    assigns_work = forms.BooleanField(
        label=_("Assigns work with a deadline (a task in the programme)"), required=False)
    confidential = forms.BooleanField(label=_("Confidential"), required=False)
    readers = ReadersField()
    upload = MultipleFileField(label=_("Files"))


class IncomingForm(MetadataForm):
    unit = forms.ModelChoiceField(label=_("Registering unit"), queryset=all_units())
    issuer_code = forms.CharField(label=_("Issuing organisation's code"), max_length=40,
                                  required=False, help_text=_("e.g. 000.00.00.G12"))
    issuer_name = forms.CharField(label=_("Issuing organisation"), max_length=300,
                                  required=False)
    number = forms.IntegerField(label=pgettext_lazy("document", "Number"), required=False,
                                min_value=1,
                                help_text=_("The 15 of 15/BC-UBND"))
    notation = forms.CharField(label=_("Notation"), max_length=60, required=False,
                               help_text=_("The BC-UBND of 15/BC-UBND"))
    issued_on = VnDateField(label=_("Date issued"), required=False)
    place = forms.CharField(label=_("Place issued"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=200,
                                      required=False)
    signer_competence = forms.CharField(label=_("Signing authority"), max_length=60,
                                        required=False, help_text=_("e.g. TM., KT., TL."))
    electronic = forms.BooleanField(label=_("Received as an electronic document"),
                                    required=False, initial=True)
    register_again = forms.BooleanField(
        label=_("Register again: this is another copy to keep"), required=False)

    field_order = ["unit", "issuer_code", "issuer_name", "number", "notation", "kind",
                   "issued_on", "place", "subject", "content", "signer_name", "signer_position",
                   "signer_competence", "priority", "page_count", "copies", "due_on",
                   "assigns_work", "electronic", "confidential", "readers", "upload",
                   "register_again"]
    SERVICE_FIELDS = ("issuer_code", "issuer_name", "number", "notation", "kind", "issued_on",
                      "place", "subject", "content", "signer_name", "signer_position",
                      "signer_competence", "priority", "page_count", "copies", "due_on",
                      "assigns_work", "confidential", "electronic")

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "unit", units)
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk

    @property
    def main_fields(self) -> list[forms.BoundField]:
        """Every field but "register again" (shown only after the duplicate warning)."""
        return [self[name] for name in self.fields if name != "register_again"]

    @property
    def again_fields(self) -> list[forms.BoundField]:
        return [self["register_again"]]

    def metadata(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self.SERVICE_FIELDS}
        for name in ("issuer_code", "issuer_name", "notation", "kind", "place", "subject",
                     "content", "signer_name", "signer_position", "signer_competence"):
            fields[name] = (fields[name] or "").strip()
        return fields


def parse_addressees(text: str) -> list[tuple[str, str]]:
    """Lines "code | name" as pairs; a bad line is an error naming it."""
    found, bad = [], []
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        if not line.strip():
            continue
        code, sep, name = line.partition("|")
        if not sep or not code.strip() or not name.strip():
            bad.append(number)
            continue
        found.append((code.strip()[:40], name.strip()[:300]))
    if bad:
        raise forms.ValidationError(
            _("Line %(lines)s: write each organisation as “code | name”.") % {
                "lines": ", ".join(str(n) for n in bad)})
    return found


class OutgoingForm(MetadataForm):
    unit = forms.ModelChoiceField(label=_("Issuing unit"), queryset=all_units())
    notation = forms.CharField(label=_("Notation"), max_length=60, required=False,
                               help_text=_("The STC-VP of 01/STC-VP: the number is given "
                                           "when the clerk issues it"))
    recipients = forms.ModelMultipleChoiceField(
        label=_("Addressees in this installation"), queryset=all_units(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))
    external = forms.CharField(
        label=_("Other addressees"), required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Organisations elsewhere, one a line: code | name"))
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=200,
                                      required=False)
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["reply_to", "unit", "kind", "notation", "subject", "content", "recipients",
                   "external", "signer_name", "signer_position", "priority", "page_count",
                   "copies", "due_on", "assigns_work", "confidential", "readers", "upload"]

    def __init__(self, *args: Any, units: list[Unit], addressees: list[Unit],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "unit", units)
        _limit(self, "recipients", addressees)
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk

    def clean_external(self) -> list[tuple[str, str]]:
        return parse_addressees(self.cleaned_data.get("external") or "")

    def metadata(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in (
            "content", "signer_name", "signer_position", "priority", "page_count", "copies",
            "due_on", "assigns_work", "confidential")}
        for name in ("content", "signer_name", "signer_position"):
            fields[name] = (fields[name] or "").strip()
        return fields


class DirectForm(forms.Form):
    prefix = "direct"
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=all_units(),
                                       required=False)
    support_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=all_units(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}))
    due_on = VnDateField(label=_("Deadline (date)"), required=False)
    working_days = forms.IntegerField(label=_("or deadline in working days"), required=False,
                                      min_value=1, max_value=365)
    instruction = forms.CharField(label=pgettext_lazy("handling", "Direction"), required=False,
                                  widget=forms.Textarea(attrs=TEXTAREA))
    task_group = forms.TypedChoiceField(label=_("Programme group of its task"), coerce=int,
                                        required=False, empty_value=None)

    def __init__(self, *args: Any, units: list[Unit], groups: list[Any], assigns_work: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "lead_unit", units, blank=True)
        _limit(self, "support_units", units)
        group_field = self.fields["task_group"]
        assert isinstance(group_field, forms.TypedChoiceField)
        group_field.choices = [("", "–")] + [
            (g.pk, f"{g.document.number} · {g.code} {g.title}") for g in groups]
        if not assigns_work:
            del self.fields["task_group"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("due_on") and data.get("working_days"):
            self.add_error("working_days", _("Give either a date or a number of working days, "
                                             "not both."))
        return data


class CommentForm(forms.Form):
    prefix = "comment"
    text = forms.CharField(label=pgettext_lazy("handling", "Comment"), required=False,
                           widget=forms.Textarea(attrs=TEXTAREA))
    draft = forms.BooleanField(label=_("This is a draft answer (attach its file)"),
                               required=False)
    upload = MultipleFileField(label=_("Files"))


class CloseForm(forms.Form):
    prefix = "close"
    reason = forms.CharField(label=_("Reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("e.g. For information only; handled by telephone"))


class IssueForm(forms.Form):
    prefix = "issue"
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=200,
                                      required=False)


class TaskCloseForm(forms.Form):
    prefix = "task"
