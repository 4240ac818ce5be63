"""``tinhso programme``: import and export a plan's task appendix, and the daily reminders."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.permissions import SYSTEM
from tinhso.core.dates import parse_date
from tinhso.programme.appendix_cli import command_export, command_import, command_template
from tinhso.programme.reminders import programme_remind, remind_programme
from tinhso.programme.schedule import period_to_report, report_due
from tinhso.programme.selectors import clock, reporting_schedule
from tinhso.programme.services import reporting_schedule_set


class Command(BaseCommand):
    help = ("The programme's task appendix (import, export, template) and the daily reminders "
            "(remind: run it daily from cron, beside the task worker's own daily run).")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import tasks (or progress) from an .xlsx or .csv "
                                            "appendix: all rows or none")
        imp.add_argument("file")
        imp.add_argument("--document", required=True,
                         help="the plan's number and symbol, e.g. 10633/KH-UBND")
        imp.add_argument("--progress", action="store_true", default=None,
                         help="show a progress bar on stderr (default: when it is a terminal)")
        imp.add_argument("--no-progress", action="store_false", dest="progress")
        exp = sub.add_parser("export", help="write a plan's tasks as an appendix (.xlsx or .csv)")
        exp.add_argument("file")
        exp.add_argument("--document", required=True)
        tpl = sub.add_parser("template", help="write the empty appendix template (.xlsx)")
        tpl.add_argument("file")
        rem = sub.add_parser("remind", help="mark the tasks that turned overdue and remind lead "
                                            "units of tasks due soon and reports not yet sent "
                                            "(once each)")
        rem.add_argument("--today", help="count as if today were this date (dd/mm/yyyy)")
        sch = sub.add_parser("schedule", help="show the reporting schedule, or set it with the "
                                              "options (the installation's periods of report)")
        sch.add_argument("--period", choices=["month", "quarter", "half_year", "year"])
        sch.add_argument("--close-day", type=int,
                         help="0: periods close at the end of their last month; 1-28: on that "
                              "day of it (Decree 09/2019: 14)")
        sch.add_argument("--due-days", type=int,
                         help="working days after the close that a report is due")
        sch.add_argument("--due-soon-days", type=int,
                         help="working days before its due date that a task is 'due soon'")
        rem.add_argument("--enqueue", action="store_true",
                         help="queue the run for the task worker instead of running it here")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "remind":
            self._remind(options.get("today"), options.get("enqueue", False))
        elif action == "schedule":
            self._schedule(options)
        elif action == "import":
            self._import(options)
        elif action == "export":
            self._export(options)
        else:
            self._template(options)

    def _remind(self, raw: str | None, enqueue: bool) -> None:
        try:
            today: date | None = parse_date(raw) if raw else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if enqueue:
            queued = remind_programme.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"Reminders queued for the task worker (task {queued.id}).")
            return
        result = programme_remind(actor=SYSTEM, today=today)
        self.stdout.write(str(result))

    def _schedule(self, options: dict[str, Any]) -> None:
        row = reporting_schedule()
        wanted = {"period_type": options["period"], "close_day": options["close_day"],
                  "due_working_days": options["due_days"],
                  "due_soon_working_days": options["due_soon_days"]}
        if any(v is not None for v in wanted.values()):
            values = {k: getattr(row, k) if v is None else v for k, v in wanted.items()}
            try:
                row = reporting_schedule_set(actor=SYSTEM, **values)
            except ValidationError as exc:
                raise CommandError("; ".join(f"{k}: {' '.join(v)}"
                                             for k, v in exc.message_dict.items())) from exc
        clk = clock()
        period = period_to_report(clk.today, clk.rule)
        self.stdout.write(
            f"periods: {row.period_type}, closing "
            f"{'at the end of the last month' if not row.close_day else f'on day {row.close_day}'}"
            f"; report due {row.due_working_days} working days after; 'due soon' within "
            f"{row.due_soon_working_days} working days.\n"
            f"to report now: {period.code} ({period.start:%d/%m/%Y}-{period.end:%d/%m/%Y}), "
            f"due {report_due(period, clk.rule, clk.cal):%d/%m/%Y}")

    def _import(self, options: dict[str, Any]) -> None:
        command_import(self, Path(options["file"]), options["document"], options["progress"])

    def _export(self, options: dict[str, Any]) -> None:
        command_export(self, Path(options["file"]), options["document"])

    def _template(self, options: dict[str, Any]) -> None:
        command_template(self, Path(options["file"]))
