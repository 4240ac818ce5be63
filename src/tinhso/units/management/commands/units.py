from __future__ import annotations

import csv
from typing import Any

from django.core.exceptions import BadRequest, ValidationError
from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.permissions import SYSTEM
from tinhso.units.loaders import units_load_reference
from tinhso.units.models import Level
from tinhso.units.selectors import unit_list
from tinhso.units.views import parse_on


class Command(BaseCommand):
    help = "Load the reference units, or list units valid on a date."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load the shipped reference units (idempotent)")
        lst = sub.add_parser("list", help="list units as CSV")
        lst.add_argument("--level", choices=Level.values)
        lst.add_argument("--on", help="date, YYYY-MM-DD or DD/MM/YYYY (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            try:
                counts = units_load_reference(actor=SYSTEM)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(f"Units: {counts['created']} created, {counts['updated']} "
                              f"updated, {counts['same']} unchanged.")
            return
        try:
            on = parse_on(options["on"])
        except BadRequest as exc:
            raise CommandError(str(exc)) from exc
        writer = csv.writer(self.stdout)
        writer.writerow(["code", "name", "level", "parent", "valid_from", "valid_to",
                         "successor"])
        for unit in unit_list(level=options["level"], on=on):
            writer.writerow([unit.code, unit.name_on(on), unit.level,
                             unit.parent.code if unit.parent else "",
                             unit.valid_from or "", unit.valid_to or "",
                             unit.successor.code if unit.successor else ""])
