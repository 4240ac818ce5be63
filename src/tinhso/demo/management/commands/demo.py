from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tinhso.accounts.permissions import SYSTEM
from tinhso.demo.loader import demo_accounts, demo_load


class Command(BaseCommand):
    help = ("Load the demonstration data: units, Khánh Hòa's programme and published figures, "
            "illustrative accounts. Safe to run again: a second run changes nothing.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-accounts", action="store_true",
                            help="do not print the demo accounts")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = demo_load(actor=SYSTEM)
        self.stdout.write(
            f"Demo data: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['same']} unchanged."
        )
        if not options["quiet_accounts"]:
            self.stdout.write("Demo accounts (illustrative; do not use in production):")
            for account in demo_accounts():
                self.stdout.write(f"  {account['username']:<18} {account['password']}  "
                                  f"{account['what']}")
