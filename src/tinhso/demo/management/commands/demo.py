from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.selectors import user_by_username
from tinhso.accounts.two_factor import has_second_factor
from tinhso.demo.loader import demo_accounts, demo_load, demo_totp_secret


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
            second = False
            for account in demo_accounts():
                user = user_by_username(account["username"])
                mark = " [2FA]" if user is not None and has_second_factor(user) else ""
                second = second or bool(mark)
                self.stdout.write(f"  {account['username']:<18} {account['password']}  "
                                  f"{account['what']}{mark}")
            if second:
                self.stdout.write(f"[2FA]: after the password, a code from an authenticator "
                                  f"with the illustrative secret {demo_totp_secret()} (the second "
                                  f"step shows its code too); TINHSO_REQUIRE_2FA=false loads none.")
