"""Writes on indicators, values and targets: each checks permission, runs in one transaction
and records its audit event.

A value's life: draft -> submitted -> approved (locked), or submitted -> returned (with a
reason) -> draft again when corrected. Reopening an approved value needs a reason. Four eyes:
whoever entered (last changed) or submitted a value never approves it; they may still return
it, to correct it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.core.db import upsert
from tinhso.core.uploads import UPLOAD_TYPES as EVIDENCE_TYPES
from tinhso.core.uploads import check_upload as check_evidence_file
from tinhso.indicators import audit_events
from tinhso.indicators.blocks import values_changed
from tinhso.indicators.formula import FormulaError, check_catalogue
from tinhso.indicators.models import (
    Evidence,
    Indicator,
    IndicatorValue,
    PeriodType,
    Target,
    TargetKind,
    ValueStatus,
)
from tinhso.indicators.permissions import wrote_value
from tinhso.indicators.value_checks import _check_value, to_decimal, value_check
from tinhso.units.models import Unit

INDICATOR_FIELDS = {
    "name", "name_en", "definition", "legal_basis", "measure", "direction", "period_type",
    "reporting_levels", "aggregation", "weight_indicator", "formula", "source_kind",
    "owner_unit", "task_group", "decimals", "is_headline", "is_illustrative", "display_order",
}


def _check_formulas(indicator: Indicator) -> None:
    """Refuse a formula with a syntax error, an unknown code or a cycle, saying why."""
    formulas = dict(Indicator.objects.exclude(formula="").exclude(pk=indicator.pk)
                    .values_list("code", "formula"))
    if indicator.formula:
        formulas[indicator.code] = indicator.formula
    known = set(Indicator.objects.values_list("code", flat=True)) | {indicator.code}
    try:
        check_catalogue(formulas, known)
    except FormulaError as exc:
        raise ValidationError({"formula": str(exc)}) from exc


def _plain(value: Any) -> Any:
    if hasattr(value, "pk") and hasattr(value, "code"):
        return value.code
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def indicator_create(*, actor: Any, code: str, name: str, measure: str, **fields: Any
                     ) -> Indicator:
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    # The owner is the unit answerable for the indicator: by default the author's own unit.
    fields.setdefault("owner_unit", getattr(actor, "unit", None))
    require(actor, "indicators.define", fields["owner_unit"])
    indicator = Indicator(code=code.strip(), name=name.strip(), measure=measure, **fields)
    indicator.full_clean()
    _check_formulas(indicator)
    indicator.save()
    audit_record(actor=actor, action=audit_events.INDICATOR_CREATED, obj=indicator,
                 unit=indicator.owner_unit,
                 details={"code": indicator.code, "formula": indicator.formula})
    return indicator


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, **changes: Any) -> Indicator:
    unknown = set(changes) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    require(actor, "indicators.define", indicator.owner_unit)
    diff = {}
    for field, value in changes.items():
        if getattr(indicator, field) != value:
            diff[field] = {"from": _plain(getattr(indicator, field)), "to": _plain(value)}
            setattr(indicator, field, value)
    if diff:
        indicator.full_clean()
        _check_formulas(indicator)
        indicator.save()
        audit_record(actor=actor, action=audit_events.INDICATOR_UPDATED, obj=indicator,
                     unit=indicator.owner_unit, details={"changes": diff})
    return indicator


def _locked(actor: Any, indicator: Indicator, unit: Unit, period: str) -> IndicatorValue | None:
    existing = (IndicatorValue.objects.select_for_update()
                .filter(indicator=indicator, unit=unit, period=period).first())
    if existing is not None and existing.status in (ValueStatus.SUBMITTED, ValueStatus.APPROVED):
        raise ValidationError({"value": _(
            "The value of %(code)s for %(unit)s, %(period)s is %(status)s; it cannot be changed."
        ) % {"code": indicator.code, "unit": unit.name, "period": period,
             "status": existing.get_status_display().lower()}})
    return existing


@transaction.atomic
def value_save(*, actor: Any, indicator: Indicator, unit: Unit, period: str, value: Any,
               comment: str = "", source: str = "", submit: bool = False) -> IndicatorValue:
    """Enter (or correct) a unit's value as a draft, or submit it at once."""
    require(actor, "indicators.enter", unit)
    number = value_check(indicator=indicator, unit=unit, period=period, value=value)
    existing = _locked(actor, indicator, unit, period)
    before = str(existing.value) if existing else None
    obj = existing or IndicatorValue(indicator=indicator, unit=unit, period=period)
    obj.value = number
    obj.comment = comment
    obj.source = source or _("Entered by %(unit)s") % {"unit": unit.name}
    obj.author = _person(actor)
    obj.submitted_by = _person(actor) if submit else None
    obj.status = ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT
    obj.save()
    audit_record(actor=actor,
                 action=audit_events.VALUE_SUBMITTED if submit else audit_events.VALUE_SAVED,
                 obj=obj, unit=unit,
                 details={"indicator": indicator.code, "period": period,
                          "from": before, "to": str(number)})
    return obj


