"""The checks of a value as entered (by a form, the API or a file): its indicator is entered,
not computed, by this unit's level, for a period of its kind, and the number fits its measure.
Shared by the services of values and targets, the file imports and the self-assessment."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhso.core.periods import parse_period
from tinhso.indicators.models import Indicator, PeriodType

if TYPE_CHECKING:
    from tinhso.units.models import Unit

PERIOD_TYPES = {"year": PeriodType.YEAR, "half_year": PeriodType.HALF_YEAR,
                "quarter": PeriodType.QUARTER, "month": PeriodType.MONTH}


def _check_period(indicator: Indicator, period: str) -> None:
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if PERIOD_TYPES[parsed.type] != indicator.period_type:
        raise ValidationError({"period": _(
            "%(indicator)s is reported by %(expected)s; '%(period)s' is a %(given)s."
        ) % {"indicator": indicator.code, "expected": indicator.get_period_type_display(),
             "period": period, "given": PeriodType(PERIOD_TYPES[parsed.type]).label}})


def to_decimal(raw: Any, field: str = "value") -> Decimal:
    """A number from a form, a file or the API; '64,06' (Vietnamese comma) is accepted."""
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if "," in text and "." in text:  # 1.234,5 (vi) or 1,234.5 (en)
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") \
            else text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError({field: _("'%(raw)s' is not a number.") % {"raw": raw}}) from exc
    if not value.is_finite():
        raise ValidationError({field: _("'%(raw)s' is not a number.") % {"raw": raw}})
    return value


def _check_value(indicator: Indicator, value: Decimal) -> None:
    if indicator.measure == "percent" and not (0 <= value <= 100):
        raise ValidationError({"value": _("A percentage is between 0 and 100; got %(v)s.")
                               % {"v": value}})
    if indicator.measure in ("count", "money", "rank") and value < 0:
        raise ValidationError({"value": _("This value cannot be negative; got %(v)s.")
                               % {"v": value}})
    if indicator.measure == "count" and value != value.to_integral_value():
        raise ValidationError({"value": _("A count is a whole number; got %(v)s.")
                               % {"v": value}})


def value_check(*, indicator: Indicator, unit: Unit, period: str, value: Any) -> Decimal:
    """Validate one value as entered (shared by the form, the API and file imports)."""
    if indicator.formula:
        raise ValidationError({"indicator": _(
            "%(code)s is computed from a formula; it is not entered."
        ) % {"code": indicator.code}})
    if indicator.reporting_levels and unit.level not in indicator.reporting_levels:
        raise ValidationError({"unit": _(
            "%(unit)s (%(level)s) does not report %(code)s."
        ) % {"unit": unit.name, "level": unit.get_level_display(), "code": indicator.code}})
    _check_period(indicator, period)
    number = to_decimal(value)
    _check_value(indicator, number)
    return number
