"""``tinhso demo``: reference units, the programme's documents, goals and task groups, the
published headline figures, and illustrative accounts, tasks and progress reports. Idempotent
(a second run changes nothing) and atomic (a failure leaves the database as it was)."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from tinhso.accounts.models import RoleAssignment, User, UserKind
from tinhso.accounts.permissions import require, requires_second_factor
from tinhso.accounts.two_factor import totp_enrol_illustrative
from tinhso.audit.services import audit_record
from tinhso.calendars.services import announcements_load
from tinhso.core.db import upsert
from tinhso.demo import audit_events
from tinhso.demo.documents import load_documents
from tinhso.demo.dossiers import load_illustrative_dossiers
from tinhso.demo.plan import load_plan
from tinhso.demo.programme import load_illustrative_tasks, load_task_groups
from tinhso.demo.work import load_work
from tinhso.documents.publication import document_indicators_load, publish_all
from tinhso.indicators.models import Indicator, IndicatorValue, Target
from tinhso.procedures.loaders import procedures_load
from tinhso.procedures.publication import publish_catalogue
from tinhso.programme.models import Document, Goal
from tinhso.scoring.engine import load_framework
from tinhso.scoring.history_services import results_history_import
from tinhso.scoring.models import PublishedResult, ScoreInput
from tinhso.scoring.services import published_results_import
from tinhso.units.loaders import units_load_reference
from tinhso.units.models import Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
SCORING_DATA = Path(__file__).resolve().parent.parent / "scoring" / "data"


def _json(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def load_programme(units: dict[str, Unit]) -> Counter[str]:
    data = _json("programme.json")
    counts: Counter[str] = Counter()
    documents: dict[str, Document] = {}
    for row in data["documents"]:  # in order of issue: a document implements an earlier one
        values = {k: v for k, v in row.items() if k not in ("number", "unit")}
        values["issued_on"] = date.fromisoformat(values["issued_on"])
        values["unit"] = units[row["unit"]]
        values["implements"] = documents[row["implements"]] if row.get("implements") else None
        documents[row["number"]], outcome = upsert(Document, {"number": row["number"]}, values)
        counts[outcome] += 1
    indicators = {i.code: i for i in Indicator.objects.filter(
        code__in={row["indicator"] for row in data["values"] + data["targets"]})}
    for row in data["indicators"]:
        values = {k: v for k, v in row.items() if k != "code"}
        indicators[row["code"]], outcome = upsert(Indicator, {"code": row["code"]}, values)
        counts[outcome] += 1
    for row in data["goals"]:  # measured by the indicator whose target (unit, year) is the goal
        lookup = {"document": documents[row["document"]], "unit": units[row["unit"]],
                  "year": row["year"]}
        values = {k: row.get(k, "") for k in ("text", "text_en", "quote")}
        values.update(target_rank=row["target_rank"], indicator=indicators[row["indicator"]]
                      if row.get("indicator") else None)
        counts[upsert(Goal, lookup, values)[1]] += 1
    for row in data["targets"]:
        lookup = {"indicator": indicators[row["indicator"]], "unit": units[row["unit"]],
                  "year": row["year"], "rank_of": row.get("rank_of"),  # a rank's field
                  "kind": "value"}  # the plan's other kinds: demo.plan.load_plan
        values = {"value": Decimal(row["value"]), "source": row["source"],
                  "baseline_year": row.get("baseline_year"),
                  "baseline_value": Decimal(row["baseline_value"])
                  if row.get("baseline_value") else None,
                  "is_illustrative": row.get("is_illustrative", False)}
        counts[upsert(Target, lookup, values)[1]] += 1
    for row in data["values"]:
        lookup = {"indicator": indicators[row["indicator"]], "unit": units[row["unit"]],
                  "period": row["period"]}
        values = {"value": Decimal(row["value"]), "rank_of": row.get("rank_of"),
                  "source": row["source"], "is_illustrative": row.get("is_illustrative", False)}
        counts[upsert(IndicatorValue, lookup, values)[1]] += 1
    return counts


def load_accounts(units: dict[str, Unit]) -> Counter[str]:
    """Illustrative accounts. An existing account is left as it is (its password too)."""
    data = _json("accounts.json")
    counts: Counter[str] = Counter()
    for row in data["staff"]:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user = User(username=row["username"], kind=UserKind.STAFF, unit=units[row["unit"]],
                        first_name=row["first_name"], last_name=row["last_name"],
                        is_illustrative=True)
            user.set_password(data["password"])
            user.save()
            counts["created"] += 1
        else:
            counts["same"] += 1
        for role, unit_code in row["roles"]:
            _, created = RoleAssignment.objects.get_or_create(user=user, role=role,
                                                              unit=units[unit_code])
            counts["created" if created else "same"] += 1
    for row in data["public"]:
        if User.objects.filter(username=row["username"]).exists():
            counts["same"] += 1
            continue
        fields = {k: v for k, v in row.items() if k not in ("username", "what")}
        user = User(username=row["username"], is_illustrative=True, **fields)
        user.set_password(data["password"])
        user.save()
        counts["created"] += 1
    return counts


def load_second_factors(actor: Any) -> Counter[str]:
    """With TINHSO_REQUIRE_2FA on, the demo accounts that approve or administer get an
    authenticator with the published, illustrative secret (the second step shows its code)."""
    counts: Counter[str] = Counter()
    if not settings.TINHSO_REQUIRE_2FA:
        return counts
    data = _json("accounts.json")
    key = base64.b32decode(data["totp_secret"]).hex()
    for row in data["staff"]:
        user = User.objects.get(username=row["username"])
        if user.is_illustrative and requires_second_factor(user):
            totp_enrol_illustrative(actor=actor, user=user, key=key)
            counts["same"] += 1
    return counts


def load_published_results(actor: Any) -> Counter[str]:
    """The published DTI 2022 ranking and the results found for 2020-2024 (each file imported
    once; the files do not change)."""
    counts: Counter[str] = Counter()
    if PublishedResult.objects.filter(framework="dti-province-922", year=2022).exists():
        counts["same"] += 1
    else:
        path = SCORING_DATA / "dti_province_2022.csv"
        result = published_results_import(
            actor=actor, framework=load_framework("dti-province-922"), year=2022,
            name=path.name, content=path.read_bytes(), source="Bộ TT&TT, xếp hạng DTI 2022")
        counts["created"] += result.rows
    if PublishedResult.objects.filter(framework="dti-province-405", year=2024).exists():
        counts["same"] += 1
    else:
        path = SCORING_DATA / "dti_results_2020_2024.csv"
        counts["created"] += results_history_import(actor=actor, name=path.name,
                                                    content=path.read_bytes()).rows
    return counts


def load_illustrative_scores(units: dict[str, Unit]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for block in _json("scoring.json")["inputs"]:
        unit = Unit.objects.get(code=block["unit"])
        for code, value in block["values"].items():
            lookup = {"framework": block["framework"], "year": block["year"], "unit": unit,
                      "code": code}
            values = {"value": float(value), "source": block["source"],
                      "is_illustrative": block["is_illustrative"]}
            counts[upsert(ScoreInput, lookup, values)[1]] += 1
    return counts


def demo_accounts() -> list[dict[str, str]]:
    data = _json("accounts.json")
    return [{"username": row["username"], "password": data["password"], "what": row["what"]}
            for row in [*data["staff"], *data["public"]]]


def demo_totp_secret() -> str:
    """The illustrative authenticator secret of the demo accounts that approve or administer."""
    return str(_json("accounts.json")["totp_secret"])


def _units() -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.filter(
        code__in=["VN", "56", "56.SKHCN", "56.VP", "56.STC", "22366"])}


@transaction.atomic
def published_load(*, actor: Any) -> Counter[str]:
    """What a production installation starts from: the reference units, the programme's
    documents, goals and task groups and the published figures. No accounts, no tasks."""
    require(actor, "units.manage", None)
    counts = units_load_reference(actor=actor)
    units = _units()
    # The catalogue first: it brings the indicators computed from dossiers, whose published
    # figures (56 % online in 2020) the programme's values give.
    programme = procedures_load(actor=actor)
    programme.update(document_indicators_load(actor=actor))  # computed from the registers
    programme.update(load_programme(units))
    programme.update(load_task_groups(actor))  # the four groups of 16-NQ/TU and their items
    programme.update(load_plan(actor, units))  # 4636/KH-UBND's targets and goals
    publish_catalogue()  # the services online and published in full, from the catalogue
    programme.update(load_published_results(actor))
    programme["updated"] += announcements_load(actor=actor)
    if programme["created"] or programme["updated"]:
        audit_record(actor=actor, action=audit_events.PUBLISHED_LOADED, unit=units["VN"],
                     details={"created": programme["created"],
                              "updated": programme["updated"]})
    counts.update(programme)
    return counts


@transaction.atomic
def demo_load(*, actor: Any) -> Counter[str]:
    """The published data and the illustrative demonstration accounts, dossiers, scores, the
    programme's tasks with their progress reports, and the work waiting for each account."""
    counts = published_load(actor=actor)
    units = _units()
    accounts = load_accounts(units)
    accounts.update(load_second_factors(actor))
    accounts.update(load_illustrative_scores(units))
    accounts["created"] += load_illustrative_dossiers()
    # Tasks and progress reports of 16-NQ/TU, by the demo accounts just loaded.
    tasks = load_illustrative_tasks(actor)
    work = load_work()  # what waits for each demo account the day of the load
    documents = load_documents()  # the document office's registers
    publish_all()  # and the figures computed from them
    accounts.update(tasks)
    accounts.update(work)
    accounts.update(documents)
    if accounts["created"] or accounts["updated"]:
        audit_record(actor=actor, action=audit_events.DEMO_LOADED, unit=units["VN"],
                     details={"accounts_created": accounts["created"] - tasks["created"]
                              - work["created"] - documents["created"],
                              "tasks_and_reports_created": tasks["created"],
                              "work_created": work["created"],
                              "documents_created": documents["created"]})
    counts.update(accounts)
    return counts