def _person(actor: Any) -> Any:
    """The actor as a user to store, or None for the platform and the command line."""
    return actor if getattr(actor, "pk", None) else None


def _name(user: Any) -> str | None:
    return user.username if user is not None else None


def _transition(actor: Any, value: IndicatorValue, action: str, allowed: set[str],
                to: str, event: str, reason: str = "") -> IndicatorValue:
    value = IndicatorValue.objects.select_for_update(of=("self",)).select_related(
        "indicator", "unit", "author", "submitted_by").get(pk=value.pk)
    require(actor, action, value.unit)
    if value.status not in allowed:
        raise ValidationError({"status": _(
            "This value is %(status)s; it cannot be %(action)s."
        ) % {"status": value.get_status_display().lower(), "action": ValueStatus(to).label
             .lower()}})
    details: dict[str, Any] = {"indicator": value.indicator.code, "period": value.period,
                               "from": value.status, "to": to, "reason": reason}
    if to == ValueStatus.APPROVED:
        if wrote_value(actor, value):
            raise PermissionDenied(_("You entered or submitted this value: another person "
                                     "approves it."))
        details.update(entered_by=_name(value.author), submitted_by=_name(value.submitted_by))
    value.status = to
    if to == ValueStatus.RETURNED:
        value.return_reason = reason
    if to == ValueStatus.SUBMITTED:
        value.submitted_by = _person(actor)
    value.save(update_fields=["status", "return_reason", "submitted_by", "updated_at"])
    audit_record(actor=actor, action=event, obj=value, unit=value.unit, details=details)
    return value


@transaction.atomic
def value_submit(*, actor: Any, value: IndicatorValue) -> IndicatorValue:
    return _transition(actor, value, "indicators.enter",
                       {ValueStatus.DRAFT, ValueStatus.RETURNED}, ValueStatus.SUBMITTED,
                       audit_events.VALUE_SUBMITTED)


@transaction.atomic
def value_approve(*, actor: Any, value: IndicatorValue) -> IndicatorValue:
    """Approve a submitted value: never by whoever entered or submitted it (four eyes); the
    event names them too."""
    return _transition(actor, value, "indicators.approve", {ValueStatus.SUBMITTED},
                       ValueStatus.APPROVED, audit_events.VALUE_APPROVED)


def _reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    return reason.strip()


@transaction.atomic
def value_return(*, actor: Any, value: IndicatorValue, reason: str) -> IndicatorValue:
    return _transition(actor, value, "indicators.approve", {ValueStatus.SUBMITTED},
                       ValueStatus.RETURNED, audit_events.VALUE_RETURNED, _reason(reason))


@transaction.atomic
def value_reopen(*, actor: Any, value: IndicatorValue, reason: str) -> IndicatorValue:
    """Unlock an approved value (back to returned, so the unit corrects it); reason required."""
    return _transition(actor, value, "indicators.approve", {ValueStatus.APPROVED},
                       ValueStatus.RETURNED, audit_events.VALUE_REOPENED, _reason(reason))


@transaction.atomic
def evidence_add(*, actor: Any, value: IndicatorValue, upload: UploadedFile) -> Evidence:
    """Attach a file to a value: PDF, image, Word or Excel, at most 10 MB, content checked."""
    require(actor, "indicators.enter", value.unit)
    name, suffix = check_evidence_file(upload)
    evidence = Evidence(value=value, name=name, content_type=EVIDENCE_TYPES[suffix],
                        size=upload.size or 0,
                        uploaded_by=_person(actor))
    evidence.file.save(name, upload, save=False)
    evidence.save()
    audit_record(actor=actor, action=audit_events.EVIDENCE_ADDED, obj=value, unit=value.unit,
                 details={"file": name, "size": upload.size})
    return evidence


@transaction.atomic
def target_set(*, actor: Any, indicator: Indicator, unit: Unit, year: int, value: Any,
               baseline_year: int | None = None, baseline_value: Any = None,
               source: str = "", is_illustrative: bool = False) -> Target:
    require(actor, "indicators.define", unit)
    number = to_decimal(value)
    _check_value(indicator, number)
    baseline = to_decimal(baseline_value, "baseline_value") if baseline_value not in (None, "") \
        else None
    target, _created = Target.objects.update_or_create(
        indicator=indicator, unit=unit, year=year, kind=TargetKind.VALUE,
        defaults={"value": number, "baseline_year": baseline_year, "baseline_value": baseline,
                  "source": source, "is_illustrative": is_illustrative},
    )
    audit_record(actor=actor, action=audit_events.TARGET_SET, obj=target, unit=unit,
                 details={"indicator": indicator.code, "year": year, "value": str(number)})
    return target


