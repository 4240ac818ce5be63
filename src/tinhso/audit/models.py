"""The audit log: a typed event for every change, written by the service that makes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """The closed list of things that are recorded. Add a member when a service needs one."""

    UNIT_CREATED = "unit.created", _("Unit created")
    UNIT_UPDATED = "unit.updated", _("Unit changed")
    UNITS_IMPORTED = "units.imported", _("Units imported")
    USER_CREATED = "user.created", _("User created")
    USER_UPDATED = "user.updated", _("User changed")
    USER_DEACTIVATED = "user.deactivated", _("User deactivated")
    USER_PASSWORD_SET = "user.password_set", _("Password set")
    ROLE_GRANTED = "role.granted", _("Role granted")
    ROLE_REVOKED = "role.revoked", _("Role revoked")
    TOKEN_CREATED = "token.created", _("API token created")
    TOKEN_REVOKED = "token.revoked", _("API token revoked")
    LOGIN_SUCCEEDED = "auth.login", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Login failed")
    LOGOUT = "auth.logout", _("Logged out")
    INDICATOR_CREATED = "indicator.created", _("Indicator created")
    INDICATOR_UPDATED = "indicator.updated", _("Indicator changed")
    VALUE_SAVED = "value.saved", _("Value saved")
    VALUE_SUBMITTED = "value.submitted", _("Value submitted")
    VALUE_APPROVED = "value.approved", _("Value approved")
    VALUE_RETURNED = "value.returned", _("Value returned")
    VALUE_REOPENED = "value.reopened", _("Value reopened")
    VALUES_IMPORTED = "values.imported", _("Values imported")
    EVIDENCE_ADDED = "evidence.added", _("Evidence added")
    TARGET_SET = "target.set", _("Target set")
    ROUND_OPENED = "round.opened", _("Collection round opened")
    ROUND_REMINDED = "round.reminded", _("Reminders sent")
    RESULTS_IMPORTED = "results.imported", _("Published index results imported")
    ANSWER_SUBMITTED = "answer.submitted", _("Self-assessment answer submitted")
    ANSWER_VERIFIED = "answer.verified", _("Self-assessment answer verified")
    ANSWER_RETURNED = "answer.returned", _("Self-assessment answer returned")
    CALENDAR_CHANGED = "calendar.changed", _("Calendar changed")
    PUBLISHED_LOADED = "published.loaded", _("Published data loaded")
    DEMO_LOADED = "demo.loaded", _("Demo accounts loaded")
    DOSSIER_SUBMITTED = "dossier.submitted", _("Dossier submitted online")
    DOSSIER_RECEIVED = "dossier.received", _("Dossier received")
    DOSSIER_ASSIGNED = "dossier.assigned", _("Dossier assigned")
    DOSSIER_SUPPLEMENT_REQUESTED = "dossier.supplement", _("Supplement requested")
    DOSSIER_SUPPLEMENT_ANSWERED = "dossier.answered", _("Supplement answered")
    DOSSIER_RESUMED = "dossier.resumed", _("Dossier processing resumed")
    DOSSIER_APPROVED = "dossier.approved", _("Dossier approved")
    DOSSIER_REFUSED = "dossier.refused", _("Dossier refused")
    DOSSIER_RESULT_RETURNED = "dossier.returned", _("Result returned")
    DOSSIER_WITHDRAWN = "dossier.withdrawn", _("Dossier withdrawn")
    DOSSIER_APOLOGISED = "dossier.apologised", _("Apology letter issued")
    DOSSIER_RATED = "dossier.rated", _("Dossier rated")
    DOSSIER_COMPLAINED = "dossier.complaint", _("Complaint sent")
    DOSSIERS_IMPORTED = "dossiers.imported", _("Dossiers imported")
    STATISTICS_PUBLISHED = "statistics.published", _("Service statistics published")
    DOCUMENT_CREATED = "document.created", _("Programme document created")
    DOCUMENT_UPDATED = "document.updated", _("Programme document changed")
    TASK_GROUP_SAVED = "task_group.saved", _("Task group saved")
    TASK_CREATED = "task.created", _("Task created")
    TASK_UPDATED = "task.updated", _("Task changed")
    TASK_CANCELLED = "task.cancelled", _("Task cancelled")
    TASK_CLOSED = "task.closed", _("Task done")
    TASK_OVERDUE = "task.overdue", _("Task turned overdue")
    TASKS_IMPORTED = "tasks.imported", _("Tasks imported")
    PROGRESS_REPORTED = "progress.reported", _("Progress reported")
    PROGRESS_ACCEPTED = "progress.accepted", _("Progress report accepted")
    PROGRESS_RETURNED = "progress.returned", _("Progress report returned")
    PROGRAMME_REMINDED = "programme.reminded", _("Programme reminders sent")
    REPORTING_SCHEDULE_SET = "schedule.set", _("Reporting schedule changed")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Kept as text too, so that the record survives the actor's account.
    actor_repr = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices,
                              db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=60, blank=True)
    object_repr = models.CharField(_("object"), max_length=250, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr or '-'} {self.action}"
