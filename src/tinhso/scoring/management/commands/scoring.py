from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.permissions import SYSTEM
from tinhso.core.imports import ImportRejected
from tinhso.scoring.engine import FrameworkError, available_frameworks, load_framework
from tinhso.scoring.selectors import ranking
from tinhso.scoring.services import published_results_import


class Command(BaseCommand):
    help = "Index frameworks: import published results, print rankings, list frameworks."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-results", help="import a published ranking (CSV)")
        imp.add_argument("file")
        imp.add_argument("--framework", required=True)
        imp.add_argument("--year", type=int, required=True)
        imp.add_argument("--source", default="", help="who published it (default: the file)")
        rank = sub.add_parser("rank", help="print a ranking")
        rank.add_argument("--framework", required=True)
        rank.add_argument("--year", type=int, required=True)
        rank.add_argument("--format", choices=["csv", "json"], default="csv")
        sub.add_parser("frameworks", help="list the frameworks")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except FrameworkError as exc:
            raise CommandError(str(exc)) from exc

    def _frameworks(self, options: dict[str, Any]) -> None:
        for framework in available_frameworks():
            full = "" if framework.published_in_full else "  (not published in full)"
            self.stdout.write(f"{framework.code:<28} {framework.name}{full}")

    def _import_results(self, options: dict[str, Any]) -> None:
        framework = load_framework(options["framework"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = published_results_import(
                actor=SYSTEM, framework=framework, year=options["year"], name=path.name,
                content=path.read_bytes(), source=options["source"] or path.name)
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{path.name}: rejected, {len(exc.errors)} problem(s); nothing "
                               "was imported.") from exc
        self.stdout.write(f"{path.name}: {result.rows} results, {result.with_values} with "
                          "every main indicator's value.")
        for unit, published, again in result.checked:
            self.stdout.write(f"  {unit}: published {published}, recomputed {again:.4f}: "
                              "agrees within rounding")
        for difference in result.differences:
            self.stdout.write(f"  {difference.unit}: published {difference.published}, "
                              f"recomputed {difference.recomputed:.4f}: DIFFERS by "
                              f"{difference.gap:.4f}")

    def _rank(self, options: dict[str, Any]) -> None:
        load_framework(options["framework"])
        rows = ranking(options["framework"], options["year"])
        if not rows:
            raise CommandError(f"no results for {options['framework']} {options['year']}: "
                               "import them with `tinhso scoring import-results`")
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
