"""``tinhso reports``: make a report from the live data into a file (``make``); write the default
Word templates again from ``reports/word_templates.py`` (``build-templates``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tinhso.reports.word_templates import TEMPLATES_DIR, write_templates


class Command(BaseCommand):
    help = "Official reports from the live data: make one into a file; build the Word templates."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("make", help="make a report (programme, indicators, dti, services) "
                                           "into a .docx, .xlsx or .pdf file")
        make.add_argument("kind", metavar="TYPE", help="the report type")
        make.add_argument("--period", required=True,
                          help="the period: 2026 (year), 2026-Q4 (quarter), 2026-11 (month)")
        make.add_argument("--unit", default="", help="the unit's code (default: the province)")
        make.add_argument("--format", dest="fmt", required=True, help="docx, xlsx or pdf")
        make.add_argument("--layout", default="state", help="state (default) or party")
        make.add_argument("--number", type=int, default=None,
                          help="the document's number (default: unnumbered, a draft)")
        make.add_argument("--out", required=True, help="the file to write")
        make.add_argument("--user", default="",
                          help="act as this user (default: the system, which may do anything)")
        build = sub.add_parser("build-templates",
                               help="write the default Word templates (state.docx, party.docx)")
        build.add_argument("--out", default=str(TEMPLATES_DIR),
                           help="the directory to write them to (default: the package's)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "make":
            self._make(options)
        elif options["action"] == "build-templates":
            self._build_templates(Path(options["out"]))

    def _make(self, options: dict[str, Any]) -> None:
        raise CommandError("reports make: not available yet", returncode=2)

    def _build_templates(self, directory: Path) -> None:
        for path in write_templates(directory):
            self.stdout.write(f"{path}")
