"""The procedure as it stood on a day: the one selector every reader of the catalogue's history
uses (the submission's due date, the figures of a past year, the 766 counts). Reads only.

A procedure's versions are in force from their ``effective_from`` (blank: since before the
platform kept the history) until the next one's; among versions of the same day the later
recorded wins. A procedure without any version (one made before the history, or by a test's
factory) stands as its row says, on every day. A version announced now and effective later is
not in force before its day: the procedure stays as it was (or, if new, is not offered yet).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import F, Q

from tinhso.core.memo import TimedCache
from tinhso.procedures.catalogue_models import VERSIONED_FIELDS, ProcedureVersion
from tinhso.procedures.models import Procedure

# (procedure id, day) -> the version in force, kept a short while per process (core.memo): every
# submission asks it. Saves clear it; a bulk write of versions calls ``forget_versions``.
VERSIONS: TimedCache[ProcedureVersion] = TimedCache("procedure versions by day").clear_on_change(
    ProcedureVersion, Procedure)


def forget_versions() -> None:
    VERSIONS.clear()


def in_force_q(day: date) -> Q:
    """Versions whose effective date has come by ``day``."""
    return Q(effective_from__isnull=True) | Q(effective_from__lte=day)


ORDER = (F("effective_from").asc(nulls_first=True), "number")


def as_version(procedure: Procedure) -> ProcedureVersion:
    """The procedure's row as an (unsaved) version: for a procedure without history."""
    values = {name: getattr(procedure, name) for name in VERSIONED_FIELDS if name != "retired"}
    return ProcedureVersion(procedure=procedure, number=0, retired=not procedure.in_force,
                            **values)


def version_on(procedure: Procedure, day: date) -> ProcedureVersion | None:
    """The version of ``procedure`` in force on ``day`` (retired ones included: check
    ``retired``); None when its first version is not yet in force."""
    if procedure.pk is None:
        return _version_on(procedure, day)
    return VERSIONS.get((procedure.pk, day), lambda: _version_on(procedure, day))


def _version_on(procedure: Procedure, day: date) -> ProcedureVersion | None:
    found = (ProcedureVersion.objects.filter(procedure=procedure).filter(in_force_q(day))
             .order_by(*ORDER).last())
    if found is not None:
        return found
    if ProcedureVersion.objects.filter(procedure=procedure).exists():
        return None
    return as_version(procedure)


def state(procedure: Procedure, version: ProcedureVersion) -> Procedure:
    """An unsaved copy of ``procedure`` carrying ``version``'s fields (what every rule reading
    a ``Procedure`` reads, as it stood then)."""
    stood = copy.copy(procedure)
    for name in VERSIONED_FIELDS:
        if name != "retired":
            setattr(stood, name, getattr(version, name))
    stood.in_force = not version.retired
    return stood


def procedure_on(procedure: Procedure, day: date) -> Procedure | None:
    """The procedure as it stood on ``day``; None when it was not in force (not yet announced
    into force, or retired)."""
    version = version_on(procedure, day)
    if version is None or version.retired:
        return None
    return state(procedure, version)


def in_force_versions(day: date, procedure_ids: Iterable[int] | None = None
                      ) -> dict[int, ProcedureVersion]:
    """procedure id -> its version in force on ``day`` (one query; retired ones included)."""
    versions = ProcedureVersion.objects.filter(in_force_q(day))
    if procedure_ids is not None:
        versions = versions.filter(procedure_id__in=list(procedure_ids))
    found: dict[int, ProcedureVersion] = {}
    for version in versions.order_by("procedure_id", *ORDER).iterator(chunk_size=2000):
        found[version.procedure_id] = version  # the last in order wins
    return found


def catalogue_on(day: date, chunk: int = 500) -> Iterator[Procedure]:
    """Every procedure in force on ``day``, as it stood then, read ``chunk`` procedures at a
    time (two queries a chunk; memory bounded whatever the catalogue's size)."""
    with_history = set(ProcedureVersion.objects.values_list("procedure_id", flat=True)
                       .distinct())
    last = 0
    while True:
        procedures = list(Procedure.objects.filter(pk__gt=last).order_by("pk")[:chunk])
        if not procedures:
            return
        last = procedures[-1].pk
        found = in_force_versions(day, [p.pk for p in procedures])
        for procedure in procedures:
            version = found.get(procedure.pk)
            if version is not None:
                if not version.retired:
                    yield state(procedure, version)
            elif procedure.pk not in with_history and procedure.in_force:
                yield procedure


def latest_versions(procedure_ids: Iterable[int]) -> dict[int, ProcedureVersion]:
    """procedure id -> its last recorded version (future-dated included): what a change is
    compared with (one query)."""
    found: dict[int, ProcedureVersion] = {}
    for version in (ProcedureVersion.objects.filter(procedure_id__in=list(procedure_ids))
                    .order_by("procedure_id", "number")):
        found[version.procedure_id] = version
    return found


def history(procedure: Procedure) -> list[ProcedureVersion]:
    """The procedure's versions, the latest recorded first."""
    return list(ProcedureVersion.objects.filter(procedure=procedure)
                .select_related("recorded_by").order_by("-number"))
