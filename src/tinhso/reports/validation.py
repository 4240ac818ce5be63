"""What makes a report request valid, in one place (the page, the background job and
``tinhso reports make`` all ask it): a known type and format, a layout the type takes, a
period written right and already begun, a unit that exists and is within the user's scope
(``reports.make``), and figures for that period and unit. Each refusal names what and where;
nothing is written before it passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.core.periods import Period
from tinhso.reports.kinds import KINDS, Kind
from tinhso.reports.kinds.common import Asked, NoData, period_of
from tinhso.reports.output import FORMATS, Format, FormatUnknown, format_of
from tinhso.reports.permissions import MAKE_REPORTS
from tinhso.units.selectors import unit_by_code


class ReportInvalid(ValueError):
    """A request that cannot be made: ``field`` names the parameter (kind, fmt, layout,
    period, unit, number), the message says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Valid:
    kind: Kind
    fmt: Format
    asked: Asked

    @property
    def parameters(self) -> dict[str, str]:
        a = self.asked
        return {"kind": self.kind.code, "period": a.period.code, "unit": a.unit.code,
                "format": self.fmt.code, "layout": a.layout,
                "number": "" if a.number is None else str(a.number)}


def _kind(code: str) -> Kind:
    kind = KINDS.get((code or "").strip())
    if kind is None:
        raise ReportInvalid("kind", _("Unknown report type “%(code)s”: use one of %(known)s.")
                            % {"code": code, "known": ", ".join(KINDS)})
    return kind


def _format(code: str) -> Format:
    try:
        return format_of((code or "").strip().lower())
    except FormatUnknown as exc:
        raise ReportInvalid("fmt", str(exc)) from None


def _period(raw: str, today: date) -> Period:
    try:
        period = period_of(raw)
    except ValueError as exc:
        raise ReportInvalid("period", str(exc)) from None
    if period.start > today:
        raise ReportInvalid("period", _("%(period)s has not begun: there are no figures for it "
                                        "yet.") % {"period": period.label("vi")})
    return period


def _unit(code: str) -> Any:
    code = (code or "").strip() or settings.TINHSO_HOME_UNIT
    unit = unit_by_code(code)
    if unit is None:
        raise ReportInvalid("unit", _("There is no unit with code “%(code)s”.") % {"code": code})
    return unit


def validate(*, actor: Any, kind: str, period: str, unit: str = "", fmt: str,
             layout: str = "state", number: int | str | None = None,
             today: date | None = None, check_data: bool = True) -> Valid:
    """The request checked (ReportInvalid, or PermissionDenied for a unit outside the actor's
    scope); with ``check_data`` also that the period and unit have the report's figures."""
    today = today or timezone.localdate()
    found_kind, found_format = _kind(kind), _format(fmt)
    if layout not in found_kind.layouts:
        raise ReportInvalid("layout", _("The layout “%(layout)s” is not available for this "
                                        "report: use %(known)s.")
                            % {"layout": layout, "known": ", ".join(found_kind.layouts)})
    found_number = _number(number)
    found_period = _period(period, today)
    found_unit = _unit(unit)
    require(actor, MAKE_REPORTS, found_unit)
    asked = Asked(found_kind.code, found_period, found_unit, layout,  # type: ignore[arg-type]
                  found_number, today)
    if check_data:
        try:
            found_kind.check(asked)
        except NoData as exc:
            raise ReportInvalid("period", str(exc)) from None
    return Valid(found_kind, found_format, asked)


def _number(number: int | str | None) -> int | None:
    if number in (None, ""):
        return None
    try:
        value = int(str(number).strip())
    except ValueError:
        value = 0
    if value < 1:
        raise ReportInvalid("number", _("The document's number must be a whole number from 1, "
                                        "not “%(number)s”.") % {"number": number})
    return value


def known_formats() -> list[str]:
    return sorted(FORMATS)
