"""Load the reference units shipped in ``units/data/`` (see its README for sources).

Every loader is idempotent: units are matched by code and only differing fields are written.
``units_load_reference`` runs all of them in one transaction and records one audit event with
the counts, only when something changed.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.units import audit_events
from tinhso.units.models import Level, Unit
from tinhso.units.services import unit_upsert

DATA_DIR = Path(__file__).resolve().parent / "data"
MERGER_DAY = date(2025, 7, 1)
LAST_DAY_BEFORE_MERGER = date(2025, 6, 30)
COUNTRY_CODE = "VN"
KHANH_HOA = "56"

PROVINCES_SOURCE = "Mã theo Quyết định 124/2004/QĐ-TTg; Nghị quyết 202/2025/QH15 (sắp xếp tỉnh)"
LOCALITIES_SOURCE = "Mã GSO; Nghị quyết 1667/NQ-UBTVQH15; Quyết định 19/2025/QĐ-TTg"
DEPARTMENTS_SOURCE = "Mô hình chung (Nghị định 45/2025/NĐ-CP); báo chí Khánh Hòa"


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [(number, row) for number, row in enumerate(csv.DictReader(fh), start=2)]


def _date(raw: str, path: Path, line: int, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError(f"{path.name} line {line}, {field}: '{raw}' is not a date "
                              "(YYYY-MM-DD)") from exc


def load_country() -> tuple[Unit, str]:
    return unit_upsert(code=COUNTRY_CODE, parent=None, defaults={
        "name": "Việt Nam", "name_en": "Viet Nam", "kind": "quốc gia", "level": Level.COUNTRY,
        "source": PROVINCES_SOURCE,
    })


def load_provinces(path: Path = DATA_DIR / "provinces.csv") -> Counter[str]:
    """The 63 provinces; those merged on 1 July 2025 end the day before, with their successor."""
    counts: Counter[str] = Counter()
    country, outcome = load_country()
    counts[outcome] += 1
    rows = _rows(path)
    by_code = {row["code"]: (line, row) for line, row in rows}
    for line, row in rows:
        successor_code = row["successor_2025_code"]
        if successor_code not in by_code:
            raise ValidationError(f"{path.name} line {line}, successor_2025_code: "
                                  f"'{successor_code}' is not a province in this file")
        continuing = successor_code == row["code"]
        name = row["successor_2025_name"] if continuing else row["name"]
        former = [] if name == row["name"] else [
            {"name": row["name"], "valid_to": LAST_DAY_BEFORE_MERGER.isoformat()}
        ]
        _, outcome = unit_upsert(code=row["code"], parent=country, defaults={
            "name": name, "kind": row["kind"], "level": Level.PROVINCE,
            "valid_from": None, "valid_to": None if continuing else LAST_DAY_BEFORE_MERGER,
            "former_names": former, "source": PROVINCES_SOURCE,
        })
        counts[outcome] += 1
    # Successors once every province exists.
    units = Unit.objects.in_bulk([code for code in by_code], field_name="code")
    for _line, row in rows:
        unit = units[row["code"]]
        successor = None if row["successor_2025_code"] == row["code"] else (
            units[row["successor_2025_code"]]
        )
        if unit.successor_id != (successor.pk if successor else None):
            unit.successor = successor
            unit.save(update_fields=["successor", "updated_at"])
            counts["updated"] += 1
    return counts


def load_khanhhoa_localities(path: Path = DATA_DIR / "khanhhoa_units.csv") -> Counter[str]:
    """Districts until 30 June 2025, communes, wards and the special zone from 1 July 2025."""
    counts: Counter[str] = Counter()
    province = Unit.objects.get(code=KHANH_HOA)
    for line, row in _rows(path):
        if row["level"] not in (Level.DISTRICT, Level.COMMUNE):
            raise ValidationError(f"{path.name} line {line}, level: '{row['level']}' is not "
                                  "district or commune")
        name = row["name"]
        kind = next((k for k in ("Thành phố", "Thị xã", "Huyện", "Phường", "Xã", "Đặc khu")
                     if name.startswith(k + " ")), "")
        attributes: dict[str, Any] = {}
        if row.get("former_area"):
            attributes["former_area"] = row["former_area"]
            attributes["former_area_note"] = "inferred from code order"
        _, outcome = unit_upsert(code=row["code"], parent=province, defaults={
            "name": name, "kind": kind.lower(), "level": row["level"],
            "valid_from": _date(row["valid_from"], path, line, "valid_from"),
            "valid_to": _date(row["valid_to"], path, line, "valid_to"),
            "attributes": attributes, "source": LOCALITIES_SOURCE,
        })
        counts[outcome] += 1
    return counts


def load_khanhhoa_departments(path: Path = DATA_DIR / "khanhhoa_departments.csv") -> Counter[str]:
    counts: Counter[str] = Counter()
    province = Unit.objects.get(code=KHANH_HOA)
    rows = _rows(path)
    for line, row in rows:
        confirmed = row["status"] == "confirmed"
        attributes = {"status": row["status"]}
        if row["note"]:
            attributes["note"] = row["note"]
        _, outcome = unit_upsert(code=row["code"], parent=province, defaults={
            "name": row["name"], "name_en": row["name_en"], "kind": "sở",
            "level": Level.DEPARTMENT,
            "valid_from": _date(row["valid_from"], path, line, "valid_from"),
            "valid_to": _date(row["valid_to"], path, line, "valid_to"),
            "code_is_official": False, "is_illustrative": not confirmed,
            "attributes": attributes, "source": DEPARTMENTS_SOURCE,
        })
        counts[outcome] += 1
    units = Unit.objects.in_bulk([row["code"] for _, row in rows], field_name="code")
    for line, row in rows:
        code = row["successor_code"]
        if code and code not in units:
            raise ValidationError(f"{path.name} line {line}, successor_code: '{code}' is not a "
                                  "department in this file")
        successor = units[code] if code else None
        unit = units[row["code"]]
        if unit.successor_id != (successor.pk if successor else None):
            unit.successor = successor
            unit.save(update_fields=["successor", "updated_at"])
            counts["updated"] += 1
    return counts


@transaction.atomic
def units_load_reference(*, actor: Any) -> Counter[str]:
    """Load every reference file; all or nothing. Returns counts of created/updated/same."""
    require(actor, "units.manage", None)
    counts: Counter[str] = Counter()
    counts.update(load_provinces())
    counts.update(load_khanhhoa_localities())
    counts.update(load_khanhhoa_departments())
    if counts["created"] or counts["updated"]:
        audit_record(actor=actor, action=audit_events.UNITS_IMPORTED,
                     unit=Unit.objects.get(code=COUNTRY_CODE),
                     details={"created": counts["created"], "updated": counts["updated"],
                              "files": ["provinces.csv", "khanhhoa_units.csv",
                                        "khanhhoa_departments.csv"]})
    return counts
