"""Collection rounds: who must report what for a period, who has, and reminders to the late.

DHIS2's reporting rate: a unit has reported when every value it owes for the round is at least
submitted; the rate is the share of units that have.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tinhso.accounts.permissions import may, require, scope_paths
from tinhso.accounts.selectors import role_holder_emails_at_or_above
from tinhso.audit.services import audit_record
from tinhso.core.periods import parse_period
from tinhso.core.tasks import enqueue_with_transaction
from tinhso.indicators import audit_events
from tinhso.indicators.models import CollectionRound, Indicator, IndicatorValue, ValueStatus
from tinhso.indicators.permissions import scopes_q

if TYPE_CHECKING:
    from tinhso.units.models import Unit


def owed(indicators: list[Indicator], unit: Unit) -> list[Indicator]:
    """The round's indicators this unit reports (entered ones, at its level)."""
    return [i for i in indicators if not i.formula
            and (not i.reporting_levels or unit.level in i.reporting_levels)]


@transaction.atomic
def round_open(*, actor: Any, title: str, period: str, deadline: date,
               indicators: list[Indicator], units: list[Unit], owner_unit: Unit
               ) -> CollectionRound:
    require(actor, "indicators.define", owner_unit)
    errors: dict[str, list[str]] = {}
    try:
        parse_period(period)
    except ValueError as exc:
        errors["period"] = [str(exc)]
    if not indicators:
        errors["indicators"] = [_("Choose at least one indicator.")]
    if not units:
        errors["units"] = [_("Choose at least one reporting unit.")]
    outside = [u.name for u in units if not u.path.startswith(owner_unit.path)]
    if outside:
        errors["units"] = [_("Not within %(owner)s: %(units)s")
                           % {"owner": owner_unit.name, "units": ", ".join(outside)}]
    nothing_owed = [u.name for u in units if not owed(indicators, u)]
    if units and nothing_owed and "units" not in errors:
        errors["units"] = [_("These units report none of the indicators: %s")
                           % ", ".join(nothing_owed)]
    if errors:
        raise ValidationError(errors)
    collection = CollectionRound.objects.create(
        title=title.strip(), period=period, deadline=deadline, owner_unit=owner_unit,
        created_by=actor if getattr(actor, "pk", None) else None)
    collection.indicators.set(indicators)
    collection.units.set(units)
    audit_record(actor=actor, action=audit_events.ROUND_OPENED, obj=collection, unit=owner_unit,
                 details={"period": period, "deadline": deadline.isoformat(),
                          "indicators": [i.code for i in indicators],
                          "units": [u.code for u in units]})
    return collection


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    owed: int
    entered: int
    submitted: int
    approved: int
    returned: int
    late: bool

    @property
    def has_reported(self) -> bool:
        return self.owed > 0 and self.submitted + self.approved >= self.owed

    @property
    def state(self) -> str:
        if self.owed and self.approved >= self.owed:
            return "approved"
        if self.has_reported:
            return "submitted"
        if self.returned:
            return "returned"
        return "in_progress" if self.entered else "not_started"


@dataclass(frozen=True)
class Completeness:
    round: CollectionRound
    units: list[UnitProgress]

    @property
    def reported(self) -> int:
        return sum(1 for u in self.units if u.has_reported)

    @property
    def rate(self) -> float:
        return 100.0 * self.reported / len(self.units) if self.units else 0.0

    @property
    def late(self) -> list[UnitProgress]:
        return [u for u in self.units if u.late]


def completeness(collection: CollectionRound, today: date | None = None) -> Completeness:
    """Per unit: values owed, entered, submitted, approved; late after the deadline (3 queries)."""
    today = today or timezone.localdate()
    indicators = list(collection.indicators.all())
    units = list(collection.units.order_by("path"))
    statuses = Counter(
        IndicatorValue.objects.filter(
            indicator__in=indicators, unit__in=units, period=collection.period
        ).values_list("unit_id", "status")
    )
    rows = []
    for unit in units:
        count = len(owed(indicators, unit))
        submitted = statuses[(unit.pk, ValueStatus.SUBMITTED)]
        approved = statuses[(unit.pk, ValueStatus.APPROVED)]
        returned = statuses[(unit.pk, ValueStatus.RETURNED)]
        entered = submitted + approved + returned + statuses[(unit.pk, ValueStatus.DRAFT)]
        reported = count > 0 and submitted + approved >= count
        rows.append(UnitProgress(unit, count, entered, submitted, approved, returned,
                                 late=collection.is_open and today > collection.deadline
                                 and not reported))
    return Completeness(collection, rows)


