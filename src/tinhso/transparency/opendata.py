"""The open data's files: each dataset's rows (kept a few minutes per language), when it was
last updated and is next due, as CSV and JSON, its data dictionary, and the catalogue as
DCAT-AP JSON-LD.

CSV: UTF-8 with a byte-order mark (Excel opens it with the Vietnamese letters right; the
indicators' import, Python's ``utf-8-sig``, LibreOffice and pandas read it), comma-separated,
a header of field names, a decimal point, ISO dates, ``true``/``false``, an empty cell for a
figure not published or suppressed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from tinhso.core.calendar import cached_work_calendar_span
from tinhso.transparency import published
from tinhso.transparency.cadence import Due, next_due
from tinhso.transparency.datasets import BY_SLUG, DATASETS, Dataset, Table

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_SPDX = "CC-BY-4.0"
CSV_TYPE, JSON_TYPE = "text/csv", "application/json"
MEDIA_TYPE_URI = "https://www.iana.org/assignments/media-types/"

T = TypeVar("T")


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``, kept ``TINHSO_PUBLIC_CACHE_SECONDS`` per process and language."""
    seconds = int(getattr(settings, "TINHSO_PUBLIC_CACHE_SECONDS", 0))
    if seconds <= 0:
        return build()
    key = f"transparency:{name}:{get_language()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value  # type: ignore[no-any-return]


LICENCE_CODE = "CC BY 4.0"


def licence_title() -> str:
    return _("Creative Commons Attribution 4.0 International")


def licence_name() -> str:
    return f"{licence_title()} ({LICENCE_CODE})"


@dataclass(frozen=True)
class Built:
    dataset: Dataset
    table: Table
    due: Due

    @property
    def overdue(self) -> bool:
        return self.due.on < timezone.localdate()


def built(dataset: Dataset) -> Built:
    def build() -> Built:
        table = dataset.build()
        today = timezone.localdate()
        cal = cached_work_calendar_span(today.year - 5, today.year + 3)
        return Built(dataset, table, next_due(dataset.frequency, today, cal, table.latest_year))
    return cached(f"dataset:{dataset.slug}", build)


def dataset_or_none(slug: str) -> Dataset | None:
    return BY_SLUG.get(slug)


def all_built() -> list[Built]:
    return [built(d) for d in DATASETS]


# --- files -----------------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def csv_bytes(b: Built) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [f.name for f in b.dataset.fields]
    writer.writerow(names)
    for row in b.table.rows:
        writer.writerow([_csv_value(row.get(n)) for n in names])
    return out.getvalue().encode("utf-8-sig")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1,
                      default=_json_default).encode("utf-8")


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def json_document(b: Built, urls: dict[str, str]) -> dict[str, Any]:
    """The dataset's rows with what a reader needs to use them."""
    return {"dataset": b.dataset.slug, "title": str(b.dataset.title),
            "description": str(b.dataset.description), "publisher": publisher()["name"],
            "licence": {"name": licence_name(), "url": LICENCE_URL, "spdx": LICENCE_SPDX},
            "last_updated": _iso(b.table.modified), "next_due": b.due.on.isoformat(),
            "update_frequency": b.dataset.frequency, "dictionary": urls["dictionary"],
            "minimum_count": published.min_count(), "notes": b.table.notes,
            "fields": [f.name for f in b.dataset.fields], "rows": b.table.rows}


def dictionary(dataset: Dataset) -> list[dict[str, str]]:
    """Each field with its title, unit and description in Vietnamese and in English."""
    entries = []
    for f in dataset.fields:
        entry: dict[str, str] = {"field": f.name, "type": f.type}
        for language in ("vi", "en"):
            with override(language):
                entry[f"title_{language}"] = str(f.title)
                entry[f"unit_{language}"] = str(f.unit)
                entry[f"description_{language}"] = str(f.description)
        entries.append(entry)
    return entries


def publisher() -> dict[str, str]:
    """Who publishes the data: the home province's People's Committee."""
    unit = published.home_unit()
    name = unit.name if unit else settings.TINHSO_HOME_UNIT
    return {"name": f"Ủy ban nhân dân {getattr(unit, 'kind', '') or 'tỉnh'} {name}".strip(),
            "name_en": f"People's Committee of {getattr(unit, 'name_en', '') or name}"}
