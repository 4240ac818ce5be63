"""A dossier's fee paid online: recorded on the dossier only when the payment platform has
confirmed it (``tinhso.payments`` verifies the gateway's signed callback, or finds the payment
in the gateway's own list at reconciliation, and then calls :func:`record_online_payment`)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.audit.services import audit_record
from tinhso.procedures import aggregate, audit_events
from tinhso.procedures.models import Dossier, Rating
from tinhso.procedures.notifications import notify
from tinhso.procedures.publication import publish_after_commit
from tinhso.procedures.services.base import lock, now_local, record_event

PAID_ONLINE_EVENT = "pay_online"


def vnd(amount: int) -> str:
    """50000 -> '50.000 đồng' (as Vietnamese write amounts)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


@transaction.atomic
def record_online_payment(*, dossier: Dossier, amount: int, reference: str, gateway: str,
                          at: datetime | None = None) -> bool:
    """Mark the dossier paid online, with its public event, its audit event and its count in
    the statistics, in one transaction with the dossier's row locked. Only the payments app
    calls it, once the gateway's confirmation is verified (the caller is the gateway: there is
    no user). False, changing nothing, when the dossier was already paid online (a second
    confirmation is no second payment of the dossier)."""
    locked = lock(dossier)
    if locked.paid_online:
        return False
    if not locked.fee_payable:
        raise ValidationError(_("Dossier %(code)s has no fee to pay.") % {"code": locked.code})
    when = now_local(at)
    rating = Rating.objects.filter(dossier=locked).first()
    before = aggregate.snapshot(locked, rating)
    locked.paid_online = True
    locked.save(update_fields=["paid_online", "updated_at"])
    note = _("%(amount)s, receipt %(reference)s") % {"amount": vnd(amount),
                                                       "reference": reference}
    record_event(locked, PAID_ONLINE_EVENT, None, when, note, actor_label=gateway)
    audit_record(actor=None, action=audit_events.DOSSIER_PAID_ONLINE, obj=locked,
                 unit=locked.unit, actor_label=gateway,
                 details={"amount": amount, "reference": reference})
    aggregate.apply_change(before, aggregate.snapshot(locked, rating))
    publish_after_commit(locked)
    notify(dossier=locked, subject=_("Dossier %(code)s: fee paid") % {"code": locked.code},
           body=_("The fee of dossier %(code)s (%(amount)s) was paid online; payment reference "
                  "%(reference)s.") % {"code": locked.code, "amount": vnd(amount),
                                       "reference": reference})
    dossier.paid_online = True
    return True
