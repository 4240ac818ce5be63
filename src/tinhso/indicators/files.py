"""Excel and CSV: the pre-filled template a unit fills in, and its validated import.

An uploaded file is checked row by row before anything is written; any problem rejects the
whole file with every problem listed (row, column, what is wrong), and nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from tinhso.accounts.permissions import may
from tinhso.audit.services import AuditRecord, audit_record, audit_record_many
from tinhso.core.imports import ImportRejected, Problems, RowError
from tinhso.core.periods import parse_period
from tinhso.core.xlsx import Limits, read_table
from tinhso.indicators import audit_events
from tinhso.indicators.blocks import values_changed
from tinhso.indicators.file_columns import COLUMNS, column_key, label
from tinhso.indicators.models import Indicator, IndicatorValue, ValueStatus
from tinhso.indicators.services import value_check
from tinhso.units.selectors import units_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit

REQUIRED = ("indicator", "unit", "period", "value")
LIMITS = Limits(max_rows=50_000)  # a round's template for every commune is some thousands


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    skipped_blank: int


KEPT = (*REQUIRED, "comment")  # the columns an import reads; the others are for the person


def _is_header(texts: list[str]) -> bool:
    keys = {column_key(t) for t in texts}
    return all(c in keys for c in REQUIRED)


def read_rows(name: str, content: bytes, limits: Limits | None = None
              ) -> list[tuple[int, dict[str, Any]]]:
    """Rows of an .xlsx or .csv file as (row number, {column: cell}), read through
    ``core.xlsx`` (the workbook checked before it is read, rows streamed under a row cap and a
    time budget); blank rows are left out."""
    limits = limits or LIMITS
    table = read_table(name, content, limits=limits, is_header=_is_header)
    keys = {header: column_key(header) for header in table.headers if header}
    missing = [c for c in REQUIRED if c not in keys.values()]
    if missing:
        table.close()
        raise ImportRejected([RowError(table.header_row, label(c), _("this column is missing"))
                              for c in missing])
    wanted = {header: key for header, key in keys.items() if key in KEPT}
    twice = sorted({key for key in wanted.values() if list(wanted.values()).count(key) > 1})
    if twice:
        table.close()
        raise ImportRejected([RowError(table.header_row, label(c), _("this column appears twice"))
                              for c in twice])
    rows = [(number, {key: cells[header] for header, key in wanted.items()})
            for number, cells in table.rows]
    if not rows:
        raise ImportRejected([RowError(table.header_row + 1, _("file"),
                                       _("the file has no rows"))])
    return rows


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


@dataclass(frozen=True)
class CheckedRow:
    indicator: Indicator
    unit: Unit
    period: str
    value: Decimal
    comment: str


@dataclass(frozen=True)
class _Known:
    """What a file's rows refer to, read once per file: indicators and units by code, and the
    status of the values already there by (indicator id, unit id, period)."""

    indicators: dict[str, Indicator]
    units: dict[str, Unit]
    statuses: dict[tuple[int, int, str], str]


def _known(rows: Sequence[tuple[int, dict[str, Any]]]) -> _Known:
    codes = {_text(r.get("indicator")) for _, r in rows}
    unit_codes = {_text(r.get("unit")) for _, r in rows}
    return _Known(
        indicators=Indicator.objects.in_bulk([c for c in codes if c], field_name="code"),
        units=units_by_code([c for c in unit_codes if c]),
        statuses={
            (v.indicator_id, v.unit_id, v.period): v.status
            for v in IndicatorValue.objects.filter(
                indicator__code__in=codes, unit__code__in=unit_codes).only(
                "indicator_id", "unit_id", "period", "status")
        },
    )


def _check_value(number: int, row: dict[str, Any], indicator: Indicator, unit: Unit,
                 period: str, known: _Known) -> tuple[list[RowError], CheckedRow | None]:
    """A row whose indicator and unit are known and allowed: its value, by the indicator's
    rules, where no value is already submitted or approved."""
    try:
        value = value_check(indicator=indicator, unit=unit, period=period, value=row.get("value"))
    except ValidationError as exc:
        return [RowError(number, label(field if field in COLUMNS else "value"), m)
                for field, messages in exc.message_dict.items() for m in messages], None
    status = known.statuses.get((indicator.pk, unit.pk, period))
    if status in (ValueStatus.SUBMITTED, ValueStatus.APPROVED):
        return [RowError(number, label("value"), _("the value for this period is already %s")
                         % ValueStatus(status).label.lower())], None
    return [], CheckedRow(indicator, unit, period, value, _text(row.get("comment")))


def _check_row(actor: Any, number: int, row: dict[str, Any], known: _Known,
               seen: dict[tuple[str, str, str], int]) -> tuple[list[RowError], CheckedRow | None]:
    """One filled row's problems, or the row checked; ``seen`` keeps the first row of each
    indicator, unit and period."""
    code, unit_code, period = (_text(row.get("indicator")), _text(row.get("unit")),
                               _text(row.get("period")))
    errors: list[RowError] = []
    indicator = known.indicators.get(code)
    unit = known.units.get(unit_code)
    if indicator is None:
        errors.append(RowError(number, label("indicator"),
                               _("'%s' is not an indicator code") % code))
    if unit is None:
        errors.append(RowError(number, label("unit"), _("'%s' is not a unit code") % unit_code))
    elif not may(actor, "indicators.enter", unit):
        errors.append(RowError(number, label("unit"), _(
            "you may not enter values for %(unit)s") % {"unit": unit.name}))
    key = (code, unit_code, period)
    if key in seen:
        errors.append(RowError(number, label("period"), _(
            "the same indicator, unit and period as row %d") % seen[key]))
    seen.setdefault(key, number)
    if indicator is None or unit is None or errors:
        return errors, None
    return _check_value(number, row, indicator, unit, period, known)


def check_rows(actor: Any, rows: Sequence[tuple[int, dict[str, Any]]]
               ) -> tuple[list[CheckedRow], int]:
    """Validate every row (queries are per file, not per row); ImportRejected lists all."""
    known = _known(rows)
    errors = Problems()  # refused at once past MAX_ERRORS problems
    checked: list[CheckedRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    blank = 0
    for number, row in rows:
        if not any(_text(row.get(c)) for c in REQUIRED):
            continue  # an empty line
        raw_value = row.get("value")
        if raw_value is None or _text(raw_value) == "":
            blank += 1  # a template row the unit left empty
            continue
        row_errors, good = _check_row(actor, number, row, known, seen)
        errors.extend(row_errors)
        if good is not None:
            checked.append(good)
    errors.raise_if_any()
    return checked, blank


Key = tuple[int, int, str]  # (indicator id, unit id, period)


def _values_at(keys: Sequence[Key], *, lock: bool = False) -> dict[Key, IndicatorValue]:
    """The values already stored among ``keys`` (a superset: filtered per column), locked for
    the transaction if asked."""
    values = IndicatorValue.objects.select_for_update() if lock else IndicatorValue.objects.all()
    found = values.filter(indicator_id__in={k[0] for k in keys}, unit_id__in={k[1] for k in keys},
                          period__in={k[2] for k in keys})
    if not lock:
        found = found.only("id", "indicator_id", "unit_id", "period")
    return {(v.indicator_id, v.unit_id, v.period): v for v in found}


@dataclass
class _Changes:
    to_create: list[IndicatorValue]
    to_update: list[IndicatorValue]
    events: list[tuple[IndicatorValue, CheckedRow, str | None]]  # (value, row, value before)
    unchanged: int = 0


def _changes(checked: Sequence[CheckedRow], current: dict[Key, IndicatorValue], *,
             status: str, author: Any, source: str) -> _Changes:
    """The values to create and to update (set, not saved yet); a value submitted or approved
    since the rows were checked rejects the file."""
    changes = _Changes([], [], [])
    now = timezone.now()
    for row in checked:
        value = current.get((row.indicator.pk, row.unit.pk, row.period))
        if value is not None and value.status in (ValueStatus.SUBMITTED, ValueStatus.APPROVED):
            raise ImportRejected([RowError(0, label("value"), _("a value changed while importing; "
                                                         "send the file again"))])
        if value is not None and value.value == row.value and value.status == status \
                and value.comment == row.comment:
            changes.unchanged += 1
            continue
        before = str(value.value) if value is not None else None
        if value is None:
            value = IndicatorValue(indicator=row.indicator, unit=row.unit, period=row.period)
            changes.to_create.append(value)
        else:
            changes.to_update.append(value)
        value.value, value.comment, value.status, value.author = (
            row.value, row.comment, status, author)
        value.source = source
        value.updated_at = now
        changes.events.append((value, row, before))
    return changes


def _record_value_events(actor: Any, action: str, changes: _Changes, keys: Sequence[Key],
                         name: str) -> None:
    """One event per value written, naming the file."""
    pks = {key: v.pk for key, v in _values_at(keys).items()}
    audit_record_many(
        AuditRecord(actor=actor, action=action, object_type="indicators.indicatorvalue",
                    object_id=str(pks[(v.indicator_id, v.unit_id, v.period)]),
                    object_repr=f"{row.indicator.code} {row.unit.code} {row.period}",
                    unit=row.unit,
                    details={"indicator": row.indicator.code, "period": row.period,
                             "from": before, "to": str(row.value), "file": name})
        for v, row, before in changes.events)


@transaction.atomic
def values_import(*, actor: Any, name: str, content: bytes, submit: bool = False,
                  source: str = "", limits: Limits | None = None) -> ImportResult:
    """Import values from a filled template or CSV: all rows or none (``limits``: what reading
    the file may cost, ``LIMITS`` unless told)."""
    rows = read_rows(name, content, limits)
    checked, blank = check_rows(actor, rows)
    keys = [(c.indicator.pk, c.unit.pk, c.period) for c in checked]
    changes = _changes(checked, _values_at(keys, lock=True),
                       status=ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT,
                       author=actor if getattr(actor, "pk", None) else None,
                       source=source or _("Imported from %s") % name)
    for value in changes.to_create:  # bulk_create does not call save()
        value.period_start = parse_period(value.period).start
    IndicatorValue.objects.bulk_create(changes.to_create)
    IndicatorValue.objects.bulk_update(
        changes.to_update, ["value", "comment", "status", "author", "source", "updated_at"])
    values_changed({row.indicator.pk for row in checked})
    _record_value_events(actor, audit_events.VALUE_SUBMITTED if submit
                         else audit_events.VALUE_SAVED, changes, keys, name)
    result = ImportResult(len(changes.to_create), len(changes.to_update), changes.unchanged,
                          blank)
    audit_record(actor=actor, action=audit_events.VALUES_IMPORTED,
                 unit=getattr(actor, "unit", None),
                 details={"file": name, "created": result.created, "updated": result.updated,
                          "unchanged": result.unchanged})
    return result


def _last_values(indicators: Sequence[Indicator], units: Sequence[Unit]
                 ) -> dict[tuple[int, int], IndicatorValue]:
    latest: dict[tuple[int, int], IndicatorValue] = {}
    for value in IndicatorValue.objects.filter(indicator__in=indicators, unit__in=units) \
            .order_by("period_start"):
        latest[(value.indicator_id, value.unit_id)] = value
    return latest


def template_workbook(*, indicators: Sequence[Indicator], units: Sequence[Unit], period: str,
                      title: str = "") -> bytes:
    """An .xlsx pre-filled with one row per indicator and unit: codes, names, the period and
    the last value; the unit fills 'value' (and 'comment') and uploads it back."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Values")
    sheet.append([label(key) for key in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    last = _last_values(indicators, units)
    fill = PatternFill("solid", fgColor="FFF3CD")
    for unit in units:
        for indicator in indicators:
            if indicator.formula or (indicator.reporting_levels
                                     and unit.level not in indicator.reporting_levels):
                continue
            previous = last.get((indicator.pk, unit.pk))
            sheet.append([indicator.code, indicator.name, indicator.get_measure_display(),
                          unit.code, unit.name, period, None, None,
                          previous.period if previous else None,
                          float(previous.value) if previous else None])
            sheet.cell(row=sheet.max_row, column=7).fill = fill
    validation = DataValidation(type="decimal", allow_blank=True,
                                error=_("Enter a number"), showErrorMessage=True)
    validation.add(f"G2:G{max(sheet.max_row, 2)}")
    sheet.add_data_validation(validation)
    for column, width in zip("ABCDEFGHIJ", (22, 48, 14, 10, 36, 10, 14, 30, 12, 12),
                             strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "G2"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.protection = Protection(locked=cell.column not in (7, 8))
    info = workbook.create_sheet(_("About this file"))
    info.append([title or _("Indicator values")])
    info.append([_("Fill in the '%(value)s' column (and '%(comment)s' if useful), save, and "
                   "upload this file. Do not change the other columns.")
                 % {"value": label("value"), "comment": label("comment")}])
    info.append([_("Numbers may use a decimal comma: 64,06.")])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def values_csv(values: Iterable[IndicatorValue]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "unit", "unit_name", "period", "value", "status", "source",
                     "illustrative"])
    for v in values:
        writer.writerow([v.indicator.code, v.unit.code, v.unit.name, v.period,
                         format(v.value.normalize(), "f"), v.status, v.source,
                         "yes" if v.is_illustrative else ""])
    return out.getvalue()


def values_xlsx(values: Iterable[IndicatorValue]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Values")
    sheet.append([*(label(k) for k in ("indicator", "indicator_name", "unit", "unit_name",
                                       "period", "value")),
                  _("Status"), _("Source"), _("illustrative")])
    for v in values:
        sheet.append([v.indicator.code, v.indicator.name, v.unit.code, v.unit.name, v.period,
                      float(v.value), v.get_status_display(), v.source,
                      _("yes") if v.is_illustrative else ""])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