def rounds_to_report(user: Any) -> list[tuple[CollectionRound, list[Unit]]]:
    """Open rounds with the units of the user's scope that must report in them."""
    paths = scope_paths(user, "indicators.enter")
    result = []
    for collection in CollectionRound.objects.filter(is_open=True).prefetch_related("units") \
            .order_by("deadline"):
        units = [u for u in collection.units.all()
                 if paths is None or any(u.path.startswith(p) for p in paths)]
        if units:
            result.append((collection, units))
    return result


# Who sees a round whole (its board page): whoever runs it or watches its owner's dashboards.
BOARD = ("indicators.define", "dashboard.view")


def round_units_visible(user: Any, collection: CollectionRound) -> list[Unit]:
    """The units of a round whose progress ``user`` sees: every one where they see its board,
    else those they report for (their "to report" page); none: the round is not theirs."""
    units = list(collection.units.order_by("path"))
    if any(may(user, action, collection.owner_unit) for action in BOARD):
        return units
    return [u for u in units if may(user, "indicators.enter", u)]


def visible_rounds(user: Any) -> QuerySet[CollectionRound]:
    """The query form of :func:`round_units_visible`: the rounds where it gives a unit (or the
    board), the latest deadline first, with their owners."""
    rounds = CollectionRound.objects.select_related("owner_unit").order_by("-deadline", "-id")
    board = scopes_q(user, BOARD, "owner_unit__path")
    reports = scopes_q(user, ["indicators.enter"], "units__path")
    if board is None:
        return rounds
    reporting = CollectionRound.objects.filter(
        Q(units__isnull=False) if reports is None else reports).values("pk")
    return rounds.filter(board | Q(pk__in=reporting))


def reporters_of(units: list[Unit]) -> dict[int, list[str]]:
    """E-mail addresses of the unit reporters answerable for each unit (its own or above)."""
    emails = role_holder_emails_at_or_above("unit_reporter", [unit.path for unit in units])
    return {unit.pk: emails[unit.path] for unit in units}


@task()
def send_round_reminders(round_id: int) -> int:
    """E-mail the reporters of every late unit of a round; returns the number of e-mails."""
    collection = CollectionRound.objects.get(pk=round_id)
    late = completeness(collection).late
    addresses = reporters_of([row.unit for row in late])
    messages = []
    for row in late:
        for address in addresses.get(row.unit.pk, []):
            subject = f"[tỉnh số] Nhắc báo cáo: {collection.title}"
            body = (f"Kính gửi {row.unit.name},\n\n"
                    f"Đợt thu thập số liệu \"{collection.title}\" (kỳ {collection.period}) "
                    f"đã quá hạn ngày {collection.deadline:%d/%m/%Y}. Đơn vị đã gửi "
                    f"{row.submitted + row.approved}/{row.owed} chỉ tiêu.\n"
                    "Vui lòng tải mẫu Excel, nhập số liệu và gửi lại trên hệ thống.\n")
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)


@transaction.atomic
def round_remind(*, actor: Any, collection: CollectionRound) -> int:
    """Queue reminders to the late units (sent after commit by the task worker)."""
    require(actor, "indicators.define", collection.owner_unit)
    late = completeness(collection).late
    audit_record(actor=actor, action=audit_events.ROUND_REMINDED, obj=collection,
                 unit=collection.owner_unit, details={"late_units": [r.unit.code for r in late]})
    if late:
        enqueue_with_transaction(send_round_reminders, collection.pk)
    return len(late)
