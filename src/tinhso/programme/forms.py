"""The programme's work forms: a progress report, a decision on it, a task, a group, a document.

The forms only read what was typed (dates as dd/mm/yyyy, several files); whether it makes sense
(notation, due before start, a unit outside the plan, progress going back) is the services'
judgement, shown on the field they name (``core.forms.add_service_errors``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tinhso.core.forms import MultipleFileField, VnDateField
from tinhso.core.languages import localized
from tinhso.core.periods import parse_period
from tinhso.indicators.selectors import all_indicators
from tinhso.programme import schedule
from tinhso.programme.models import (
    Area,
    Document,
    DocumentKind,
    ReportKind,
    Supersession,
    Task,
    TaskGroup,
)
from tinhso.programme.selectors import Clock
from tinhso.scoring.engine import load_framework
from tinhso.units.models import Level
from tinhso.units.selectors import all_units, units_valid_within

if TYPE_CHECKING:
    from tinhso.units.models import Unit

DTI_FRAMEWORK = "dti-province-922"
RECENT_PERIODS = 8
TEXTAREA = {"rows": 3}
LEVEL_ORDER: dict[str, int] = {Level.PROVINCE: 0, Level.DEPARTMENT: 1, Level.DISTRICT: 2,
                               Level.COMMUNE: 3}


def _limit_choices(field: forms.ModelChoiceField, units: list[Unit], blank: bool) -> None:
    """Offer only ``units`` while accepting any unit, so the service, not the form, says why a
    unit outside the plan's scope is refused."""
    choices = [(u.pk, f"{localized(u)} ({u.code})") for u in units]
    field.widget.choices = [("", "–"), *choices] if blank else choices


def units_within(unit: Unit) -> list[Unit]:
    """The units a plan of ``unit`` may assign tasks to: it and those below it, valid today."""
    units = units_valid_within(unit, timezone.localdate())
    return sorted(units, key=lambda u: (u.depth, LEVEL_ORDER.get(u.level, 9), u.name))


# --- progress reports ----------------------------------------------------------------------


def period_label(period: schedule.ReportPeriod) -> str:
    lang = (get_language() or "vi").split("-")[0]
    return (f"{parse_period(period.code).label(lang)} "
            f"({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y})")


def report_periods(task: Task, clk: Clock) -> tuple[list[schedule.ReportPeriod], str]:
    """The recent periods one may report on (newest first: the current one, then those that
    closed while the task ran) and the one to report by default (the last closed one, or the
    current one when the task began after it)."""
    current = schedule.period_containing(clk.today, clk.rule)
    periods = [current]
    while len(periods) < RECENT_PERIODS:
        before = schedule.previous_period(periods[-1], clk.rule)
        if before.end < task.start_on:
            break
        periods.append(before)
    due = schedule.period_to_report(clk.today, clk.rule)
    default = due.code if due.end >= task.start_on else current.code
    return periods, default


