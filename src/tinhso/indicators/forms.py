from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhso.core.languages import localized
from tinhso.core.xlsx import MB
from tinhso.indicators.files import LIMITS
from tinhso.indicators.models import (
    Aggregation,
    Direction,
    Indicator,
    Measure,
    PeriodType,
    SourceKind,
    TargetKind,
    TaskGroup,
)
from tinhso.scoring.engine import available_frameworks
from tinhso.units.models import Level
from tinhso.units.selectors import all_units, unit_by_code, units_valid_within

if TYPE_CHECKING:
    from tinhso.units.models import Unit


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("Letters, digits, _ and -; used in formulas."))
    name = forms.CharField(label=_("Name"), max_length=300)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 2}),
                                 required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    period_type = forms.ChoiceField(label=_("Period type"), choices=PeriodType.choices,
                                    initial=PeriodType.YEAR)
    reporting_levels = forms.MultipleChoiceField(
        label=_("Reporting levels"), choices=Level.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    aggregation = forms.ChoiceField(label=_("Aggregation"), choices=Aggregation.choices)
    formula = forms.CharField(label=_("Formula"), max_length=500, required=False,
                              help_text=_("For a computed indicator, e.g. "
                                          "online_dossiers / received_dossiers * 100"))
    source_kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices)
    task_group = forms.ChoiceField(label=_("Task group"), required=False,
                                   choices=[("", "–"), *TaskGroup.choices])
    target_unit = forms.CharField(label=_("Target: unit (code)"), max_length=40, required=False)
    target_year = forms.IntegerField(label=_("Target: year"), min_value=2000, max_value=2100,
                                     required=False)
    target_value = forms.CharField(label=_("Target: value"), max_length=30, required=False)

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"])
        if Indicator.objects.filter(code=code).exists():
            raise forms.ValidationError(_("This code is taken."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = [data.get("target_unit"), data.get("target_year"), data.get("target_value")]
        if any(target) and not all(target):
            raise forms.ValidationError(_("A target needs a unit, a year and a value."))
        if data.get("target_unit"):
            unit = unit_by_code(data["target_unit"].strip())
            if unit is None:
                self.add_error("target_unit", _("There is no unit with code '%(code)s'.")
                               % {"code": data["target_unit"]})
            data["target_unit"] = unit
        if data.get("formula"):
            data["aggregation"] = Aggregation.FORMULA
        return data


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    """Indicators as a person reads them: "code — name (measure)"."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {localized(obj)} ({obj.get_measure_display()})"


# A round's reporting units may be named by a level: its key, its word in the page's language,
# or the Vietnamese word (sở, xã) whatever the page's language.
LEVEL_WORDS = {"department": pgettext_lazy("reporting level keyword", "department"),
               "commune": pgettext_lazy("reporting level keyword", "commune")}
VIETNAMESE_LEVEL_WORDS = {"sở": "department", "xã": "commune"}


def level_keyword(token: str) -> str | None:
    """The level a round's keyword names, or None."""
    word = token.lower()
    if word in Level.values:
        return word
    shown = {str(text).lower(): level for level, text in LEVEL_WORDS.items()}
    return VIETNAMESE_LEVEL_WORDS.get(word) or shown.get(word)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("e.g. Half-year report 2026"))
    period = forms.CharField(label=_("Period"), max_length=10,
                             help_text=_("2026, 2026S1, 2026Q2 or 202606"))
    deadline = forms.DateField(label=_("Deadline"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    indicators = IndicatorChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.filter(formula="").order_by("task_group", "display_order",
                                                               "code"),
        widget=forms.CheckboxSelectMultiple)
    units = forms.CharField(
        label=_("Reporting units (codes)"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=format_lazy(_("Codes separated by commas or spaces, or a level: '{department}' "
                                "or '{commune}' for all of them today."),
                              department=LEVEL_WORDS["department"],
                              commune=LEVEL_WORDS["commune"]))

    def __init__(self, *args: Any, owner: Unit, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def indicator_groups(self) -> list[tuple[str, list[Any]]]:
        """The indicators' check boxes by task group (the group's name, its boxes)."""
        names = dict(TaskGroup.choices)
        groups: dict[str, list[Any]] = {}
        for box in self["indicators"]:
            instance = getattr(box.data["value"], "instance", None)
            group = getattr(instance, "task_group", "") or ""
            groups.setdefault(group, []).append(box)
        return [(str(names.get(key, _("Other indicators"))), boxes)
                for key, boxes in groups.items()]

    def clean_units(self) -> list[Unit]:
        raw = self.cleaned_data["units"].replace(",", " ").split()
        units: list[Unit] = []
        missing = []
        for token in raw:
            if level := level_keyword(token):
                units.extend(units_valid_within(self.owner, timezone.localdate())
                             .filter(level=level))
                continue
            unit = unit_by_code(token)
            if unit is None:
                missing.append(token)
            else:
                units.append(unit)
        if missing:
            raise forms.ValidationError(_("Unknown unit codes: %s") % ", ".join(missing))
        if not units:
            raise forms.ValidationError(_("Name at least one unit."))
        return list({u.pk: u for u in units}.values())


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled template (.xlsx) or CSV"))
    submit = forms.BooleanField(label=_("Submit for approval at once"), required=False,
                                initial=True)

    def clean_file(self) -> Any:
        """Refused before it is read: a file that is not .xlsx or .csv, or is too large."""
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("%(name)s: send an Excel workbook (.xlsx) or a CSV "
                                          "file (.csv).") % {"name": name})
        limit = LIMITS.max_bytes
        if upload.size is None or upload.size > limit:
            raise forms.ValidationError(_("%(name)s is larger than %(max)d MB.")
                                        % {"name": name, "max": limit // MB})
        return upload


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file (PDF, image, Word, Excel; at most 10 MB)"))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{localized(obj)} ({obj.code})"


class TargetForm(forms.Form):
    """A target of one indicator: for a unit, by a year, from a baseline, with its source."""

    unit = UnitChoiceField(label=_("Unit"), queryset=all_units().none())  # set per user
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.CharField(label=_("Target"), max_length=30,
                            help_text=_("A decimal comma is fine: 64,06"))
    rank_of = forms.IntegerField(
        label=_("Out of (units ranked)"), min_value=1, max_value=1000, required=False,
        help_text=_("For a rank target: how many units were ranked when it was set."))
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1990,
                                       max_value=2100, required=False)
    baseline_value = forms.CharField(label=_("Baseline"), max_length=30, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=_("The document that sets it, e.g. 16-NQ/TU"))
    kind = forms.ChoiceField(label=_("Kind"), choices=TargetKind.choices,
                             initial=TargetKind.VALUE, required=False)
    value_high = forms.CharField(
        label=_("Up to"), max_length=30, required=False,
        help_text=_("A band's last rank (19 of 17-19); a climb's upper figure (2 of 1-2)."))
    top = forms.IntegerField(
        label=_("Top group"), min_value=1, max_value=1000, required=False,
        help_text=_("A count's rank threshold (the top 10); a band's group (the top 20)."))
    among = forms.IntegerField(label=_("Of main indicators"), min_value=1, max_value=100,
                               required=False,
                               help_text=_("A count's number of main indicators (4 of 8)."))
    scale = forms.IntegerField(label=_("Points in all"), min_value=1, required=False,
                               help_text=_("A score's scale: 1000 for 800/1,000."))
    framework = forms.ChoiceField(
        label=_("Index"), required=False,
        help_text=_("The index whose published results judge a band, a score, a count or a "
                    "climb."))
    quote = forms.CharField(label=_("Quotation"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}), help_text=_("The plan's own words."))

    def __init__(self, *args: Any, units: Any, rank: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(UnitChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ChoiceField, self.fields["framework"]).choices = [
            ("", "–"), *((f.code, f"{f.code} · {localized(f)}") for f in available_frameworks())]
        if not rank:
            del self.fields["rank_of"]
