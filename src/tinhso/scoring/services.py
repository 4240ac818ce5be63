"""Writes for indices: importing published results (all rows or none, every problem listed)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.core.imports import ImportRejected, Problems, RowError
from tinhso.core.xlsx import MB, Limits, read_table
from tinhso.indicators.services import check_evidence_file, to_decimal
from tinhso.scoring import audit_events
from tinhso.scoring.engine import Framework, score
from tinhso.scoring.models import (
    AnswerStatus,
    FrameworkPoints,
    PublishedResult,
    ScoreInput,
    SelfAssessmentAnswer,
)
from tinhso.scoring.points import points_problems
from tinhso.scoring.points_selectors import points_in_force
from tinhso.scoring.selectors import wrote_answer
from tinhso.units.selectors import units_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit

# Values and the index are published to 4 decimals: a recomputed index may differ by up to
# 0.00005 from the rounding of the inputs and 0.00005 from its own.
ROUNDING = Decimal("0.0001")
# A published ranking has a row per unit ranked (63 provinces, some thousands of communes).
RESULTS_LIMITS = Limits(max_bytes=5 * MB, max_rows=20_000)


@dataclass(frozen=True)
class Difference:
    unit: str
    published: Decimal
    recomputed: Decimal

    @property
    def gap(self) -> Decimal:
        return abs(self.published - self.recomputed)


@dataclass(frozen=True)
class ResultsImport:
    rows: int
    with_values: int
    checked: list[tuple[str, Decimal, Decimal]]  # (unit, published, recomputed) within rounding
    differences: list[Difference]  # beyond rounding


def _decimal(raw: str, row: int, column: str, errors: list[RowError]) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        errors.append(RowError(row, column, _("'%(raw)s' is not a number") % {"raw": raw}))
        return None
    if not (0 <= value <= 1):
        errors.append(RowError(row, column, _("%(raw)s is not in [0, 1]") % {"raw": raw}))
    return value


@dataclass(frozen=True)
class _ResultRow:
    number: int  # the row in the file
    unit: Unit
    rank: int
    values: dict[str, Decimal]  # the main indicators given
    total: Decimal | None  # the published index
    published_name: str


def _read_results(content: bytes) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The column holding the index ('dti' or 'total') and the rows, numbered as in the file,
    read as a stream under ``RESULTS_LIMITS``; refused unless UTF-8 with the rank and
    province code columns."""
    table = read_table("results.csv", content, limits=RESULTS_LIMITS)
    missing = [c for c in ("rank", "province_code") if c not in table.headers]
    if missing:
        table.close()
        raise ImportRejected([RowError(table.header_row, c, _("this column is missing"))
                              for c in missing])
    return ("dti" if "dti" in table.headers else "total"), list(table.rows)


def _rank(number: int, row: dict[str, str], errors: list[RowError]) -> int:
    try:
        rank_value = int((row.get("rank") or "").strip())
        if rank_value < 1:
            raise ValueError
    except ValueError:
        errors.append(RowError(number, "rank",
                               _("'%(raw)s' is not a rank") % {"raw": row.get("rank")}))
        return 0
    return rank_value


def _parse_results(rows: list[tuple[int, dict[str, str]]], codes: list[str], total_column: str
                   ) -> list[_ResultRow]:
    """Every row checked (a known unit once, a rank, values in [0, 1]); ImportRejected lists
    every problem."""
    units = units_by_code([(r.get("province_code") or "").strip() for _, r in rows])
    errors = Problems()  # refused at once past MAX_ERRORS problems
    parsed = []
    seen: dict[str, int] = {}
    for number, row in rows:
        code = (row.get("province_code") or "").strip()
        unit = units.get(code)
        if unit is None:
            errors.append(RowError(number, "province_code",
                                   _("'%(code)s' is not a unit code") % {"code": code}))
        elif code in seen:
            errors.append(RowError(number, "province_code",
                                   _("also on row %(row)s") % {"row": seen[code]}))
        seen.setdefault(code, number)
        rank_value = _rank(number, row, errors)
        values: dict[str, Decimal] = {}
        for column in codes:
            value = _decimal(row.get(column, ""), number, column, errors)
            if value is not None:
                values[column] = value
        total = _decimal(row.get(total_column, ""), number, total_column, errors)
        if unit is not None:
            parsed.append(_ResultRow(number, unit, rank_value, values, total,
                                     (row.get("published_name") or "").strip()))
    if errors:
        raise ImportRejected(errors)
    return parsed


