"""From the registers to indicators: the document office's counts (``figures``) published as
approved computed values through ``indicators.services.values_publish_computed``, as the dossier
statistics are, and the indicators they feed defined through
``indicators.services.indicators_define`` (``data/document_indicators.json``).

Each step of a document (``services.base.step``) asks for its years to be published once its
transaction commits (one task for all the documents of a transaction, waiting
``TINHSO_PUBLISH_DELAY_SECONDS`` so that a busy office's changes go together). An assigned
document turns late with no step to tell, so :func:`publish_all` (the demo, and a daily run of
the current year) refreshes them too.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tinhso.accounts.permissions import SYSTEM
from tinhso.core.tasks import deferred
from tinhso.documents import figures
from tinhso.indicators.selectors import catalogue, units_with_values
from tinhso.indicators.services import indicators_define, values_publish_computed

INDICATORS_FILE = Path(__file__).resolve().parent / "data" / "document_indicators.json"
SOURCE = "tỉnh số: sổ văn bản đi, đến"


def document_indicators_load(*, actor: Any = SYSTEM, path: Path = INDICATORS_FILE
                             ) -> Counter[str]:
    """Define the document office's indicators (counts and the shares computed from them)
    through the indicators' own entry point, checked as a person's definitions would be."""
    rows = json.loads(path.read_text(encoding="utf-8"))["indicators"]
    return indicators_define(rows, actor=actor, source=path.name)


@transaction.atomic
def publish(years: Iterable[int], today: date | None = None) -> int:
    """Write the counts of these years for every unit holding documents and every unit above
    it; a unit published before that now has none of a kind gets zeros (so its share is no
    value). Nothing while the indicators are not defined. Returns the values written."""
    if not catalogue().filter(code__in=figures.COUNTS).exists():
        return 0
    written = 0
    for year in sorted(set(years)):
        counts = figures.year_counts(year, today)
        for unit_id in units_with_values(figures.COUNTS, str(year)) - set(counts):
            counts[unit_id] = dict.fromkeys(figures.COUNTS, 0)
        written += values_publish_computed(
            source=SOURCE, year=year, values=counts,
            illustrative=figures.illustrative_documents([year]))
    return written


def publish_all(years: Iterable[int] | None = None) -> int:
    """Every year with documents, or only ``years`` (the daily refresh of the current year)."""
    return publish(figures.years_with_documents() if years is None else years)


@task()
def publish_figures(years: list[int]) -> int:
    return publish(years)


_waiting = threading.local()


def publish_after_commit(years: Iterable[int]) -> None:
    """Ask for these years' publication once the current transaction commits: the years asked
    for meanwhile go in one task."""
    pending: set[int] = getattr(_waiting, "years", set())
    pending.update(years)
    _waiting.years = pending
    transaction.on_commit(_enqueue)


def _enqueue() -> None:
    years = sorted(getattr(_waiting, "years", set()))
    _waiting.years = set()
    if years:  # the first callback of the transaction takes them all; the others find none
        delay = float(getattr(settings, "TINHSO_PUBLISH_DELAY_SECONDS", 0))
        deferred(publish_figures, delay).enqueue(years)


def document_changed(instance: Any) -> None:
    """A document registered, issued, assigned, answered, closed or received (every write
    service keeps a step, and the step calls this): publish its years once committed."""
    moments = [instance.issued_on, timezone.localdate()]
    if instance.arrived_at is not None:
        moments.append(timezone.localtime(instance.arrived_at).date())
    publish_after_commit({m.year for m in moments if m is not None})
