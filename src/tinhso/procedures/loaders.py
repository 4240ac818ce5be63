"""Load the sample catalogue shipped in procedures/data (sources named in each row)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError

from tinhso.core.db import upsert
from tinhso.procedures.models import Procedure
from tinhso.procedures.timelimits import parse_time_limit

DATA = Path(__file__).resolve().parent / "data" / "procedures_sample.csv"


def procedures_load(path: Path = DATA) -> Counter[str]:
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                rule = parse_time_limit(row["time_limit"])
            except ValueError as exc:
                raise ValidationError(f"{path.name} line {line}, time_limit: {exc}") from exc
            code = row["national_code"] or f"SAMPLE-{line - 1:03d}"
            _obj, outcome = upsert(Procedure, {"code": code}, {
                "national_code": row["national_code"], "name": row["name"],
                "field": row["field"], "level": row["level"], "agency": row["agency"],
                "online_level": row["online_level"], "time_limit": row["time_limit"],
                "time_rule": rule, "fee": row["fee_vnd"], "legal_basis": row["legal_basis"],
                "source": "procedures_sample.csv (" + row["legal_basis"] + ")",
            })
            counts[outcome] += 1
    return counts
