"""Reading the document office's figures: per unit and year, the documents issued (and of them
sent electronically, signed digitally), received (and of them electronically), and the assigned
documents due (and of them handled on time), the counts the indicators of
``data/document_indicators.json`` are published from (``publication``); their shares are
formulas over them, in the indicators engine.

- **Issued** in the year: an outgoing document numbered, by its date of issue; **sent
  electronically** when it went out as an electronic document; **signed digitally** when one of
  its PDF files carries a signature found valid on arrival, or was signed by this installation.
- **Received** in the year: an incoming document, by its arrival (the province's wall clock);
  **electronically** as for issued ones.
- **Due** in the year: an assigned document whose deadline falls in the year and has passed
  (``rules.overdue``), or that is closed; **on time** when closed by its deadline. It counts for
  its lead unit; the others for the registering unit.

A unit's count covers its own registers and every unit below it (the figure of a province whose
People's Committee keeps registers of its own is the whole province's); a unit with no document
of a kind in the year has no count of it, and so no share.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from tinhso.documents.models import Assignment, Attachment, Direction, Document
from tinhso.units.selectors import units_matching

ISSUED, ISSUED_ELECTRONIC, ISSUED_SIGNED = (
    "documents_issued", "documents_issued_electronic", "documents_issued_signed")
RECEIVED, RECEIVED_ELECTRONIC = "documents_received", "documents_received_electronic"
DUE, ON_TIME = "documents_directed_due", "documents_directed_on_time"
COUNTS = (ISSUED, ISSUED_ELECTRONIC, ISSUED_SIGNED, RECEIVED, RECEIVED_ELECTRONIC, DUE,
          ON_TIME)
RATES = ("documents_sent_electronically_rate", "documents_signed_rate",
         "documents_received_electronically_rate", "documents_on_time_rate")
# each count's group: a unit with one count of a group has all of them (zeros included)
GROUPS = ((ISSUED, ISSUED_ELECTRONIC, ISSUED_SIGNED), (RECEIVED, RECEIVED_ELECTRONIC),
          (DUE, ON_TIME))


def signed_q() -> Q:
    """An outgoing document with a PDF whose signature checked valid or that was signed here."""
    pdf = Q(name__iendswith=".pdf") | Q(content_type="application/pdf")
    return Q(Exists(Attachment.objects.filter(pdf, Q(signature_state="valid")
                                              | Q(signed_here=True),
                                              document=OuterRef("pk"))))


def issued_counts(year: int) -> dict[int, dict[str, int]]:
    """Registering unit id -> the year's outgoing documents issued, electronic, signed."""
    rows = (Document.objects.filter(direction=Direction.OUTGOING, number__isnull=False,
                                    issued_on__year=year)
            .values("unit_id").order_by()
            .annotate(**{ISSUED: Count("pk"),
                         ISSUED_ELECTRONIC: Count("pk", filter=Q(electronic=True)),
                         ISSUED_SIGNED: Count("pk", filter=signed_q())}))
    return {row["unit_id"]: {c: row[c] for c in GROUPS[0]} for row in rows}


def received_counts(year: int) -> dict[int, dict[str, int]]:
    """Registering unit id -> the year's incoming documents and those received electronically
    (by arrival, on the province's wall clock)."""
    rows = (Document.objects.filter(direction=Direction.INCOMING, arrived_at__year=year)
            .values("unit_id").order_by()
            .annotate(**{RECEIVED: Count("pk"),
                         RECEIVED_ELECTRONIC: Count("pk", filter=Q(electronic=True))}))
    return {row["unit_id"]: {c: row[c] for c in GROUPS[1]} for row in rows}


def due_counts(year: int, today: date) -> dict[int, dict[str, int]]:
    """Lead unit id -> the year's assigned documents due (deadline passed, or closed) and those
    closed by their deadline."""
    rows = (Assignment.objects.filter(due_on__year=year)
            .filter(Q(due_on__lt=today) | Q(closed_on__isnull=False))
            .values("lead_unit_id").order_by()
            .annotate(**{DUE: Count("pk"),
                         ON_TIME: Count("pk", filter=Q(closed_on__lte=F("due_on")))}))
    return {row["lead_unit_id"]: {c: row[c] for c in GROUPS[2]} for row in rows}


def own_counts(year: int, today: date | None = None) -> dict[int, dict[str, int]]:
    """unit id -> count -> the year's figure of the unit's own registers (3 queries)."""
    today = today or timezone.localdate()
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for part in (issued_counts(year), received_counts(year), due_counts(year, today)):
        for unit_id, counts in part.items():
            out[unit_id].update(counts)
    return dict(out)


def rolled_up(own: dict[int, dict[str, int]]) -> dict[int, dict[str, int]]:
    """Each unit's counts with those of every unit below it added, for the units holding
    documents and every unit above them (2 queries): what is published, so that a unit's own
    value is always its whole (the indicators engine takes a unit's own value before the sum
    of those below)."""
    paths = dict(units_matching(ids=own).values_list("pk", "path"))
    codes = {code for path in paths.values() for code in path.strip("/").split("/")}
    by_code = dict(units_matching(codes=codes).values_list("code", "pk"))
    totals: dict[int, Counter[str]] = defaultdict(Counter)
    for unit_id, counts in own.items():
        for code in paths[unit_id].strip("/").split("/"):
            if code in by_code:
                totals[by_code[code]].update(counts)
    return {unit_id: _complete(counts) for unit_id, counts in totals.items()}


def _complete(counts: Counter[str]) -> dict[str, int]:
    """The counts of every group the unit has any count of (zeros written, so that a changed
    figure replaces the earlier one)."""
    out: dict[str, int] = {}
    for group in GROUPS:
        if any(code in counts for code in group):
            out.update({code: int(counts.get(code, 0)) for code in group})
    return out


def year_counts(year: int, today: date | None = None) -> dict[int, dict[str, int]]:
    """unit id -> count -> the year's figure, each unit's covering the units below it."""
    return rolled_up(own_counts(year, today))


def years_with_documents() -> list[int]:
    """The years any document was issued, received or due in (for a full republication)."""
    years: set[int] = set()
    years.update(d.year for d in Document.objects.filter(issued_on__isnull=False)
                 .dates("issued_on", "year"))
    years.update(d.year for d in Document.objects.filter(arrived_at__isnull=False)
                 .datetimes("arrived_at", "year"))
    years.update(d.year for d in Assignment.objects.dates("due_on", "year"))
    return sorted(years)


def illustrative_documents(years: Iterable[int]) -> bool:
    """Whether any illustrative document counts in these years (its figures are then marked
    illustrative)."""
    years = list(years)
    return Document.objects.filter(is_illustrative=True).filter(
        Q(issued_on__year__in=years) | Q(arrived_at__year__in=years)).exists()
