from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.selectors import user_by_username
from tinhso.core.imports import ImportRejected
from tinhso.procedures.services.catalogue import Decision, catalogue_refresh
from tinhso.procedures.services.catalogue_import import ImportReport, catalogue_import


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"'{text}' is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = ("Keep the procedure catalogue: import the national procedure database's export, "
            "or bring the catalogue to the versions in force today.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-catalogue", help="import or update procedures from the national database's "
                                     "export (.xlsx or .csv; docs/operations/catalogue-import.md)"
                                     ": all rows or none")
        imp.add_argument("file")
        imp.add_argument("--effective", required=True, metavar="YYYY-MM-DD",
                         help="the day the changes take effect (their versions' date)")
        imp.add_argument("--decision", required=True,
                         help='the announcing decision, e.g. "1234/QĐ-UBND"')
        imp.add_argument("--decision-date", metavar="YYYY-MM-DD",
                         help="the day the decision was signed (for the 766 counts)")
        imp.add_argument("--legal-effective", metavar="YYYY-MM-DD",
                         help="the day the legal text behind the changes takes effect")
        imp.add_argument("--dry-run", action="store_true",
                         help="check and report what would change; write nothing")
        imp.add_argument("--as-user", metavar="USERNAME",
                         help="import as this user, who needs the right to keep the catalogue "
                              "(default: system)")
        sub.add_parser("refresh", help="bring each procedure to its version in force today "
                                       "(run daily: versions announced earlier take effect)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "refresh":
            changed = catalogue_refresh()
            self.stdout.write(f"{changed:,} procedures brought to the version in force today.")
            return
        self._import(options)

    def _actor(self, username: str | None) -> Any:
        if not username:
            return SYSTEM
        actor = user_by_username(username)
        if actor is None:
            raise CommandError(f"There is no user '{username}'.")
        return actor

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        decision = Decision(
            number=options["decision"], effective_from=_day(options["effective"]),
            decision_date=_day(options["decision_date"]) if options["decision_date"] else None,
            legal_effective_date=(_day(options["legal_effective"])
                                  if options["legal_effective"] else None))
        show = self.stderr.isatty()

        def progress(phase: str, done: int, total: int) -> None:
            if show:
                sys.stderr.write(f"\r{phase}: {done:,} of {total:,} rows")

        try:
            report = catalogue_import(path.name, path.read_bytes(),
                                      actor=self._actor(options["as_user"]), decision=decision,
                                      progress=progress, dry_run=options["dry_run"])
        except PermissionDenied as exc:
            raise CommandError(f"{path.name}: refused, nothing was imported: {exc}") from exc
        except ImportRejected as exc:
            for line in exc.lines():
                self.stderr.write(f"{path.name}: {line}")
            raise CommandError(f"{path.name}: rejected, {len(exc.errors)} problem(s); nothing "
                               "was imported. Correct the file and import it again.") from exc
        if show:
            sys.stderr.write("\n")
        self._report(path.name, report, options["dry_run"])

    def _report(self, name: str, report: ImportReport, dry_run: bool) -> None:
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{name}: {report.rows:,} procedures read: {len(report.created):,} new, "
            f"{len(report.changed):,} changed, {report.unchanged:,} unchanged "
            f"(the changes {verb} written).")
        for code in report.created:
            self.stdout.write(f"  new      {code}")
        for code, fields in report.changed.items():
            self.stdout.write(f"  changed  {code}: {', '.join(fields)}")
