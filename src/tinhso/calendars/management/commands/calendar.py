from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.permissions import SYSTEM
from tinhso.calendars.selectors import calendar_year
from tinhso.calendars.services import announcements_load, calendar_day_set
from tinhso.core.dates import parse_date
from tinhso.core.models import DayKind


class Command(BaseCommand):
    help = "The official working-day calendar: show a year, set a day, load announcements."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="print a year's days off and extra working days")
        show.add_argument("year", type=int)
        day = sub.add_parser("set", help="set a day off or a compensating working day")
        day.add_argument("day", help="dd/mm/yyyy or YYYY-MM-DD")
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
                day = parse_date(options["day"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            calendar_day_set(actor=SYSTEM, day=day, kind=options["kind"], name=options["name"],
                             source=options["source"])
            self.stdout.write("Saved.")
            return
        self._show(options["year"])

    def _show(self, year: int) -> None:
        """The year in both languages (Vietnamese / English), dates dd/mm/yyyy."""
        shown = calendar_year(year)
        spans = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in shown.hours)
        note = "" if shown.hours_confirmed else (
            " (giả định: chưa được quản trị viên xác nhận / assumption: not yet confirmed by "
            "an administrator)")
        self.stdout.write(f"Giờ làm việc / Working hours: Thứ Hai-Thứ Sáu / Monday-Friday "
                          f"{spans}{note}")
        for entry in shown.entries:
            kind = "làm việc / working" if entry.working else "nghỉ / day off"
            english = f" / {entry.name_en}" if entry.name_en else ""
            self.stdout.write(f"{entry.day:%d/%m/%Y} {entry.weekday_vi:<8} {kind:<18} "
                              f"{entry.name}{english}")
        self.stdout.write(f"{shown.working_days} ngày làm việc trong năm {year} / "
                          f"{shown.working_days} working days in {year}.")
