"""The checks of a row's times: received, due, resolved, returned, withdrawn and rated, their
order and what the status asks of them, the supplement periods; then what the rules derive
from them (``procedures.rules``): the clock stopped for a supplement with its signed remaining
working time, and whether a resolved dossier was on time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.workdays import WorkCalendar
from tinhso.procedures import rules
from tinhso.procedures.importing.columns import REQUIRED, Row, parse_moment, parse_periods
from tinhso.procedures.models import DossierStatus
from tinhso.procedures.workflow import REFUSED, RETURNED, SUPPLEMENT, WITHDRAWN

TIME_COLUMNS = ("received", "due", "finished", "returned", "withdrawn", "rated")
STATUSES = frozenset(DossierStatus.values)
# An unanswered supplement request may end the story: waiting, refused or withdrawn.
MAY_END_WAITING = (SUPPLEMENT, REFUSED, WITHDRAWN)

Period = tuple[datetime, datetime | None]
CalendarFor = Callable[[datetime], WorkCalendar]  # the official calendar of a moment's year


@dataclass(frozen=True)
class DaySpans(WorkCalendar):
    """A year's official calendar that counts the working time of the whole days between two
    moments once per pair of days (a file has many dossiers paused and due on the same days):
    the same answers as :meth:`WorkCalendar.working_time_between`, cut at the midnights after
    the start's day and before the end's."""

    spans: dict[tuple[date, date], timedelta] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, calendar: WorkCalendar) -> DaySpans:
        return cls(**{f.name: getattr(calendar, f.name) for f in fields(WorkCalendar)})

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        whole = super().working_time_between
        if end <= start:
            return timedelta()
        start, end = self.local(start), self.local(end)
        if start.tzinfo is not None and end.tzinfo is not None:
            end = end.astimezone(start.tzinfo)
        first, last = start.date(), end.date()
        if (last - first).days < 2:
            return whole(start, end)
        after_first = datetime.combine(first + timedelta(days=1), time(), start.tzinfo)
        before_last = datetime.combine(last, time(), start.tzinfo)
        middle = self.spans.get((first, last))
        if middle is None:
            if len(self.spans) >= 100_000:  # bounded memory
                self.spans.clear()
            middle = self.spans[first, last] = whole(after_first, before_last)
        return whole(start, after_first) + middle + whole(before_last, end)


@dataclass
class Times:
    """A row's times (None: empty or unreadable) and its supplement periods."""

    received: datetime | None = None
    due: datetime | None = None
    finished: datetime | None = None
    returned: datetime | None = None
    withdrawn: datetime | None = None
    rated: datetime | None = None
    periods: list[Period] = field(default_factory=list)

    @property
    def result_at(self) -> datetime | None:
        return self.returned or self.finished


def check_times(row: Row, status: str, now: datetime) -> Times:
    """The row's times, each problem noted on its column."""
    times = _read(row, now)
    _check_order(row, times)
    if status in STATUSES:
        _check_status(row, status, times)
    times.periods = _check_periods(row, status, times, now)
    return times


def _read(row: Row, now: datetime) -> Times:
    times = Times()
    for column in TIME_COLUMNS:
        text = row[column]
        if not text:
            if column in REQUIRED:
                row.error(column, _("this time is missing"))
            continue
        try:
            setattr(times, column, parse_moment(text))
        except ValueError:
            row.error(column, _("'%s' is not a date and time (2026-03-02T09:00 or "
                                "02/03/2026 09:00)") % text)
    for column in TIME_COLUMNS:
        moment = getattr(times, column)
        if moment is not None and column != "due" and moment > now:
            row.error(column, _("in the future"))
    return times


def _check_order(row: Row, t: Times) -> None:
    if t.received is not None:
        if t.due is not None and t.due < t.received:
            row.error("due", _("before the time received"))
        if t.finished is not None and t.finished < t.received:
            row.error("finished", _("before the time received"))
        if t.withdrawn is not None and t.withdrawn < t.received:
            row.error("withdrawn", _("before the time received"))
    if t.finished is not None and t.returned is not None and t.returned < t.finished:
        row.error("returned", _("before the time resolved"))
    if t.rated is not None and t.result_at is not None and t.rated < t.result_at:
        row.error("rated", _("before the result"))


def _check_status(row: Row, status: str, t: Times) -> None:
    """The times a status needs, and those it cannot have."""
    finished = rules.is_finished(status)
    if finished and t.finished is None and not row.has_error("finished"):
        row.error("finished", _("a %s dossier needs the time it was resolved") % status)
    if not finished and t.finished is not None:
        row.error("finished", _("a %s dossier has no time resolved") % status)
    if status == RETURNED and t.returned is None and not row.has_error("returned"):
        row.error("returned", _("a returned dossier needs the time of the return"))
    if status != RETURNED and t.returned is not None:
        row.error("returned", _("only a returned dossier has a time of return"))
    if status == WITHDRAWN and t.withdrawn is None and not row.has_error("withdrawn"):
        row.error("withdrawn", _("a withdrawn dossier needs the time it was withdrawn"))
    if status != WITHDRAWN and t.withdrawn is not None:
        row.error("withdrawn", _("only a withdrawn dossier has a time withdrawn"))


def _check_periods(row: Row, status: str, t: Times, now: datetime) -> list[Period]:
    """The supplement periods: in order, within the dossier's life, only the last one open
    (and only when the dossier ended or waits while it was open)."""
    column = "supplement_periods"
    periods: list[Period] = []
    try:
        periods = parse_periods(row[column])
    except ValueError as exc:
        row.error(column, _("'%s' is not a period start/end") % exc)
    previous_end = t.received
    ended = t.finished or t.withdrawn
    for position, (start, end) in enumerate(periods, start=1):
        if previous_end is not None and start < previous_end:
            row.error(column, _("period %d starts before the time received or the previous "
                                "period's end") % position)
        if end is not None and end < start:
            row.error(column, _("period %d ends before it starts") % position)
        if ended is not None and (end or start) > ended:
            row.error(column, _("period %d goes past the dossier's end") % position)
        if (end or start) > now:
            row.error(column, _("period %d is in the future") % position)
        if end is None and (position != len(periods) or status not in MAY_END_WAITING):
            row.error(column, _("period %d has no end: only the last period of a dossier "
                                "waiting for a supplement (or refused or withdrawn while "
                                "waiting) may be open") % position)
        previous_end = end or start
    waiting = bool(periods) and periods[-1][1] is None
    if status == SUPPLEMENT and not waiting:
        row.error(column, _("a dossier waiting for a supplement needs an open last period "
                            "(start/)"))
    return periods


def clock_stopped(status: str, t: Times, calendar_for: CalendarFor
                  ) -> tuple[datetime | None, int | None]:
    """(paused at, remaining seconds) of a dossier waiting for a supplement: the clock stopped
    at the last period's start, with the working time left to its due time then (negative
    when already past it, :func:`rules.remaining_working_time`); (None, None) otherwise."""
    if status != SUPPLEMENT or t.due is None:
        return None, None
    paused_at = timezone.localtime(t.periods[-1][0], timezone.get_default_timezone())
    due = timezone.localtime(t.due, timezone.get_default_timezone())
    left = rules.remaining_working_time(calendar_for(paused_at), paused_at, due)
    return paused_at, int(left.total_seconds())


def on_time(status: str, t: Times) -> bool | None:
    """As for the platform's own dossiers (:func:`rules.on_time`); None while unresolved."""
    if not rules.is_finished(status) or t.finished is None or t.due is None:
        return None
    return rules.on_time(t.finished, t.due, len(t.periods))
