from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.permissions import SYSTEM
from tinhso.calendars.services import announcements_load, calendar_day_set
from tinhso.core.calendar import work_calendar, working_hours
from tinhso.core.models import DayKind


class Command(BaseCommand):
    help = "The official working-day calendar: show a year, set a day, load announcements."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="print a year's days off and extra working days")
        show.add_argument("year", type=int)
        day = sub.add_parser("set", help="set a day off or a compensating working day")
        day.add_argument("day", help="YYYY-MM-DD")
        day.add_argument("kind", choices=DayKind.values)
        day.add_argument("name")
        day.add_argument("--source", default="")
        sub.add_parser("load", help="load the shipped announcements (idempotent)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self.stdout.write(f"{announcements_load(actor=SYSTEM)} day(s) changed.")
            return
        if options["action"] == "set":
            try:
                day = date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError(f"'{options['day']}' is not a date (YYYY-MM-DD)") from exc
            calendar_day_set(actor=SYSTEM, day=day, kind=options["kind"], name=options["name"],
                             source=options["source"])
            self.stdout.write("Saved.")
            return
        year = options["year"]
        calendar = work_calendar(range(year, year + 1))
        hours, confirmed = working_hours()
        spans = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in hours)
        note = "" if confirmed else " (assumption: not yet confirmed by an administrator)"
        self.stdout.write(f"Working hours: Monday-Friday {spans}{note}")
        for day, name in calendar.year(year):
            kind = "làm việc" if calendar.is_working_day(day) else "nghỉ"
            self.stdout.write(f"{day:%d/%m/%Y} {day:%a}  {kind:<9} {name}")
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        working = sum(1 for n in range(first, last + 1)
                      if calendar.is_working_day(date.fromordinal(n)))
        self.stdout.write(f"{working} working days in {year}.")
