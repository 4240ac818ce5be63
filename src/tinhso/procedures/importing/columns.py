"""The import file's layout: its columns (required, optional), the check of its header, the
reading of its records, and the parsers of its values (times, supplement periods, flags)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.imports import RowError
from tinhso.procedures.models import Channel

REQUIRED = ("code", "procedure", "agency", "channel", "applicant_name", "applicant_phone",
            "received", "due", "status")
OPTIONAL = ("finished", "returned", "supplement_periods", "fee_payable", "paid_online",
            "digitised", "result_file", "rating", "withdrawn", "rated")
COLUMNS = REQUIRED + OPTIONAL
ANNOTATIONS = ("line", "errors")  # the columns a rejects file adds; ignored on import
SOURCE_PREFIX = "import:"

CHANNELS = {
    "in_person": Channel.IN_PERSON, "online": Channel.ONLINE, "postal": Channel.POSTAL,
    "truc_tiep": Channel.IN_PERSON, "truc_tuyen": Channel.ONLINE, "buu_chinh": Channel.POSTAL,
}
TRUE = frozenset({"1", "true", "yes", "y", "x", "co", "có"})
FALSE = frozenset({"", "0", "false", "no", "n", "khong", "không"})

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_ISO_MINUTES = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}\Z")  # 2026-03-02T09:00
_DMY_MINUTES = re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}[ T][0-9]{2}:[0-9]{2}\Z")  # 02/03/2026 09:00


def source_for(path: Path) -> str:
    return SOURCE_PREFIX + path.name


# --- values -----------------------------------------------------------------------------------


def parse_moment(text: str) -> datetime:
    """ISO 8601 (``2026-03-02T09:00``, with or without seconds and offset) or
    ``DD/MM/YYYY HH:MM[:SS]``; without an offset the time is the installation's (Django's
    default time zone: Vietnam's). ValueError otherwise."""
    text = text.strip()
    # All in the one zone (Vietnam has kept UTC+7 since 1975): comparing datetimes with the
    # same tzinfo is the quick comparison of their fields.
    local = timezone.get_default_timezone()
    if len(text) == 16:  # the common cases, read without a regular expression's groups
        # (checked by the pattern, read by fromisoformat: several times quicker than int()s)
        if _ISO_MINUTES.match(text):
            read = datetime.fromisoformat(text)
        elif _DMY_MINUTES.match(text):
            read = datetime.fromisoformat(f"{text[6:10]}-{text[3:5]}-{text[:2]}T{text[11:]}")
        else:
            read = None
        if read is not None:
            return datetime(read.year, read.month, read.day, read.hour, read.minute, 0, 0, local)
    if match := _DMY.match(text):
        day, month, year, hour, minute, second = match.groups()
        return datetime(int(year), int(month), int(day), int(hour), int(minute),
                        int(second or 0), tzinfo=local)
    if not _ISO.match(text):
        raise ValueError(text)
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=local) if value.tzinfo is None else value.astimezone(local)


def parse_periods(text: str) -> list[tuple[datetime, datetime | None]]:
    """``start/end;start/end;...`` (the end empty while the supplement is awaited)."""
    periods: list[tuple[datetime, datetime | None]] = []
    if not text:
        return periods
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        # The separator is a slash, and DD/MM/YYYY has slashes too: take the split whose two
        # halves are both times (or the right half empty), trying the slashes from the left.
        position = part.find("/")
        while position >= 0:
            left, right = part[:position].strip(), part[position + 1:].strip()
            try:
                start = parse_moment(left)
                end = parse_moment(right) if right else None
            except ValueError:
                position = part.find("/", position + 1)
                continue
            periods.append((start, end))
            break
        else:
            raise ValueError(part)
    return periods


def parse_flag(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError(text)


# --- the file ---------------------------------------------------------------------------------


def read_records(text: io.TextIOWrapper) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (lowercased) and the (line, fields) of each non-empty record after it."""
    first = text.readline()
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    header = [h.strip().lower() for h in next(csv.reader([first], dialect), [])]
    reader = csv.reader(text, dialect)

    def records() -> Iterator[tuple[int, list[str]]]:
        last = 1  # the header's line
        for record in reader:
            line, last = last + 1, reader.line_num + 1
            if record and "".join(record).strip():  # a field not blank
                yield line, record

    return header, records()


def header_problems(header: list[str]) -> list[RowError]:
    """Missing, unknown and repeated columns, on line 1."""
    problems = [RowError(1, c, _("this column is missing")) for c in REQUIRED
                if c not in header]
    problems += [RowError(1, c or "?", _("unknown column (the columns are: %s)")
                          % ", ".join(COLUMNS))
                 for c in header if c not in COLUMNS and c not in ANNOTATIONS]
    seen: set[str] = set()
    for c in header:
        if c in seen:
            problems.append(RowError(1, c, _("this column appears twice")))
        seen.add(c)
    return problems


class Row(dict[str, str]):
    """One record's cells by column, stripped once, and its problems as the checks find them.
    A dictionary: ``row[column]`` is its own quick look-up, "" for a column the file or the
    record lacks (``__missing__``)."""

    __slots__ = ("errors", "line")

    def __init__(self, line: int, header: list[str], record: list[str]):
        super().__init__(zip(header, [cell.strip() for cell in record], strict=False))
        self.line = line
        self.errors: list[RowError] = []

    def __missing__(self, column: str) -> str:
        return ""

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def has_error(self, column: str) -> bool:
        return any(e.column == column for e in self.errors)