# --- the platform's own computations and catalogue files: bulk, one summary event -----------


@transaction.atomic
def indicators_define(rows: Iterable[Mapping[str, Any]], *, actor: Any, source: str
                      ) -> Counter[str]:
    """Create or update indicator definitions from a file (``source`` names it): each row a
    ``code`` and the fields of :func:`indicator_create`, checked as it checks them (fields
    known, the row valid, every formula over known codes without a cycle, the rows' own codes
    included). All or nothing; one summary event when something changed. Returns counts of
    created/updated/same."""
    require(actor, "indicators.define", None)
    rows = [dict(row) for row in rows]
    for row in rows:
        unknown = set(row) - INDICATOR_FIELDS - {"code", "name", "measure"}
        if unknown:
            raise ValidationError(_("%(code)s: unknown fields: %(fields)s") % {
                "code": row.get("code", "?"), "fields": ", ".join(sorted(unknown))})
    formulas = dict(Indicator.objects.exclude(formula="").values_list("code", "formula"))
    formulas.update({r["code"]: r.get("formula", "") for r in rows})
    known = set(Indicator.objects.values_list("code", flat=True)) | {r["code"] for r in rows}
    try:
        check_catalogue({c: f for c, f in formulas.items() if f}, known)
    except FormulaError as exc:
        raise ValidationError({"formula": str(exc)}) from exc
    counts: Counter[str] = Counter()
    changed = []
    for row in rows:
        values = {k: v for k, v in row.items() if k != "code"}
        outcome = upsert(Indicator, {"code": row["code"]}, values)[1]
        counts[outcome] += 1
        if outcome != "same":
            changed.append(row["code"])
    if changed:
        audit_record(actor=actor, action=audit_events.INDICATORS_DEFINED,
                     details={"source": source, "created": counts["created"],
                              "updated": counts["updated"], "codes": changed})
    return counts


def _computable(indicators: Iterable[Indicator], figures: Iterable[Mapping[str, Any]]
                ) -> None:
    """A computed figure is a yearly, entered (not formula) indicator's valid value."""
    by_code = {i.code: i for i in indicators}
    for indicator in by_code.values():
        if indicator.formula or indicator.period_type != PeriodType.YEAR:
            raise ValidationError({"indicator": _(
                "%(code)s is not a yearly indicator without a formula; it cannot be published "
                "from a computation.") % {"code": indicator.code}})
    for row in figures:
        for code, value in row.items():
            if code in by_code:
                _check_value(by_code[code], Decimal(value))


@transaction.atomic
def values_publish_computed(*, source: str, year: int,
                            values: Mapping[int, Mapping[str, int | Decimal]],
                            illustrative: bool = False, actor: Any = None) -> int:
    """Store figures the platform computed (unit id -> indicator code -> figure; codes not in
    the catalogue are skipped) as ``year``'s approved values with ``source``, in bulk. No
    permission check: the figures come from the platform's records (the dossiers), whoever
    caused the change; ``actor`` (None: the system) is recorded. Values already as given are
    not rewritten; the value blocks of what changed are invalidated and one summary event is
    recorded. Returns the values written or changed."""
    codes = {code for figures in values.values() for code in figures}
    indicators = list(Indicator.objects.filter(code__in=codes))
    if not indicators:
        return 0
    _computable(indicators, values.values())
    period = str(year)
    existing = {(v.indicator_id, v.unit_id): v for v in IndicatorValue.objects.filter(
        indicator__in=indicators, unit_id__in=list(values), period=period)}
    written, created = [], 0
    for unit_id, figures in values.items():
        for indicator in indicators:
            if indicator.code not in figures:
                continue
            value = Decimal(figures[indicator.code])
            row = existing.get((indicator.pk, unit_id))
            if row is None or (row.value != value or row.status != ValueStatus.APPROVED
                               or row.is_illustrative != illustrative):
                created += row is None
                written.append(IndicatorValue(
                    indicator=indicator, unit_id=unit_id, period=period,
                    period_start=date(year, 1, 1), value=value, status=ValueStatus.APPROVED,
                    source=source, is_illustrative=illustrative))
    # One INSERT ... ON CONFLICT DO UPDATE (an UPDATE of many rows by CASE is far slower).
    IndicatorValue.objects.bulk_create(
        written, batch_size=1000, update_conflicts=True,
        unique_fields=["indicator", "unit", "period"],
        update_fields=["value", "status", "source", "is_illustrative", "updated_at"])
    if written:
        values_changed({v.indicator_id for v in written})
        audit_record(actor=actor, action=audit_events.VALUES_COMPUTED, details={
            "source": source, "period": period, "created": created,
            "updated": len(written) - created,
            "indicators": sorted({i.code for i in indicators}), "units": len(values)})
    return len(written)