def _recompute(framework: Framework, codes: list[str], parsed: list[_ResultRow]
               ) -> tuple[int, dict[int, Decimal]]:
    """How many rows give every weighted indicator, and the index recomputed for each of them
    (by row number)."""
    complete = [p for p in parsed if p.values and all(
        c in p.values for c in codes if framework.indicator(c).weight > 0)]
    recomputed: dict[int, Decimal] = {}
    if complete:
        inputs = {c: [float(p.values[c]) if c in p.values else np.nan for p in complete]
                  for c in codes}
        result = score(framework, [p.unit.code for p in complete], inputs)
        for p, value in zip(complete, result.total, strict=True):
            recomputed[p.number] = Decimal(str(round(float(value), 6)))
    return len(complete), recomputed


@transaction.atomic
def published_results_import(*, actor: Any, framework: Framework, year: int, name: str,
                             content: bytes, source: str) -> ResultsImport:
    """Import a published ranking (columns: rank, province_code, published_name, one column
    per main indicator, and the index under 'dti' or 'total'). Where the values are given the
    index is recomputed and compared with the published one. The field is the units ranked:
    the file ranks them all (a file of partial result sets: ``history_services``)."""
    require(actor, "scoring.manage", None)
    total_column, rows = _read_results(content)
    codes = [i.code for i in framework.indicators]
    parsed = _parse_results(rows, codes, total_column)
    complete, recomputed = _recompute(framework, codes, parsed)
    checked, differences = [], []
    for row in parsed:
        again = recomputed.get(row.number)
        PublishedResult.objects.update_or_create(
            framework=framework.code, year=year, unit=row.unit, field_size=len(parsed),
            defaults={"rank": row.rank, "total": row.total,
                      "values": {k: str(v) for k, v in row.values.items()},
                      "recomputed": again, "source": source,
                      "published_name": row.published_name})
        if again is not None and row.total is not None:
            if abs(again - row.total) > ROUNDING:
                differences.append(Difference(row.unit.code, row.total, again))
            else:
                checked.append((row.unit.code, row.total, again))
    audit_record(actor=actor, action=audit_events.RESULTS_IMPORTED,
                 details={"framework": framework.code, "year": year, "file": name,
                          "rows": len(parsed), "differences": len(differences)})
    return ResultsImport(len(parsed), complete, checked, differences)


@transaction.atomic
def answer_submit(*, actor: Any, framework: Framework, year: int, unit: Unit, code: str,
                  value: Any, comment: str = "", evidence: Any = None) -> SelfAssessmentAnswer:
    """A department or commune answers one input of a framework, with its evidence."""
    require(actor, "indicators.enter", unit)
    if code not in framework.inputs:
        raise ValidationError({"code": _("'%(code)s' is not an input of %(framework)s.")
                               % {"code": code, "framework": framework.code}})
    number = float(to_decimal(value))
    answer = SelfAssessmentAnswer.objects.select_for_update().filter(
        framework=framework.code, year=year, unit=unit, code=code).first()
    if answer is not None and answer.status == AnswerStatus.VERIFIED:
        raise ValidationError({"value": _("This answer is verified; it cannot be changed.")})
    answer = answer or SelfAssessmentAnswer(framework=framework.code, year=year, unit=unit,
                                            code=code)
    answer.value, answer.comment, answer.status = number, comment, AnswerStatus.SUBMITTED
    answer.answered_by = actor if getattr(actor, "pk", None) else None
    if evidence is not None:
        check_evidence_file(evidence)
        answer.evidence.save(evidence.name, evidence, save=False)
    answer.save()
    audit_record(actor=actor, action=audit_events.ANSWER_SUBMITTED, obj=answer, unit=unit,
                 details={"framework": framework.code, "year": year, "code": code,
                          "value": number})
    return answer


