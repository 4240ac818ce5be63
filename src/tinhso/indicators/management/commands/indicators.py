from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.selectors import user_by_username
from tinhso.core.imports import ImportRejected
from tinhso.core.xlsx import MB
from tinhso.indicators.blocks import rebuild, values_changed
from tinhso.indicators.files import LIMITS, values_csv, values_import, values_xlsx
from tinhso.indicators.models import Indicator, IndicatorValue


class Command(BaseCommand):
    help = "Import indicator values from .xlsx/.csv (all rows or none), or export them."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a filled template or a CSV")
        imp.add_argument("file")
        imp.add_argument("--as-user", help="act as this user (default: system)")
        imp.add_argument("--submit", action="store_true", help="submit the values at once")
        imp.add_argument("--source", default="", help="where the figures come from")
        exp = sub.add_parser("export", help="export values as CSV (stdout) or .xlsx (--output)")
        exp.add_argument("--indicator", action="append", default=[])
        exp.add_argument("--unit", action="append", default=[])
        exp.add_argument("--period", action="append", default=[])
        exp.add_argument("--status", action="append", default=[])
        exp.add_argument("--output", help="a .xlsx or .csv file (default: CSV on stdout)")
        sub.add_parser("rebuild-blocks",
                       help="rebuild the read projection of approved values (after loading "
                            "values with SQL, bypassing the platform)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        elif options["action"] == "rebuild-blocks":
            ids = list(Indicator.objects.values_list("pk", flat=True))
            values_changed(ids)
            rebuild(ids)
            self.stdout.write(f"Rebuilt the value blocks of {len(ids)} indicators.")
        else:
            self._export(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor: Any = SYSTEM
        if options["as_user"]:
            actor = user_by_username(options["as_user"])
            if actor is None:
                raise CommandError(f"There is no user '{options['as_user']}'.")
        if path.stat().st_size > LIMITS.max_bytes:  # refused before it is read
            raise CommandError(_("%(file)s: the file is larger than %(max)d MB; nothing was "
                                 "imported.") % {"file": path.name, "max": LIMITS.max_bytes // MB})
        try:
            result = values_import(actor=actor, name=path.name, content=path.read_bytes(),
                                   submit=options["submit"], source=options["source"])
        except ImportRejected as exc:
            for line in exc.lines():
                self.stderr.write(f"{path.name}: {line}")
            raise CommandError(_("%(file)s: rejected, %(n)s problem(s); nothing was imported.")
                               % {"file": path.name, "n": f"{len(exc.errors)}+" if exc.stopped
                                  else len(exc.errors)}) from exc
        self.stdout.write(f"{path.name}: {result.created} created, {result.updated} updated, "
                          f"{result.unchanged} unchanged, {result.skipped_blank} left blank.")

    def _export(self, options: dict[str, Any]) -> None:
        values = IndicatorValue.objects.select_related("indicator", "unit").order_by(
            "indicator__code", "unit__path", "period_start")
        for option, field in (("indicator", "indicator__code__in"), ("unit", "unit__code__in"),
                              ("period", "period__in"), ("status", "status__in")):
            if options[option]:
                values = values.filter(**{field: options[option]})
        output = options["output"]
        if output and output.lower().endswith(".xlsx"):
            Path(output).write_bytes(values_xlsx(values))
        elif output:
            Path(output).write_text(values_csv(values), encoding="utf-8")
        else:
            sys.stdout.write(values_csv(values))
