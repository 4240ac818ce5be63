"""``tinhso payments reconcile [--date YYYY-MM-DD] [--report-only]``: compare a day's
transactions at the payment gateway with the records (``payments.reconcile``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tinhso.payments import gateways
from tinhso.payments.reconcile import reconcile


class Command(BaseCommand):
    help = "Online payments: reconcile a day's transactions with the payment gateway's list."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser(
            "reconcile", help="record the payments the gateway's callbacks missed and report "
                              "every difference (exit status 1 when there is one)")
        rec.add_argument("--date", type=date.fromisoformat,
                         help="the day (YYYY-MM-DD) of the transactions; default: today")
        rec.add_argument("--report-only", action="store_true",
                         help="change nothing: only report what would be recorded")

    def handle(self, *args: Any, **options: Any) -> None:
        gateway = gateways.active()
        if gateway is None:
            raise CommandError("no payment gateway is configured (TINHSO_PAYMENT_URL and "
                               "TINHSO_PAYMENT_SECRET, or TINHSO_PAYMENT_FAKE_GATEWAY)")
        day = options["date"] or timezone.localdate()
        try:
            report = reconcile(gateway, day, fix=not options["report_only"])
        except gateways.GatewayError as exc:
            raise CommandError(f"the gateway's list could not be read: {exc}") from exc
        verb = "to record" if options["report_only"] else "recorded"
        self.stdout.write(
            f"{day.isoformat()} at {gateway.name}: {report.checked} transaction(s) listed, "
            f"{report.agreed} agree, {len(report.recorded)} paid {verb}, "
            f"{len(report.closed)} cancelled or failed {verb}, {len(report.waiting)} waiting, "
            f"{len(report.mismatches)} mismatch(es)")
        for reference in report.recorded:
            self.stdout.write(f"  paid, missed by the callback: {reference}")
        for reference in report.closed:
            self.stdout.write(f"  closed, missed by the callback: {reference}")
        for reference, problem in report.mismatches:
            self.stdout.write(f"  MISMATCH {reference}: {problem}")
        if report.mismatches:
            raise SystemExit(1)
