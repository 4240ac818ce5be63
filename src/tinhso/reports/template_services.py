"""Replacing a layout's Word template, and restoring its default: the administrators' writes
(``reports.templates``), checked and audited. A replacement is checked whole
(``template_check``) before anything is stored: a refused file leaves no row and no event."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.reports import audit_events
from tinhso.reports.document import Layout
from tinhso.reports.models import ReportTemplate, TemplateLayout
from tinhso.reports.permissions import MANAGE_TEMPLATES
from tinhso.reports.template_check import TemplateRejected, check_template

NAME_MAX = 200


def _layout(layout: str) -> Layout:
    if layout not in TemplateLayout.values:
        raise ValidationError({"layout": _("Unknown layout “%(layout)s”: use state or party.")
                               % {"layout": layout}})
    return "party" if layout == "party" else "state"


@transaction.atomic
def template_replace(*, actor: Any, layout: str, name: str, content: bytes) -> ReportTemplate:
    """Make ``content`` the layout's template, after checking it; the one it replaces is kept,
    inactive."""
    require(actor, MANAGE_TEMPLATES, None)
    checked = _layout(layout)
    try:
        check_template(content, checked)
    except TemplateRejected as exc:
        raise ValidationError({"file": _("The template was not saved: %(reason)s.")
                               % {"reason": exc}}) from exc
    replaced = list(ReportTemplate.objects.select_for_update().filter(layout=checked,
                                                                       active=True))
    ReportTemplate.objects.filter(pk__in=[t.pk for t in replaced]).update(active=False)
    digest = hashlib.sha256(content).hexdigest()
    row = ReportTemplate.objects.create(
        layout=checked, name=(name or f"{checked}.docx")[:NAME_MAX], content=content,
        size=len(content), sha256=digest, uploaded_by=actor if getattr(actor, "pk", None) else None,
        active=True)
    audit_record(actor=actor, action=audit_events.TEMPLATE_REPLACED, obj=row, details={
        "layout": checked, "name": row.name, "size": row.size, "sha256": digest,
        "replaced": [t.pk for t in replaced]})
    return row


@transaction.atomic
def template_restore_default(*, actor: Any, layout: str) -> bool:
    """Go back to the committed default of the layout; False (and nothing recorded) when it
    is already in use."""
    require(actor, MANAGE_TEMPLATES, None)
    checked = _layout(layout)
    active = list(ReportTemplate.objects.select_for_update().filter(layout=checked, active=True))
    if not active:
        return False
    ReportTemplate.objects.filter(pk__in=[t.pk for t in active]).update(active=False)
    audit_record(actor=actor, action=audit_events.TEMPLATE_RESTORED, obj=active[0], details={
        "layout": checked, "replaced": [t.pk for t in active]})
    return True
