from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.selectors import user_by_username
from tinhso.core.imports import Progress
from tinhso.procedures import aggregate
from tinhso.procedures.importing import BATCH_SIZE, MAX_ERRORS, DossiersRejected, dossiers_import
from tinhso.procedures.models import DossierStat, Notification
from tinhso.procedures.notifications import deliver
from tinhso.procedures.publication import publish_all


class Command(BaseCommand):
    # Django's system checks (about 1.5 s of loading views and URLs) say nothing about data
    # to import or statistics to rebuild: `tinhso check` and the server run them.
    requires_system_checks: list[str] = []
    help = ("Import dossiers from another one-stop system (CSV of the national synchronisation "
            "fields), rebuild the dossier statistics, or publish them again.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="import a CSV of dossiers: all rows or none, unless --skip-bad "
                           "(docs/operations/dossier-import.md)")
        imp.add_argument("file")
        imp.add_argument("--skip-bad", action="store_true",
                         help="import the good rows; write the bad ones, with their line "
                              "numbers and problems, to FILE.rejects.csv")
        imp.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                         help=f"rows checked and written at a time (default {BATCH_SIZE})")
        imp.add_argument("--progress", action="store_true", default=None,
                         help="show the progress line on stderr (default: when stderr is a "
                              "terminal)")
        imp.add_argument("--no-progress", action="store_false", dest="progress")
        imp.add_argument("--as-user", metavar="USERNAME",
                         help="import as this user, who needs the right to import dossiers at "
                              "the province (default: system)")
        sub.add_parser("stats-rebuild",
                       help="recompute the statistics aggregate from every dossier and "
                            "publish the count indicators")
        pub = sub.add_parser(
            "publish", help="publish the count indicators again, by default for the current "
                            "year: run it daily, as dossiers still open turn late with no "
                            "action to record it")
        pub.add_argument("--year", type=int, action="append",
                         help="a year to publish (repeat for several; default: this year)")
        sub.add_parser("notify",
                       help="send the applicants' notifications still waiting (the task "
                            "worker sends them after each action; this is for after an outage)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        elif options["action"] == "notify":
            self._notify()
        elif options["action"] == "publish":
            self._publish(options["year"] or [timezone.localdate().year])
        else:
            self._rebuild()

    def _notify(self) -> None:
        sent = deliver()
        waiting = Notification.objects.filter(sent_at__isnull=True)
        given_up = waiting.filter(attempts__gte=Notification.MAX_ATTEMPTS).count()
        failing = waiting.count() - given_up
        self.stdout.write(f"{sent:,} notifications sent; {failing:,} failed and will be tried "
                          f"again, {given_up:,} given up after {Notification.MAX_ATTEMPTS} "
                          "attempts.")

    def _publish(self, years: list[int]) -> None:
        written = publish_all(years)
        shown = ", ".join(str(y) for y in sorted(years))
        self.stdout.write(f"{written:,} indicator values written for {shown}.")

    def _write_err(self, text: str) -> None:
        self.stderr.write(text, ending="")
        self.stderr.flush()

    def _actor(self, username: str | None) -> Any:
        if not username:
            return SYSTEM
        actor = user_by_username(username)
        if actor is None:
            raise CommandError(f"There is no user '{username}'.")
        return actor

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        show = options["progress"]
        if show is None:
            show = self.stderr.isatty()
        actor = self._actor(options["as_user"])
        progress = Progress(self._write_err, path.stat().st_size) if show else None
        try:
            result = dossiers_import(path, actor=actor, skip_bad=options["skip_bad"],
                                     batch_size=options["batch_size"], progress=progress)
        except PermissionDenied as exc:
            raise CommandError(f"{path.name}: refused, nothing was imported: {exc}") from exc
        except DossiersRejected as exc:
            if progress is not None and progress.shown:
                self._write_err("\n")
            for error in exc.errors:
                self.stderr.write(f"{path.name}: {error}")
            more = (f" (the first {MAX_ERRORS} shown; reading stopped there)"
                    if exc.truncated else "")
            raise CommandError(f"{path.name}: rejected, {len(exc.errors)} problem(s){more}; "
                               "nothing was imported. Correct the file, or import the good "
                               "rows with --skip-bad.") from exc
        for error in result.errors:
            self.stderr.write(f"{path.name}: {error}")
        rejected = ""
        if result.rejects_path is not None:
            rejected = (f", {result.rejected:,} rejected (in {result.rejects_path})"
                        if result.rejected else ", none rejected")
        self.stdout.write(
            f"{path.name}: {result.imported:,} dossiers imported ({result.ratings:,} with a "
            f"rating) from {result.rows:,} rows{rejected} in {result.seconds:.1f} s; source "
            f"'{result.source}'; statistics of the {result.agencies} agencies touched updated "
            f"({result.aggregate_rows:,} aggregate rows), {result.indicator_values:,} indicator "
            "values published.")

    def _rebuild(self) -> None:
        rows = aggregate.rebuild()
        totals = aggregate.totals(DossierStat.objects.all())
        published = publish_all()
        self.stdout.write(f"Rebuilt the dossier statistics: {rows:,} aggregate rows "
                          f"(agency x procedure x month x channel), {published:,} indicator "
                          "values published.")
        self.stdout.write("  " + ", ".join(f"{k} {v:,}" for k, v in totals.items()))