@transaction.atomic
def answer_verify(*, actor: Any, answer: SelfAssessmentAnswer) -> ScoreInput:
    """The coordinator verifies an answer: it becomes the unit's input for the framework.
    Never by whoever gave the answer (four eyes); they may return it to correct it."""
    answer = SelfAssessmentAnswer.objects.select_for_update(of=("self",)).select_related(
        "unit", "answered_by").get(pk=answer.pk)
    require(actor, "scoring.manage", answer.unit)
    if answer.status != AnswerStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted answer can be verified.")})
    if wrote_answer(actor, answer):
        raise PermissionDenied(_("You gave this answer: another person verifies it."))
    answer.status = AnswerStatus.VERIFIED
    answer.verified_by = actor if getattr(actor, "pk", None) else None
    answer.save(update_fields=["status", "verified_by", "updated_at"])
    score_input, _created = ScoreInput.objects.update_or_create(
        framework=answer.framework, year=answer.year, unit=answer.unit, code=answer.code,
        defaults={"value": answer.value, "is_illustrative": False,
                  "source": _("Self-assessment of %(unit)s, verified") % {
                      "unit": answer.unit.name}})
    audit_record(actor=actor, action=audit_events.ANSWER_VERIFIED, obj=answer,
                 unit=answer.unit, details={
                     "code": answer.code, "value": answer.value,
                     "answered_by": answer.answered_by.username if answer.answered_by else None})
    return score_input


@transaction.atomic
def answer_return(*, actor: Any, answer: SelfAssessmentAnswer, reason: str
                  ) -> SelfAssessmentAnswer:
    answer = SelfAssessmentAnswer.objects.select_for_update(of=("self",)).select_related(
        "unit").get(pk=answer.pk)
    require(actor, "scoring.manage", answer.unit)
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if answer.status != AnswerStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted answer can be returned.")})
    answer.status, answer.return_reason = AnswerStatus.RETURNED, reason.strip()
    answer.save(update_fields=["status", "return_reason", "updated_at"])
    audit_record(actor=actor, action=audit_events.ANSWER_RETURNED, obj=answer,
                 unit=answer.unit, details={"code": answer.code, "reason": answer.return_reason})
    return answer



def _points_error(framework: Framework, points: dict[str, str], code: str, problem: str
                  ) -> tuple[str, str]:
    """The form field and the message of a problem of a points table."""
    if problem == "total":
        total = sum(float(str(v).replace(",", ".")) for v in points.values())
        return "__all__", _("The points add up to %(total)s; %(framework)s is out of "
                            "%(max)s: nothing was changed.") % {
            "total": f"{total:g}", "framework": framework.code, "max": f"{framework.scale:g}"}
    messages = {
        "unknown": _("'%(code)s' is not a main indicator of this framework."),
        "missing": _("Give the points of this main indicator."),
        "not a number": _("Points are a number."),
        "negative": _("Points cannot be negative."),
    }
    return (code if problem != "unknown" else "__all__"), messages[problem] % {"code": code}


@transaction.atomic
def framework_points_set(*, actor: Any, framework: Framework, points: dict[str, str],
                         basis: str) -> FrameworkPoints:
    """An administrator enters the official points of a framework's main indicators (with
    the document publishing them): they replace the assumed points once they add up to the
    framework's declared maximum; ValidationError per field otherwise, nothing written."""
    require(actor, "scoring.points", None)
    errors: dict[str, list[str]] = {}
    for code, problem in points_problems(framework, points):
        field_name, message = _points_error(framework, points, code, problem)
        errors.setdefault(field_name, []).append(message)
    if not (basis or "").strip():
        errors.setdefault("basis", []).append(_("Name the document that publishes these "
                                                "points."))
    if errors:
        raise ValidationError(errors)
    before = points_in_force(framework.code)
    record = FrameworkPoints.objects.create(
        framework=framework.code, basis=basis.strip(),
        points={i.code: float(str(points[i.code]).replace(",", "."))
                for i in framework.indicators},
        entered_by=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action=audit_events.FRAMEWORK_POINTS_SET, obj=record, details={
        "framework": framework.code, "points": record.points, "basis": record.basis,
        "before": before.points if before else {
            i.code: i.weight for i in framework.indicators},
        "replaced": "official table" if before else "assumption"})
    return record
