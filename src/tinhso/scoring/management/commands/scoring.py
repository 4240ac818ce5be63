from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.permissions import SYSTEM
from tinhso.core.imports import ImportRejected
from tinhso.core.xlsx import MB
from tinhso.scoring.engine import FrameworkError, available_frameworks, load_framework
from tinhso.scoring.history_services import (
    HistoryImport,
    is_history_file,
    results_history_import,
)
from tinhso.scoring.selectors import imported_years, ranking
from tinhso.scoring.services import RESULTS_LIMITS, published_results_import


def _day(moment: datetime) -> str:
    """A date as people here write it: dd/mm/yyyy (in the installation's time zone)."""
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def _first_line(content: bytes) -> list[str]:
    """The column names of a CSV file's first line (to tell the two formats apart)."""
    line = content[:4096].split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    return [c.strip().strip('"') for c in line.split(",")]


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # translated when --help prints it
        "Index frameworks: import published results, print rankings, list frameworks.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-results", help=_(
            "import a published ranking (a UTF-8 CSV file of at most 5 MB and 20,000 rows); a "
            "file with year and framework columns holds the results of many years"))
        imp.add_argument("file")
        imp.add_argument("--framework", help=_("the framework (unless the file has a column)"))
        imp.add_argument("--year", type=int, help=_("the year (unless the file has a column)"))
        imp.add_argument("--source", default="",
                         help=_("who published it (default: the file)"))
        rank = sub.add_parser("rank", help=_("print a ranking"))
        rank.add_argument("--framework", required=True)
        rank.add_argument("--year", type=int, required=True)
        rank.add_argument("--format", choices=["csv", "json"], default="csv")
        sub.add_parser("frameworks", help=_("list the frameworks"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except FrameworkError as exc:
            raise CommandError(str(exc)) from exc

    def _frameworks(self, options: dict[str, Any]) -> None:
        for framework in available_frameworks():
            full = "" if framework.published_in_full else "  " + _("(not published in full)")
            self.stdout.write(f"{framework.code:<28} {framework.name}{full}")
            for year, rows, imported, size in imported_years(framework.code):
                self.stdout.write("    " + _("%(year)s, field of %(n)s: %(rows)s results, "
                                             "imported %(date)s")
                                  % {"year": year, "n": size, "rows": rows,
                                     "date": _day(imported)})

    def _report_history(self, name: str, result: HistoryImport) -> None:
        self.stdout.write(_("%(file)s: %(rows)s results in %(sets)s result sets; imported "
                            "%(date)s.") % {"file": name, "rows": result.rows,
                                            "sets": len(result.sets), "date": _day(timezone.now())})
        for (framework, year, size), rows in sorted(result.sets.items()):
            self.stdout.write("  " + _("%(framework)s %(year)s, field of %(n)s: %(rows)s "
                                       "results") % {"framework": framework, "year": year,
                                                     "n": size, "rows": rows})
        for number, why in result.not_loaded:
            self.stdout.write("  " + _("row %(row)s: %(why)s") % {"row": number, "why": why})

    def _import_results(self, options: dict[str, Any]) -> None:
        if options["framework"]:
            load_framework(options["framework"])  # an unknown framework: said before reading
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file") % {"path": path})
        if path.stat().st_size > RESULTS_LIMITS.max_bytes:  # refused before it is read
            raise CommandError(_("%(file)s: the file is larger than %(max)d MB; nothing was "
                                 "imported.") % {"file": path.name,
                                                 "max": RESULTS_LIMITS.max_bytes // MB})
        content = path.read_bytes()
        try:
            if is_history_file(_first_line(content)):
                self._report_history(path.name, results_history_import(
                    actor=SYSTEM, name=path.name, content=content))
                return
            if not options["framework"] or options["year"] is None:
                raise CommandError(_("%(file)s has no year and framework columns: give "
                                     "--framework and --year") % {"file": path.name})
            result = published_results_import(
                actor=SYSTEM, framework=load_framework(options["framework"]),
                year=options["year"], name=path.name, content=content,
                source=options["source"] or path.name)
        except ImportRejected as exc:
            for line in exc.lines():
                self.stderr.write(f"{path.name}: {line}")
            raise CommandError(_("%(file)s: rejected, %(n)s problem(s); nothing was imported.")
                               % {"file": path.name, "n": f"{len(exc.errors)}+" if exc.stopped
                                  else len(exc.errors)}) from exc
        self.stdout.write(_("%(file)s: %(rows)s results, %(complete)s with every main "
                            "indicator's value; imported %(date)s.")
                          % {"file": path.name, "rows": result.rows,
                             "complete": result.with_values, "date": _day(timezone.now())})
        for unit, published, again in result.checked:
            self.stdout.write("  " + _("%(unit)s: published %(published)s, recomputed "
                                       "%(again)s: agrees within rounding")
                              % {"unit": unit, "published": published,
                                 "again": f"{again:.4f}"})
        for difference in result.differences:
            self.stdout.write("  " + _("%(unit)s: published %(published)s, recomputed "
                                       "%(again)s: DIFFERS by %(gap)s")
                              % {"unit": difference.unit, "published": difference.published,
                                 "again": f"{difference.recomputed:.4f}",
                                 "gap": f"{difference.gap:.4f}"})

    def _rank(self, options: dict[str, Any]) -> None:
        load_framework(options["framework"])
        rows = ranking(options["framework"], options["year"])
        if not rows:
            raise CommandError(_("no results for %(framework)s %(year)s: import them with "
                                 "`tinhso scoring import-results`")
                               % {"framework": options["framework"], "year": options["year"]})
        if options["format"] == "json":
            self.stdout.write(json.dumps([
                {"rank": r.rank, "unit": r.unit.code, "name": r.name,
                 "total": float(r.total) if r.total is not None else None}
                for r in rows], ensure_ascii=False, indent=2))
            return
        writer = csv.writer(self.stdout)
        writer.writerow(["rank", "unit", "name", "total"])
        for r in rows:
            writer.writerow([r.rank, r.unit.code, r.name, r.total if r.total is not None
                             else ""])
