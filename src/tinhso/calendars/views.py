from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may
from tinhso.calendars.forms import CalendarDayForm
from tinhso.calendars.selectors import calendar_year, may_read_calendar
from tinhso.calendars.services import calendar_day_set
from tinhso.core.forms import add_service_errors

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


@login_required
def year_page(request: HttpRequest) -> HttpResponse:
    """The working-day calendar of a year, for staff; administrators set a day here."""
    user = request.user
    if not may_read_calendar(user):
        raise PermissionDenied(_("The calendar is for staff."))
    manage = may(user, "calendar.manage", None)
    form = CalendarDayForm(request.POST or None) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only administrators change the calendar."))
        if form.is_valid():
            day = form.cleaned_data["day"]
            try:
                calendar_day_set(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(day)s saved.") % {"day": f"{day:%d/%m/%Y}"})
                return redirect(f"{reverse('calendars:year')}?year={day.year}")
    year = _year(request)
    return render(request, "calendars/year.html", {
        "shown": calendar_year(year), "year": year, "form": form,
        "previous": max(year - 1, FIRST_YEAR), "next": min(year + 1, LAST_YEAR),
    })
