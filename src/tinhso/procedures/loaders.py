"""Load the sample catalogue shipped in procedures/data (sources named in each row; what people
read in Vietnamese as the law writes it, with its English twin), each procedure's documents and
form (procedure_forms.json), and the indicators the dossiers feed (service_indicators.json)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.permissions import SYSTEM, require
from tinhso.audit.services import audit_record
from tinhso.core.db import upsert
from tinhso.indicators.services import indicators_define
from tinhso.procedures import audit_events
from tinhso.procedures.catalogue import SAMPLE_SOURCE
from tinhso.procedures.formschema import SchemaError, check_schema
from tinhso.procedures.models import Procedure
from tinhso.procedures.permissions import LOAD_CATALOGUE
from tinhso.procedures.services.catalogue import first_version
from tinhso.procedures.timelimits import parse_time_limit

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA = DATA_DIR / "procedures_sample.csv"
FORMS = DATA_DIR / "procedure_forms.json"
SERVICE_INDICATORS = DATA_DIR / "service_indicators.json"
# Read by people: in Vietnamese as the law writes it, with the English twin (``*_en``).
BILINGUAL = ("agency", "agency_en", "time_limit", "time_limit_en", "fee", "fee_en",
             "legal_basis", "legal_basis_en")


def _forms(path: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    forms: dict[str, dict[str, Any]] = data["procedures"]
    for name, spec in forms.items():
        try:
            check_schema(spec.get("form", []))
        except SchemaError as exc:
            raise ValidationError(f"{path.name}, {name}: {exc}") from exc
        for position, document in enumerate(spec.get("documents", []), start=1):
            if not document.get("code") or not document.get("name"):
                raise ValidationError(f"{path.name}, {name}, document {position}: a code and "
                                      "a name are needed")
    return forms


@transaction.atomic
def procedures_load(path: Path = DATA, forms_path: Path = FORMS, *, actor: Any = SYSTEM
                    ) -> Counter[str]:
    """The shipped catalogue and the service indicators, all or nothing (administrators and the
    command line), with one summary audit event when a procedure was created or changed."""
    require(actor, LOAD_CATALOGUE, None)
    counts: Counter[str] = Counter()
    forms = _forms(forms_path)
    with path.open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                rule = parse_time_limit(row["time_limit"])
            except ValueError as exc:
                raise ValidationError(f"{path.name} line {line}, time_limit: {exc}") from exc
            code = row["national_code"] or f"SAMPLE-{line - 1:03d}"
            spec = forms.get(row["name"], {})
            documents = [{"required": True, **d} for d in spec.get("documents", [])]
            procedure, outcome = upsert(Procedure, {"code": code}, {
                "national_code": row["national_code"], "name": row["name"],
                "field": row["field"], "level": row["level"], "online_level": row["online_level"],
                **{key: row[key] for key in BILINGUAL}, "time_rule": rule,
                "source": f"{SAMPLE_SOURCE} ({row['legal_basis']})",
                "required_documents": documents, "form_schema": spec.get("form", []),
                "fee_payable": bool(spec.get("fee_payable", False)),
                "receiving_unit_code": spec.get("receiving_unit_code", ""),
            })
            counts[outcome] += 1
            first_version(procedure, source=SAMPLE_SOURCE, today=timezone.localdate())
    if counts["created"] or counts["updated"]:
        audit_record(actor=actor, action=audit_events.CATALOGUE_LOADED,
                     details={"file": path.name, **counts})
    counts.update(service_indicators_load(actor=actor))
    return counts


def service_indicators_load(path: Path = SERVICE_INDICATORS, *, actor: Any = SYSTEM
                            ) -> Counter[str]:
    """The count indicators the dossier statistics publish, and the rates computed from them,
    defined through the indicators' own entry point (checked as a person's would be)."""
    rows = json.loads(path.read_text(encoding="utf-8"))["indicators"]
    return indicators_define(rows, actor=actor, source=path.name)
