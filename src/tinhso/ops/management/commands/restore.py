"""``tinhso restore FILE``: an archive of ``tinhso backup`` back (tinhso.ops.restore)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tinhso.ops.restore import RestoreRefused, restore


class Command(BaseCommand):
    help = ("Restore an archive of 'tinhso backup' into this database (migrated by the same "
            "version, empty unless --force) and MEDIA_ROOT; all or nothing, checked against "
            "its manifest")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the archive written by 'tinhso backup'")
        parser.add_argument("--force", action="store_true",
                            help="replace the rows of a database that is not empty, and the "
                                 "files under MEDIA_ROOT")

    def handle(self, *, file: str, force: bool, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            done = restore(path, force=force)
        except RestoreRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{path}: {done.rows} rows in {done.tables} tables and {done.files} "
                          f"files restored (made on {done.vendor_from}); counts and "
                          "SHA-256 checked")
