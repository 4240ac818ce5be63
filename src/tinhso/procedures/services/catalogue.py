"""Keeping the catalogue: staff with the right (``procedures.manage``, asked at the province)
add a procedure, change one (a new version, in force from its effective date, announced by its
decision) or retire one. Each write is one transaction with its audit event; the procedure's
row is brought to the version in force today (a version effective later changes it on its day:
``catalogue_refresh``, run daily by ``tinhso procedures refresh``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may
from tinhso.audit.services import audit_record
from tinhso.procedures import audit_events, catalogue_columns, versions
from tinhso.procedures.catalogue import home_unit
from tinhso.procedures.catalogue_models import VERSIONED_FIELDS, ProcedureVersion
from tinhso.procedures.models import Procedure
from tinhso.procedures.permissions import MANAGE_CATALOGUE
from tinhso.procedures.publication import publish_catalogue

CURRENT_FIELDS = tuple(name for name in VERSIONED_FIELDS if name != "retired")
# the English twins follow their Vietnamese text: kept while it is unchanged, else cleared
TWINS = {"agency": "agency_en", "time_limit": "time_limit_en", "fee": "fee_en",
         "legal_basis": "legal_basis_en"}


@dataclass(frozen=True)
class Decision:
    """The decision announcing a change, and the dates that go with it."""

    number: str
    effective_from: date
    decision_date: date | None = None
    legal_effective_date: date | None = None  # when the legal text behind it takes effect


def publish_figures(decision: Decision, now: datetime) -> None:
    """The catalogue's figures again (the current year's, and the decision's year's when it is
    another): what a change of the catalogue moves."""
    years = {timezone.localtime(now).year}
    if decision.decision_date is not None:
        years.add(decision.decision_date.year)
    for year in sorted(years):
        publish_catalogue(now, year=year)


def require_manage(actor: Any) -> None:
    if not may(actor, MANAGE_CATALOGUE, home_unit()):
        raise PermissionDenied(_("You may not change the procedure catalogue."))


def recorded_by(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) \
        else None


def sync_current(procedure: Procedure, today: date) -> bool:
    """Bring the procedure's row to its version in force ``today``; True when it changed."""
    version = versions.version_on(procedure, today)
    if version is None:  # announced, not yet in force: shows its first version, not offered
        version = (ProcedureVersion.objects.filter(procedure=procedure)
                   .order_by("effective_from", "number").first())
        in_force = False
    else:
        in_force = not version.retired
    assert version is not None
    changed = [name for name in CURRENT_FIELDS
               if getattr(procedure, name) != getattr(version, name)]
    if procedure.in_force != in_force:
        changed.append("in_force")
    if not changed:
        return False
    for name in CURRENT_FIELDS:
        setattr(procedure, name, getattr(version, name))
    procedure.in_force = in_force
    procedure.save()
    return True


def new_version(procedure: Procedure, values: dict[str, Any], decision: Decision, *,
                actor: Any, now: datetime, changed: list[str], source: str = "",
                number: int | None = None) -> ProcedureVersion:
    """An unsaved version of ``procedure`` (its number: the next one unless given)."""
    if number is None:
        number = (ProcedureVersion.objects.filter(procedure=procedure)
                  .aggregate(n=Max("number"))["n"] or 0) + 1
    return ProcedureVersion(
        procedure=procedure, number=number, effective_from=decision.effective_from,
        decision_number=decision.number, decision_date=decision.decision_date,
        legal_effective_date=decision.legal_effective_date, published_at=now,
        changed=changed, source=source, recorded_by=recorded_by(actor),
        **{name: values[name] for name in VERSIONED_FIELDS})


