"""``tinhso programme import|export|template``: the task appendix on the command line, as the
system actor. The import shows a text progress bar on stderr for files of many rows."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import SYSTEM
from tinhso.core.imports import ImportRejected
from tinhso.core.xlsx import Limits
from tinhso.programme.appendix import appendix_template, tasks_export, tasks_import
from tinhso.programme.models import Document, Task


class TextBar:
    """A progress bar redrawn on one line of a stream (at most ten times a second), for the
    stages of an import; silent for files under ``min_rows`` rows."""

    WIDTH = 30

    def __init__(self, stream: Any, min_rows: int = 200):
        self.stream = stream
        self.min_rows = min_rows
        self.stage = ""
        self.drawn = False
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if max(done, total) < self.min_rows:
            return
        now = time.monotonic()
        final = total and done >= total
        if stage == self.stage and not final and now - self.last < 0.1:
            return
        if stage != self.stage:
            self.end()
            self.stage = stage
        self.last = now
        label = {"read": _("reading"), "check": _("checking"), "write": _("writing")}.get(
            stage, stage)
        if total:
            filled = self.WIDTH * min(done, total) // total
            text = (f"\r{label:<9} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                    f"{done}/{total} {100 * done // total:3d}%")
        else:
            text = f"\r{label:<9} {done}"
        self.stream.write(text, ending="")
        self.stream.flush()
        self.drawn = True

    def end(self) -> None:
        if self.drawn:
            self.stream.write("")
            self.drawn = False


def _document(number: str) -> Document:
    number = " ".join(number.split())
    document = Document.objects.select_related("unit").filter(number=number).first()
    if document is None:
        known = ", ".join(Document.objects.order_by("issued_on").values_list("number",
                                                                             flat=True))
        raise CommandError(_("There is no document %(number)s (recorded: %(known)s).")
                           % {"number": number, "known": known or "-"})
    return document


def command_import(cmd: BaseCommand, path: Path, document_number: str,
                   progress: bool | None) -> None:
    document = _document(document_number)
    if not path.is_file():
        raise CommandError(_("%(file)s: no such file") % {"file": path})
    if path.stat().st_size > Limits().max_bytes:
        raise CommandError(_("%(file)s: the file is larger than %(max)d MB")
                           % {"file": path, "max": Limits().max_bytes // (1024 * 1024)})
    show = progress if progress is not None else cmd.stderr.isatty()
    bar = TextBar(cmd.stderr) if show else None
    try:
        result = tasks_import(actor=SYSTEM, document=document, name=path.name,
                              content=path.read_bytes(), progress_callback=bar)
    except ImportRejected as exc:
        if bar is not None:
            bar.end()
        for line in exc.lines():  # at most 50 problems, then how many more
            cmd.stderr.write(line)
        raise CommandError(_("%(file)s: %(n)d problem(s); nothing was imported.")
                           % {"file": path.name, "n": len(exc.errors)}) from exc
    if bar is not None:
        bar.end()
    cmd.stdout.write(f"{document.number}: {result}")


def command_export(cmd: BaseCommand, path: Path, document_number: str) -> None:
    document = _document(document_number)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise CommandError(_("Write to a .xlsx or .csv file."))
    path.write_bytes(tasks_export(document, fmt))
    count = Task.objects.filter(group__document=document).count()
    cmd.stdout.write(_("%(n)d tasks of %(number)s written to %(file)s")
                     % {"n": count, "number": document.number, "file": path})


def command_template(cmd: BaseCommand, path: Path) -> None:
    if path.suffix.lower() != ".xlsx":
        raise CommandError(_("The template is an Excel workbook: write to a .xlsx file."))
    path.write_bytes(appendix_template())
    cmd.stdout.write(_("The appendix template was written to %(file)s") % {"file": path})