class ReportForm(forms.Form):
    """One unit's report on a task; the lead unit's form has the percent complete."""

    unit = forms.CharField(widget=forms.HiddenInput)
    period = forms.ChoiceField(label=_("Period"))
    percent = forms.IntegerField(label=_("Percent complete"), required=False, min_value=0,
                                 max_value=100)
    done_text = forms.CharField(label=_("What was done"), required=False,
                                widget=forms.Textarea(attrs=TEXTAREA))
    obstacles = forms.CharField(label=_("Obstacles"), required=False,
                                widget=forms.Textarea(attrs=TEXTAREA))
    proposals = forms.CharField(label=_("Proposals"), required=False,
                                widget=forms.Textarea(attrs=TEXTAREA))
    regression_reason = forms.CharField(
        label=_("Why progress went back"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the percent is lower than the task's current progress."))
    completed_on = VnDateField(label=_("Completed on"), required=False)
    result_document = forms.CharField(
        label=_("Result document (number and symbol)"), required=False, max_length=60,
        help_text=_("e.g. 125/QĐ-UBND; or attach the output as evidence."))
    evidence = MultipleFileField(
        label=_("Evidence files (PDF, JPEG, PNG, Word, Excel; at most 10 MB each)"))

    COMPLETION_FIELDS = ("completed_on", "result_document")

    def __init__(self, *args: Any, task: Task, unit: Unit, kind: str, clk: Clock,
                 **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_report_{unit.pk}_%s")
        super().__init__(*args, **kwargs)
        self.task, self.report_unit, self.kind = task, unit, kind
        periods, default = report_periods(task, clk)
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [(p.code, period_label(p)) for p in periods]
        period.initial = default
        self.fields["unit"].initial = unit.code
        if kind == ReportKind.LEAD:
            self.fields["percent"].initial = task.progress
        else:
            for name in ("percent", "regression_reason", *self.COMPLETION_FIELDS):
                del self.fields[name]

    @property
    def is_lead(self) -> bool:
        return self.kind == ReportKind.LEAD

    def main_fields(self) -> list[forms.BoundField]:
        skip = {"unit", *self.COMPLETION_FIELDS, "evidence"}
        return [self[name] for name in self.fields if name not in skip]

    def evidence_fields(self) -> list[forms.BoundField]:
        return [self["evidence"]]

    def completion_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.COMPLETION_FIELDS if name in self.fields]


class DecisionForm(forms.Form):
    """The coordinator's comment on accepting (optional) or returning (required) a report."""

    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


# --- tasks, groups, documents --------------------------------------------------------------


def dti_choices() -> list[tuple[str, str]]:
    return [(i.code, localized(i)) for i in load_framework(DTI_FRAMEWORK).indicators]


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    """Indicators by their name (in the page's language) with the code after it."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{localized(obj)} ({obj.code})"


class TaskForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30, required=False,
                           help_text=_("e.g. 2.1.3"))
    title = forms.CharField(label=_("Task"), max_length=500, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=all_units(),
                                       required=False)
    support_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=all_units(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))
    start_on = VnDateField(label=_("Start"), required=False)
    due_on = VnDateField(label=pgettext_lazy("task", "Due date"), required=False)
    expected_output = forms.CharField(label=_("Expected output"), max_length=500,
                                      required=False)
    assigned_by = forms.ModelChoiceField(
        label=_("Assigned by (document)"), queryset=Document.objects.all(), required=False,
        help_text=_("Empty: the document the group belongs to."))
    weight = forms.CharField(label=_("Weight"), max_length=12, required=False, initial="1",
                             help_text=_("Its share in the group's progress (1 when empty)."))
    indicators = IndicatorChoiceField(
        label=_("Linked indicators"), queryset=all_indicators(),
        required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    dti_codes = forms.MultipleChoiceField(label=_("DTI main indicators it serves"),
                                          required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, document: Document, editing: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = units_within(document.unit)
        lead = self.fields["lead_unit"]
        support = self.fields["support_units"]
        assert isinstance(lead, forms.ModelChoiceField)
        assert isinstance(support, forms.ModelChoiceField)
        _limit_choices(lead, units, blank=True)
        _limit_choices(support, units, blank=False)
        dti = self.fields["dti_codes"]
        assert isinstance(dti, forms.ChoiceField)
        dti.choices = dti_choices()
        if editing:
            del self.fields["code"]


def task_initial(task: Task) -> dict[str, Any]:
    return {"title": task.title, "lead_unit": task.lead_unit_id,
            "support_units": [u.pk for u in task.support_units.all()],
            "start_on": task.start_on, "due_on": task.due_on,
            "expected_output": task.expected_output, "assigned_by": task.assigned_by_id,
            "weight": format(task.weight.normalize(), "f"), "dti_codes": list(task.dti_codes),
            "indicators": [i.pk for i in task.indicators.all()]}


class GroupForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30, required=False,
                           help_text=_("e.g. 2, or 2.1 for an item within group 2"))
    title = forms.CharField(label=_("Group name"), max_length=400, required=False)
    parent = forms.ModelChoiceField(label=_("Within"), queryset=TaskGroup.objects.none(),
                                    required=False)
    area = forms.ChoiceField(label=_("Area"), required=False,
                             choices=[("", "–"), *Area.choices])
    weight = forms.CharField(label=_("Weight"), max_length=12, required=False, initial="1")

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = TaskGroup.objects.filter(document=document).order_by("position", "id")

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code") or "").strip()
        if code and TaskGroup.objects.filter(document=self.document, code=code).exists():
            raise forms.ValidationError(_("Group %(code)s is already in this document.")
                                        % {"code": code})
        return code


class DocumentForm(forms.Form):
    number = forms.CharField(label=_("Number and symbol"), max_length=60,
                             help_text=_("As Decree 30/2020 writes it: 10633/KH-UBND, 16-NQ/TU"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=400)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    issued_on = VnDateField(label=_("Issued on"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=all_units())
    implements = forms.ModelChoiceField(label=_("Implements"),
                                        queryset=Document.objects.order_by("-issued_on"),
                                        required=False)
    supersedes = forms.ModelChoiceField(label=_("Amends or replaces"),
                                        queryset=Document.objects.order_by("-issued_on"),
                                        required=False)
    supersession = forms.ChoiceField(label=_("How"), required=False,
                                     choices=[("", "–"), *Supersession.choices])
    file = forms.FileField(label=_("File (PDF, image, Word, Excel; at most 10 MB)"),
                           required=False)

    def __init__(self, *args: Any, units: list[Unit], editing: Document | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing is not None:  # the number, the unit and the file stay as recorded
            for name in ("number", "unit", "file"):
                del self.fields[name]
            for name in ("implements", "supersedes"):
                other = self.fields[name]
                assert isinstance(other, forms.ModelChoiceField)
                other.queryset = Document.objects.exclude(pk=editing.pk).order_by("-issued_on")
            return
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        _limit_choices(unit, units, blank=False)
        if units:
            unit.initial = units[0].pk
