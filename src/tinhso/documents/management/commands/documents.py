"""``tinhso documents``: the document office's exchange with other agencies from the command
line (cron runs ``exchange``, and ``publish`` daily; ``export`` and ``import`` carry a package
by hand; ``reach`` checks who may see each document against its records)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tinhso.accounts.permissions import SYSTEM
from tinhso.documents import exchange, publication
from tinhso.documents.models import Document
from tinhso.documents.services.reach import reach_check
from tinhso.units.selectors import unit_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit


def _unit(code: str) -> Unit:
    unit = unit_by_code(code) or exchange.installation_units().get(code)
    if unit is None:
        raise CommandError(f"No unit of this installation with the code or agency code {code!r}.")
    return unit


def _errors(exc: ValidationError) -> str:
    return "; ".join(f"{field}: {' '.join(messages)}"
                     for field, messages in exc.message_dict.items())


class Command(BaseCommand):
    help = ("Exchange documents with other agencies as edXML packages (QCVN 102:2016): send and "
            "receive through the connector TINHSO_DOCUMENT_EXCHANGE (cron), or export and import "
            "one package by hand.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("exchange", help="receive what waits (registering packages, "
                                              "recording statuses), then send what is queued; "
                                              "both unless one is named")
        run.add_argument("--send", action="store_true", help="send queued packages and statuses")
        run.add_argument("--receive", action="store_true", help="receive waiting packages")
        run.add_argument("--unit", help="receive only for this unit (code or agency code)")
        run.add_argument("--retry-now", action="store_true",
                         help="retry failed sends now, without waiting for their back-off")
        out = sub.add_parser("export", help="write an issued outgoing document as a package")
        out.add_argument("pk", type=int, help="the document's id")
        out.add_argument("--out", required=True, help="the file to write (FILE.edxml)")
        imp = sub.add_parser("import", help="register a package file as an incoming document")
        imp.add_argument("file", help="the package (.edxml)")
        imp.add_argument("--unit", required=True, help="the addressed unit (code or agency code)")
        pub = sub.add_parser("publish", help="write the document office's figures of a year as "
                                             "indicator values (daily, from cron: documents "
                                             "turn late with nobody acting on them)")
        pub.add_argument("--year", type=int, action="append",
                         help="the year (repeat for several); default: the current year")
        reach = sub.add_parser("reach", help="check that who may see each document (its "
                                             "stored reach) matches its records: after a "
                                             "restore or a change made in the database by hand")
        reach.add_argument("--fix", action="store_true", help="store the right reach (audited)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _reach(self, options: dict[str, Any]) -> None:
        report = reach_check(actor=SYSTEM, fix=options["fix"])
        if not report.differing:
            self.stdout.write(f"Checked {report.checked} documents: every reach matches.")
            return
        shown = ", ".join(str(pk) for pk in report.examples)
        done = "mended" if report.fixed else "NOT mended (run again with --fix)"
        self.stdout.write(f"Checked {report.checked} documents: {report.differing} differ from "
                          f"their records ({done}); the first: {shown}.")
        if not report.fixed:
            raise CommandError("Some documents' reach differs from their records.")

    def _exchange(self, options: dict[str, Any]) -> None:
        connector = exchange.active_connector()
        if connector is None:
            self.stdout.write("The exchange is off (TINHSO_DOCUMENT_EXCHANGE is empty): nothing "
                              "sent or received.")
            return
        both = not (options["send"] or options["receive"])
        if options["receive"] or both:
            unit = _unit(options["unit"]) if options["unit"] else None
            got = exchange.exchange_receive(actor=SYSTEM, unit=unit, connector=connector)
            self.stdout.write(f"Received: {got.registered} registered, {got.duplicates} already "
                              f"registered, {got.rejected} refused, {got.statuses} statuses, "
                              f"{got.errors} left waiting after an error.")
        if options["send"] or both:
            sent = exchange.exchange_send_pending(connector=connector,
                                                  force=options["retry_now"])
            self.stdout.write(f"Sent: {sent.sent} sent, {sent.failed} failed, {sent.deferred} "
                              "waiting for a retry.")

    def _publish(self, options: dict[str, Any]) -> None:
        years = options["year"] or [timezone.localdate().year]
        written = publication.publish(years)
        self.stdout.write(f"Document figures of {', '.join(map(str, sorted(years)))}: "
                          f"{written} values written.")

    def _export(self, options: dict[str, Any]) -> None:
        document = Document.objects.select_related("unit").filter(pk=options["pk"]).first()
        if document is None:
            raise CommandError(f"No document {options['pk']}.")
        try:
            name, data = exchange.package_export(actor=SYSTEM, document=document)
        except ValidationError as exc:
            raise CommandError(_errors(exc)) from exc
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"Document {document.code} written to {options['out']} "
                          f"({len(data)} bytes; its exchange name is {name}).")

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        unit = _unit(options["unit"])
        try:
            new, document = exchange.package_import(actor=SYSTEM, unit=unit, data=data,
                                                    name=path.name)
        except ValidationError as exc:
            raise CommandError(f"{path} refused: {_errors(exc)}") from exc
        what = "registered" if new else "was already registered"
        self.stdout.write(f"Document {document.code} of {document.issuer_name} {what} at "
                          f"{unit.name} as arrival number {document.arrival_number}/"
                          f"{document.year} (id {document.pk}).")
