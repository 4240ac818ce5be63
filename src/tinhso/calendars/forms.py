from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import DayKind


class CalendarDayForm(forms.Form):
    """A day off or a compensating working day, as an administrator sets it."""

    day = forms.DateField(label=_("Day"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("In Vietnamese, as the announcement says it."))
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=_("The announcement that sets it."))
