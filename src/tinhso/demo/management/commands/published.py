from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tinhso.accounts.permissions import SYSTEM
from tinhso.demo.loader import published_load


class Command(BaseCommand):
    help = ("Load the published data a production installation starts from: administrative "
            "units, Khánh Hòa's programme documents and goals, published figures. No accounts. "
            "Safe to run again.")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = published_load(actor=SYSTEM)
        self.stdout.write(f"Published data: {counts['created']} created, {counts['updated']} "
                          f"updated, {counts['same']} unchanged.")
