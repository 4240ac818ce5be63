"""Checking who may see each document against what its relations say: ``Document.reach`` is
kept at every step of the handling (``base.reach_refresh``); this finds a document whose stored
reach differs (after a restore from backup or a change made in the database by hand, say), and
mends it, audited (``tinhso documents reach [--fix]``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from tinhso.accounts.permissions import require
from tinhso.audit.services import audit_record
from tinhso.documents import audit_events
from tinhso.documents.access import reaches
from tinhso.documents.models import Document

CHUNK = 2000
SHOWN = 50  # the ids kept for the report (the count is whole)


@dataclass
class ReachReport:
    checked: int = 0
    differing: int = 0
    examples: list[int] = field(default_factory=list)  # the first SHOWN differing ids
    fixed: bool = False


def reach_check(*, actor: Any, fix: bool = False) -> ReachReport:
    """Compare every document's stored reach with ``access.reaches``; with ``fix``, store the
    right one (in one transaction, with one audit event naming how many and which)."""
    require(actor, "documents.register", None)
    report = ReachReport(fixed=fix)
    with transaction.atomic():
        last = 0
        while True:
            chunk = list(Document.objects.filter(pk__gt=last).order_by("pk")[:CHUNK])
            if not chunk:
                break
            right_reaches = reaches(chunk)  # a few queries a chunk, not a few a document
            for document in chunk:
                report.checked += 1
                right = right_reaches[document.pk]
                if right == document.reach:
                    continue
                report.differing += 1
                if len(report.examples) < SHOWN:
                    report.examples.append(document.pk)
                if fix:
                    Document.objects.filter(pk=document.pk).update(reach=right)
            last = chunk[-1].pk
        if fix and report.differing:
            audit_record(actor=actor, action=audit_events.DOCUMENT_REACH_FIXED,
                         details={"documents": report.differing, "first": report.examples})
    return report