def follow(previous: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` over ``previous``: the English twin of a changed text is cleared."""
    merged = {**previous, **values}
    for text, twin in TWINS.items():
        if twin not in values and merged[text] != previous.get(text):
            merged[twin] = ""
    return merged


def changes(previous: dict[str, Any], values: dict[str, Any]) -> list[str]:
    """The versioned fields that differ (the documents by their names)."""
    found = []
    for name in VERSIONED_FIELDS:
        old, new = previous.get(name), values.get(name)
        if name == "required_documents":
            old = catalogue_columns.document_names(old or [])
            new = catalogue_columns.document_names(new or [])
        if old != new:
            found.append(name)
    return found


def check_values(values: dict[str, Any], previous_documents: list[dict[str, Any]] | None = None
                 ) -> dict[str, Any]:
    """The values typed on a page, read as the import reads a row (level, online level, time
    limit), every problem by field; returns them with the time-limit rule and the documents
    (given by their names) as the catalogue keeps them."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(values)
    if "required_documents" in values:
        cleaned["required_documents"] = catalogue_columns.documents(
            [str(n) for n in values["required_documents"]], previous_documents or [])
    readers = (("level", catalogue_columns.read_level, "level"),
               ("online_level", catalogue_columns.read_online_level, "online_level"),
               ("time_limit", catalogue_columns.read_time_limit, "time_rule"))
    for key, reader, target in readers:
        try:
            cleaned[target] = reader(str(values.get(key, "")))
        except ValueError as exc:
            errors[key] = [str(exc)]
    for key in ("name", "field", "agency"):
        if not str(values.get(key, "")).strip():
            errors[key] = [_("A value is needed.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def documents_of(values: dict[str, Any]) -> list[dict[str, Any]]:
    return list(values.get("required_documents") or [])


def _decision_errors(decision: Decision) -> None:
    if not decision.number.strip():
        raise ValidationError({"decision_number": [_("Give the announcing decision.")]})


@transaction.atomic
def procedure_create(*, actor: Any, code: str, values: dict[str, Any], decision: Decision,
                     now: datetime | None = None) -> Procedure:
    """A new procedure, its first version announced by ``decision``."""
    require_manage(actor)
    _decision_errors(decision)
    now = now or timezone.now()
    code = code.strip()
    if not code:
        raise ValidationError({"code": [_("A value is needed.")]})
    if Procedure.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("A procedure with this code exists.")]})
    cleaned = check_values(values)
    full = {"agency_en": "", "time_limit_en": "", "fee": "", "fee_en": "", "legal_basis": "",
            "legal_basis_en": "", "required_documents": [], **cleaned, "retired": False}
    procedure = Procedure(code=code, national_code=code, in_force=False,
                          **{name: full[name] for name in CURRENT_FIELDS})
    procedure.save()
    version = new_version(procedure, full, decision, actor=actor, now=now,
                          changed=["created"], number=1)
    version.save()
    sync_current(procedure, timezone.localtime(now).date())
    audit_record(actor=actor, action=audit_events.PROCEDURE_CREATED, obj=procedure,
                 details=_details(version))
    publish_figures(decision, now)
    return procedure


def _details(version: ProcedureVersion) -> dict[str, Any]:
    return {"code": version.procedure.code, "version": version.number,
            "effective_from": str(version.effective_from or ""),
            "decision": version.decision_number, "changed": version.changed}


@transaction.atomic
def procedure_revise(*, actor: Any, procedure: Procedure, values: dict[str, Any],
                     decision: Decision, retire: bool = False, now: datetime | None = None
                     ) -> ProcedureVersion:
    """A new version of ``procedure`` (or its retirement), in force from the decision's
    effective date; refused when nothing changes."""
    require_manage(actor)
    _decision_errors(decision)
    now = now or timezone.now()
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    latest = versions.latest_versions([procedure.pk]).get(procedure.pk) \
        or versions.as_version(procedure)
    previous = latest.values()
    cleaned = {"retired": True} if retire else {
        **check_values(values, documents_of(previous)), "retired": False}
    merged = follow(previous, cleaned)
    changed = changes(previous, merged)
    if not changed:
        raise ValidationError(_("Nothing changed: a new version needs a change."))
    version = new_version(procedure, merged, decision, actor=actor, now=now, changed=changed)
    version.save()
    sync_current(procedure, timezone.localtime(now).date())
    audit_record(actor=actor, action=(audit_events.PROCEDURE_RETIRED if retire
                                      else audit_events.PROCEDURE_REVISED),
                 obj=procedure, details=_details(version))
    publish_figures(decision, now)
    return version


def procedure_retire(*, actor: Any, procedure: Procedure, decision: Decision,
                     now: datetime | None = None) -> ProcedureVersion:
    """Retire ``procedure`` from the decision's effective date (its dossiers are kept)."""
    return procedure_revise(actor=actor, procedure=procedure, values={}, decision=decision,
                            retire=True, now=now)


@transaction.atomic
def catalogue_refresh(today: date | None = None) -> int:
    """Bring every procedure's row to its version in force ``today`` (the versions announced
    earlier whose day has come); returns how many changed. Run daily (the system's job, no
    person: nothing new is decided, only dates pass)."""
    today = today or timezone.localdate()
    in_force = versions.in_force_versions(today)
    touched = 0
    for procedure in Procedure.objects.filter(pk__in=list(in_force)).order_by("pk"):
        version = in_force[procedure.pk]
        differs = (procedure.in_force == version.retired or any(
            getattr(procedure, name) != getattr(version, name) for name in CURRENT_FIELDS))
        if differs:
            touched += sync_current(procedure, today)
    return touched


def first_version(procedure: Procedure, *, source: str, today: date) -> bool:
    """A loaded procedure (the shipped sample) gets its first version, with no decision or
    dates (so the 766 counts leave it out); changed by a later load, a version in force from
    ``today`` follows. True when a version was written."""
    latest = versions.latest_versions([procedure.pk]).get(procedure.pk)
    current = versions.as_version(procedure).values()
    if latest is not None and not changes(latest.values(), current):
        return False
    ProcedureVersion.objects.create(
        procedure=procedure, number=latest.number + 1 if latest else 1,
        effective_from=today if latest else None, source=source,
        changed=changes(latest.values(), current) if latest else [], **current)
    return True
