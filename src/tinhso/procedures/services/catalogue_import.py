"""Import and update the catalogue from the national procedure database's export.

One row a procedure (``catalogue_columns``). The file is read three times, each time streamed
(``core.xlsx.read_table``), so memory stays bounded whatever its length: counted; checked
(every row's problems, the header's, the codes repeated) and compared with the catalogue batch
by batch (one query a batch, never one a row), which is what the progress shows; then, if
nothing is wrong, the changes written in one transaction (all or nothing). A procedure not in
the catalogue is new (its first version); one whose fields differ gets a new version, in force
from the given date and announced by the given decision; an identical one is left alone, so a
second import of the same file changes nothing. Procedures missing from the file are left as
they are (an export may be partial): retiring one is a decision of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.audit.services import audit_record
from tinhso.core.imports import ImportRejected, Problems, RowError
from tinhso.core.xlsx import Limits, header_key, read_table
from tinhso.procedures import audit_events, versions
from tinhso.procedures.catalogue_columns import (
    BY_HEADER,
    COLUMNS,
    CatalogueRow,
    documents,
    header_problems,
    read_row,
)
from tinhso.procedures.catalogue_models import ProcedureVersion
from tinhso.procedures.models import Procedure
from tinhso.procedures.services.catalogue import (
    CURRENT_FIELDS,
    Decision,
    changes,
    documents_of,
    follow,
    new_version,
    publish_figures,
    require_manage,
    sync_current,
)

BATCH = 500
MAX_LISTED = 2000  # codes listed by name in a report (the counts are always whole)
NEW_DEFAULTS = {"agency_en": "", "time_limit_en": "", "fee_en": "", "legal_basis_en": "",
                "retired": False}


@dataclass
class ImportReport:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code -> fields
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created[:MAX_LISTED],
                "created_count": len(self.created), "changed": self.changed,
                "changed_count": len(self.changed), "unchanged": self.unchanged}


Progress = Callable[[str, int, int], None]  # phase, rows done, rows in all


def _rows(name: str, content: bytes, limits: Limits | None
          ) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
    """(row number, cells, column key -> header) of each data row; the header's problems
    refuse the file at once."""
    table = read_table(name, content, limits=limits, is_header=_is_header)
    try:
        positions, problems = header_problems(table.headers, table.header_row)
        if problems:
            raise ImportRejected(problems)
        headers = {key: table.headers[position] for key, position in positions.items()}
        for number, cells in table.rows:
            yield number, cells, headers
    finally:
        table.close()


def _is_header(texts: list[str]) -> bool:
    return sum(header_key(t) in BY_HEADER for t in texts) >= 3


def _batches(name: str, content: bytes, limits: Limits | None, problems: Problems | None
             ) -> Iterator[list[CatalogueRow]]:
    """The rows read, BATCH at a time; with ``problems``, every problem is gathered there
    (codes repeated included) and the bad rows left out."""
    seen: dict[str, int] = {}
    batch: list[CatalogueRow] = []
    for number, cells, headers in _rows(name, content, limits):
        row, errors = read_row(number, cells, headers)
        if problems is not None:
            problems.extend(errors)
            if row is not None and row.code in seen:
                problems.append(RowError(number, headers["code"], _(
                    "the code %(code)s is repeated (first on row %(first)d)")
                    % {"code": row.code, "first": seen[row.code]}))
                continue
        if row is not None:
            seen.setdefault(row.code, number)
            batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


Compared = tuple[CatalogueRow, Procedure | None, dict[str, Any], list[str]]


def _compare(batch: list[CatalogueRow]) -> list[Compared]:
    """Each row with its procedure (None: new), its full values and the fields changed
    (empty: unchanged), two queries for the batch."""
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=[r.code for r in batch])}
    latest = versions.latest_versions(p.pk for p in procedures.values())
    compared: list[Compared] = []
    for row in batch:
        procedure = procedures.get(row.code)
        if procedure is None:
            values = {**NEW_DEFAULTS, **row.values,
                      "required_documents": documents(row.values["required_documents"], [])}
            compared.append((row, None, values, ["created"]))
            continue
        previous = (latest.get(procedure.pk) or versions.as_version(procedure)).values()
        incoming = {**row.values, "retired": False, "required_documents": documents(
            row.values["required_documents"], documents_of(previous))}
        values = follow(previous, incoming)
        compared.append((row, procedure, values, changes(previous, values)))
    return compared


def _check(name: str, content: bytes, limits: Limits | None, progress: Progress | None
           ) -> ImportReport:
    total = sum(1 for _row in _rows(name, content, limits))
    problems = Problems()
    report = ImportReport(rows=total)
    done = 0
    for batch in _batches(name, content, limits, problems):
        for row, _procedure, _values, changed in _compare(batch):
            _tally(report, row.code, changed)
        done += len(batch)
        if progress is not None:
            progress("checking", done, total)
    problems.raise_if_any()
    return report


def _tally(report: ImportReport, code: str, changed: list[str]) -> None:
    if changed == ["created"]:
        report.created.append(code)
    elif changed:
        report.changed[code] = changed
    else:
        report.unchanged += 1


def catalogue_import(name: str, content: bytes, *, actor: Any, decision: Decision,
                     limits: Limits | None = None, progress: Progress | None = None,
                     now: datetime | None = None, dry_run: bool = False) -> ImportReport:
    """Check the whole file, then write its changes in one transaction; ``ImportRejected``
    (every problem by row and column) and nothing written when anything is wrong."""
    require_manage(actor)
    if not decision.number.strip():
        raise ImportRejected([RowError(0, _("decision"), _("give the announcing decision"))])
    now = now or timezone.now()
    checked = _check(name, content, limits, progress)
    if progress is not None:
        progress("writing", 0, checked.rows)
    with transaction.atomic():
        report = _write(name, content, limits, actor=actor, decision=decision, now=now)
        report.rows = checked.rows
        if report.created or report.changed:
            audit_record(actor=actor, action=audit_events.CATALOGUE_IMPORTED, details={
                "file": name, "decision": decision.number,
                "effective_from": str(decision.effective_from), "created": len(report.created),
                "changed": len(report.changed), "unchanged": report.unchanged})
            publish_figures(decision, now)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write(name: str, content: bytes, limits: Limits | None, *, actor: Any,
           decision: Decision, now: datetime) -> ImportReport:
    report = ImportReport()
    today = timezone.localtime(now).date()
    in_force = decision.effective_from <= today
    source = _("national procedure database: %(file)s") % {"file": name}
    for batch in _batches(name, content, limits, None):
        new_versions, later = [], []
        latest = versions.latest_versions(
            Procedure.objects.filter(code__in=[r.code for r in batch]).values_list("pk",
                                                                                 flat=True))
        for row, procedure, values, changed in _compare(batch):
            _tally(report, row.code, changed)
            if not changed:
                continue
            if procedure is None:
                procedure = Procedure(code=row.code, national_code=row.code, in_force=in_force,
                                      source=source, **{f: values[f] for f in CURRENT_FIELDS})
                procedure.save()
            elif in_force and _latest_date_before(latest.get(procedure.pk), decision):
                _apply(procedure, values)  # the new version is the one in force today
            else:
                later.append(procedure)  # a version dated later exists: the calendar decides
            new_versions.append(new_version(procedure, values, decision, actor=actor, now=now,
                                            changed=changed, source=source, number=0))
        _number(new_versions)
        ProcedureVersion.objects.bulk_create(new_versions, batch_size=BATCH)
        versions.forget_versions()  # bulk_create sends no signal to the cache
        for procedure in later:
            sync_current(procedure, today)
    return report


def _latest_date_before(latest: ProcedureVersion | None, decision: Decision) -> bool:
    return (latest is None or latest.effective_from is None
            or latest.effective_from <= decision.effective_from)


def _apply(procedure: Procedure, values: dict[str, Any]) -> None:
    for name in CURRENT_FIELDS:
        setattr(procedure, name, values[name])
    procedure.in_force = True
    procedure.save()


def _number(new_versions: list[ProcedureVersion]) -> None:
    """Each new version numbered after its procedure's last (one query for the batch)."""
    last = versions.latest_versions(v.procedure_id for v in new_versions)
    for version in new_versions:
        previous = last.get(version.procedure_id)
        version.number = previous.number + 1 if previous else 1


def column_headers() -> list[str]:
    """The headers of an export, in order (for the generator and the documentation)."""
    return [c.header for c in COLUMNS]
