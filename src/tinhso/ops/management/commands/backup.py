"""``tinhso backup FILE``: the database and the uploaded files in one archive
(tinhso.ops.backup)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tinhso.ops.backup import backup


class Command(BaseCommand):
    help = ("Write the database (every row but content types, permissions and sessions) and "
            "the files under MEDIA_ROOT to FILE, a .tar.gz with a manifest that "
            "'tinhso restore' checks")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the archive to write, e.g. tinhso-2026-12-02.tar.gz")
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")

    def handle(self, *, file: str, force: bool, **options: Any) -> None:
        destination = Path(file)
        if destination.exists() and not force:
            raise CommandError(f"{destination} exists; --force replaces it")
        if destination.is_dir():
            raise CommandError(f"{destination} is a directory; name a file")
        summary = backup(destination)
        self.stdout.write(f"{destination}: {summary.rows} rows in {summary.tables} tables, "
                          f"{summary.files} files ({summary.file_bytes} bytes); "
                          f"archive {summary.archive_bytes} bytes")
