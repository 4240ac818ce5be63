"""``tinhso reports``: make a report from the live data into a file (``make``); write the default
Word templates again from ``reports/word_templates.py`` (``build-templates``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.selectors import user_by_username
from tinhso.reports.kinds import KINDS
from tinhso.reports.kinds.common import NoData
from tinhso.reports.making import make
from tinhso.reports.validation import ReportInvalid, validate
from tinhso.reports.word_templates import TEMPLATES_DIR, write_templates

BAD_INPUT = 2  # the exit code of a request that cannot be made (nothing written)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder renamed over
    it: the file is whole or absent, never half-written."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".part")
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(temporary, 0o666 & ~mask)  # as an ordinary new file (mkstemp makes it 0600)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "Official reports from the live data: make one into a file; build the Word templates."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        make_parser = sub.add_parser(
            "make", help="make a report into a .docx, .xlsx or .pdf file (types: "
                         + ", ".join(KINDS) + ")")
        make_parser.add_argument("kind", metavar="TYPE", help="the report type: "
                                 + ", ".join(KINDS))
        make_parser.add_argument("--period", required=True,
                                 help="2026 (year), 2026-Q4 (quarter), 2026-S1 (half-year), "
                                      "2026-11 (month)")
        make_parser.add_argument("--unit", default="",
                                 help="the unit's code (default: the province, "
                                      "TINHSO_HOME_UNIT)")
        make_parser.add_argument("--format", dest="fmt", required=True,
                                 help="docx, xlsx or pdf (those registered)")
        make_parser.add_argument("--layout", default="state",
                                 help="state (default) or party (the programme report)")
        make_parser.add_argument("--number", default=None,
                                 help="the document's number (default: unnumbered, a draft)")
        make_parser.add_argument("--out", required=True, help="the file to write")
        make_parser.add_argument("--user", default="",
                                 help="act as this user, within their scope (default: the "
                                      "system, which may make any report)")
        build = sub.add_parser("build-templates",
                               help="write the default Word templates (state.docx, party.docx)")
        build.add_argument("--out", default=str(TEMPLATES_DIR),
                           help="the directory to write them to (default: the package's)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "make":
            self._make(options)
        elif options["action"] == "build-templates":
            self._build_templates(Path(options["out"]))

    def _make(self, options: dict[str, Any]) -> None:
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist. Nothing "
                               "was written.", returncode=BAD_INPUT)
        actor: Any = SYSTEM
        if options["user"]:
            actor = user_by_username(options["user"])
            if actor is None:
                raise CommandError(f"--user: there is no user '{options['user']}'. Nothing was "
                                   "written.", returncode=BAD_INPUT)
        try:
            valid = validate(actor=actor, kind=options["kind"], period=options["period"],
                             unit=options["unit"], fmt=options["fmt"], layout=options["layout"],
                             number=options["number"])
            made = make(valid)
        except ReportInvalid as exc:
            raise CommandError(f"{_option(exc.field)}: {exc.message} Nothing was written.",
                               returncode=BAD_INPUT) from None
        except (NoData, PermissionDenied) as exc:
            raise CommandError(f"{exc} Nothing was written.", returncode=BAD_INPUT) from None
        write_atomically(out, made.content)
        self.stdout.write(f"{out}: {len(made.content):,} bytes ({made.file_name}; data version "
                          f"{made.data_version}).")

    def _build_templates(self, directory: Path) -> None:
        for path in write_templates(directory):
            self.stdout.write(f"{path}")


def _option(field: str) -> str:
    return {"kind": "TYPE", "fmt": "--format"}.get(field, f"--{field}")
