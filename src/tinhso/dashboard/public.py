"""The one-stop sections: the officer's desk (what is overdue and due today) and what is asked
of a citizen or a business (supplements, results to collect, ratings to give)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.dashboard.blocks import Item, Need, Section
from tinhso.procedures.queues import marks
from tinhso.procedures.today import applicant_today, desk_today

if TYPE_CHECKING:
    from tinhso.procedures.models import Dossier


def _due(dossier: Dossier) -> str:
    return _("due %(time)s") % {
        "time": date_format(timezone.localtime(dossier.due_at), "SHORT_DATETIME_FORMAT")}


def _desk_item(dossier: Dossier, late: bool) -> Item:
    return Item(f"{dossier.code} · {dossier.procedure.name}",
                reverse("desk:detail", args=[dossier.code]),
                note=f"{dossier.applicant_name} · {_due(dossier)}", late=late)


def officer_section(user: Any) -> Section:
    """The desk's due-today and overdue dossiers first, with links to the queue."""
    desk = desk_today(user)
    queue = reverse("desk:queue")
    section = Section("officer", gettext_lazy("One-stop desk"))
    section.needs = [
        Need("desk-overdue", gettext_lazy("Dossiers overdue"), desk.counts.overdue,
             f"{queue}?mark=overdue", [_desk_item(d, True) for d in desk.overdue]),
        Need("desk-today", gettext_lazy("Dossiers due today"), desk.counts.due_today,
             f"{queue}?mark=today", [_desk_item(d, False) for d in desk.due_today]),
        Need("desk-open", gettext_lazy("Dossiers open at the desk"), desk.counts.open, queue,
             [_desk_item(d, marks(d).overdue) for d in desk.waiting]),
    ]
    section.extra["counts"] = desk.counts
    section.links = [(gettext_lazy("The desk's queue"), queue),
                     (gettext_lazy("Receive a dossier"), reverse("desk:receive"))]
    return section


def _own_item(dossier: Dossier, note: str, anchor: str = "") -> Item:
    return Item(f"{dossier.code} · {dossier.procedure.name}",
                reverse("dossiers:detail", args=[dossier.code]) + anchor, note=note)


def applicant_section(user: Any) -> Section:
    today = applicant_today(user)
    mine = reverse("dossiers:mine")
    section = Section("applicant", gettext_lazy("My dossiers"))
    section.needs = [
        Need("supplement", gettext_lazy("Dossiers waiting for your supplement"),
             today.counts["supplement"], mine,
             [_own_item(d, _("The agency asked for more documents."), "#supplement")
              for d in today.supplement]),
        Need("results", gettext_lazy("Results ready to collect"), today.counts["results"], mine,
             [_own_item(d, _("Resolved: the result is ready.")) for d in today.results]),
        Need("to-rate", gettext_lazy("Services to rate"), today.counts["to_rate"], mine,
             [_own_item(d, _("Tell us how it went."), "#rating") for d in today.to_rate]),
    ]
    section.extra["open"] = today.counts["open"]
    section.links = [(gettext_lazy("All my dossiers"), mine),
                     (gettext_lazy("Public services"), reverse("procedures:catalogue"))]
    return section
