"""The check of one row: what it names (the code, the procedure, the agency, the channel, the
applicant, the status), its times (``times``), its flags and its rating; a good row becomes the
values of a new dossier. The catalogue and the agencies are read once per file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.imports import RowError
from tinhso.core.workdays import WorkCalendar
from tinhso.procedures import catalogue, formschema, rules
from tinhso.procedures import codes as dossier_codes
from tinhso.procedures.importing.columns import CHANNELS, Row, parse_flag
from tinhso.procedures.importing.times import (
    STATUSES,
    DaySpans,
    Times,
    check_times,
    clock_stopped,
    on_time,
)
from tinhso.procedures.models import DossierStatus, Procedure, Rating, fold
from tinhso.procedures.services import calendar_for
from tinhso.units.selectors import units_below

# The dossier fields a row gives, in the order of Checked.values.
FIELDS = ("code", "procedure_id", "unit_id", "channel", "status", "applicant_name",
          "applicant_phone", "received_at", "due_at", "finished_at", "returned_at",
          "withdrawn_at", "paused_at", "remaining_seconds", "supplement_count", "on_time",
          "fee_payable", "paid_online", "digitised", "electronic_result")
LEVELS = frozenset(Rating.Level.values)
FLAGS = ("fee_payable", "paid_online", "digitised")
CACHED = 100_000  # distinct texts remembered per column (phone numbers, channels)


@dataclass
class Checked:
    line: int
    record: list[str]
    code: str
    errors: list[RowError]
    values: tuple[Any, ...] | None = None  # FIELDS, when the row is good
    rating: tuple[int, datetime] | None = None


@dataclass
class Named:
    """What a row names, None where it names nothing known."""

    code: str
    procedure: Procedure | None
    unit_id: int | None
    channel: str | None
    name: str
    phone: str
    status: str


class RowChecker:
    """Checks rows against the catalogue and the agencies (loaded once per file)."""

    def __init__(self, header: Sequence[str], now: datetime):
        self.header = list(header)
        self.width = len(header)
        self.now = now.astimezone(timezone.get_default_timezone())
        procedures = list(Procedure.objects.only("id", "code", "national_code", "fee_payable"))
        # By national code, and by code (which wins when the two meet).
        self.procedures = {p.national_code: p for p in procedures if p.national_code}
        self.procedures.update({p.code: p for p in procedures})
        # Every unit of the province at any date: a file may hold dossiers of years past.
        agencies = units_below(catalogue.home_unit()).only("id", "code", "attributes")
        self.units: dict[str, int] = {}
        self.agency_codes: set[str] = set()
        for unit in agencies:
            self.units[unit.code] = unit.pk
            national = dossier_codes.agency_code(unit)
            self.units.setdefault(national, unit.pk)
            self.agency_codes.add(national)
        self.calendars: dict[int, WorkCalendar] = {}
        # Per distinct text: the phone number normalised (None: not one), the channel.
        self.phones: dict[str, str | None] = {}
        self.channels: dict[str, str | None] = {}

    def calendar(self, moment: datetime) -> WorkCalendar:
        if moment.year not in self.calendars:
            self.calendars[moment.year] = DaySpans.of(calendar_for(moment))
        return self.calendars[moment.year]

    def check(self, line: int, record: list[str]) -> Checked:
        """The row's problems, each on its line and column; its values when it has none."""
        row = Row(line, self.header, record)
        code = row["code"]
        out = Checked(line, record, code, row.errors)
        if len(record) != self.width:
            row.error(_("fields"), _("%(found)d fields where the header has %(expected)d")
                      % {"found": len(record), "expected": self.width})
            return out
        named = self._named(row, code)
        times = check_times(row, named.status, self.now)
        flags = _flags(row, named.procedure)
        rating = _rating(row, named.status, times)
        if row.errors or named.procedure is None or named.unit_id is None \
                or named.channel is None or times.received is None or times.due is None:
            return out
        paused_at, remaining = clock_stopped(named.status, times, self.calendar)
        out.values = (code, named.procedure.pk, named.unit_id, named.channel, named.status,
                      named.name, named.phone, times.received, times.due, times.finished,
                      times.returned, times.withdrawn, paused_at, remaining, len(times.periods),
                      on_time(named.status, times), flags["fee_payable"],
                      flags["paid_online"], flags["digitised"], bool(row["result_file"]))
        out.rating = rating
        return out

    def _named(self, row: Row, code: str) -> Named:
        """The code, and what the row names: each checked against the catalogue, the
        agencies of the province, the channels and the statuses."""
        if not code:
            row.error("code", _("the dossier code is missing"))
        elif len(code) > 60:
            row.error("code", _("longer than 60 characters"))
        procedure = self.procedures.get(row["procedure"])
        if procedure is None:
            row.error("procedure", _("'%s' is not a procedure code or national code of the "
                                     "catalogue") % row["procedure"])
        unit_id = self.units.get(row["agency"])
        if unit_id is None:
            row.error("agency", _("'%s' is not the code of an agency of the province")
                      % row["agency"])
        channel = self._channel(row)
        name = row["applicant_name"]
        if not name:
            row.error("applicant_name", _("the applicant's name is missing"))
        elif len(name) > 200:
            row.error("applicant_name", _("longer than 200 characters"))
        phone = self._phone(row)
        status = row["status"].lower()
        if status not in STATUSES:
            row.error("status", _("'%s' is not a status (%s)")
                      % (row["status"], ", ".join(DossierStatus.values)))
        return Named(code, procedure, unit_id, channel, name, phone, status)


    def _channel(self, row: Row) -> str | None:
        text = row["channel"]
        if text in self.channels:
            channel = self.channels[text]
        else:
            channel = CHANNELS.get(text.lower()) or CHANNELS.get(fold(text).replace(" ", "_"))
            _remember(self.channels, text, channel)
        if channel is None:
            row.error("channel", _("'%s' is not a channel (in_person, online, postal)") % text)
        return channel

    def _phone(self, row: Row) -> str:
        text = row["applicant_phone"]
        if text in self.phones:
            phone = self.phones[text]
        else:
            phone = formschema.normalise_phone(text)
            phone = phone if formschema.is_phone(phone) else None
            _remember(self.phones, text, phone)
        if phone is None:
            row.error("applicant_phone", _("'%s' is not a Vietnamese phone number") % text)
            return formschema.normalise_phone(text)
        return phone


