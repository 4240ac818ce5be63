"""The form that asks for a report. Its choices are what the user may ask (the types, the
registered formats, the units of their scope); the request is checked again by
``validation`` whatever is posted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.permissions import may
from tinhso.reports.kinds import KINDS
from tinhso.reports.output import FORMATS
from tinhso.reports.permissions import MAKE_REPORTS
from tinhso.units.selectors import unit_by_code, unit_children

FORMAT_LABELS = {"docx": _("Word (.docx)"), "xlsx": _("Excel (.xlsx)"), "pdf": _("PDF (.pdf)")}
LAYOUTS = (("state", _("State administration (Decree 30/2020)")),
           ("party", _("Party (programme report only)")))


def units_for(user: Any) -> list[tuple[str, str]]:
    """The province and the units directly below it that ``user`` may make reports for."""
    home = unit_by_code(settings.TINHSO_HOME_UNIT)
    if home is None:
        return []
    units = [home, *unit_children(home, timezone.localdate())]
    return [(u.code, f"{u.name} ({u.code})") for u in units if may(user, MAKE_REPORTS, u)]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report type"),
                             choices=[(k.code, k.label) for k in KINDS.values()])
    period = forms.CharField(label=_("Period"), max_length=10,
                             help_text=_("A year (2026), a quarter (2026-Q4), a half-year "
                                         "(2026-S1) or a month (2026-11)."))
    unit = forms.CharField(label=_("Unit"), max_length=20, widget=forms.Select)
    fmt = forms.CharField(label=_("Format"), max_length=10, widget=forms.Select)
    layout = forms.ChoiceField(label=_("Layout"), choices=LAYOUTS, initial="state")
    number = forms.CharField(label=_("Number (leave empty for a draft)"), max_length=6,
                             required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = str(timezone.localdate().year)
        self.fields["unit"].widget.choices = units_for(user)
        codes = sorted(FORMATS) or list(FORMAT_LABELS)
        self.fields["fmt"].widget.choices = [(c, FORMAT_LABELS.get(c, c)) for c in codes]
