from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from tinhso.portalsync import counts, outbox, sending
from tinhso.portalsync.connectors import enabled


class Command(BaseCommand):
    help = ("Synchronise dossiers with the National Public Service Portal: send every waiting "
            "update now (failed ones too; cron can run it), or publish the Decision 766 counts.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("send", help="give events written outside the services their update, "
                                    "send every waiting update at once (ignoring back-offs) "
                                    "and publish the counts of this year")
        pub = sub.add_parser("publish", help="publish dossiers_synchronised again, by default "
                                             "for the current year")
        pub.add_argument("--year", type=int, action="append",
                         help="a year to publish (repeat for several; default: this year)")

    def handle(self, *args: Any, **options: Any) -> None:
        if enabled() is None:
            self.stdout.write("Synchronisation is off (TINHSO_PORTAL is empty): nothing sent "
                              "or published.")
            return
        if options["action"] == "send":
            added = outbox.backfill()
            sent = sending.send(force=True)
            left = sending.waiting().count()
            self.stdout.write(f"{added} events given an update; {sent} updates acknowledged "
                              f"by the portal; {left} still waiting.")
            written = counts.publish_all([timezone.localdate().year])
        else:
            written = counts.publish_all(options["year"] or [timezone.localdate().year])
        self.stdout.write(f"{written} values of dossiers_synchronised written.")