def _remember(cache: dict[str, str | None], text: str, value: str | None) -> None:
    """Kept per distinct text, the cache emptied when it grows large (memory stays bounded
    whatever the file's length)."""
    if len(cache) >= CACHED:
        cache.clear()
    cache[text] = value


def _flags(row: Row, procedure: Procedure | None) -> dict[str, bool]:
    """The yes/no columns; an empty fee_payable is the catalogue's."""
    flags: dict[str, bool] = {}
    for column in FLAGS:
        try:
            flags[column] = parse_flag(row[column])
        except ValueError:
            row.error(column, _("'%s' is not 0/1 or true/false") % row[column])
    if not row["fee_payable"] and procedure is not None:
        flags["fee_payable"] = procedure.fee_payable
    if flags.get("paid_online") and not flags.get("fee_payable", True):
        row.error("paid_online", _("paid online, but no fee is payable"))
    return flags


def _rating(row: Row, status: str, times: Times) -> tuple[int, datetime] | None:
    """(level, time rated) of a resolved dossier's rating: at the time given, or else at its
    result."""
    text = row["rating"]
    if not text:
        if times.rated is not None:
            row.error("rated", _("a time rated without a rating"))
        return None
    level = int(text) if text.isdigit() else 0
    rated_at = times.rated or times.result_at
    if level not in LEVELS:
        row.error("rating", _("'%s' is not a level from 1 to 5") % text)
    elif not rules.is_finished(status):
        row.error("rating", _("only a resolved dossier is rated"))
    elif rated_at is not None:
        return level, rated_at
    return None
