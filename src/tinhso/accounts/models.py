"""People: staff of units with roles, citizens and businesses; API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    UNIT_REPORTER = "unit_reporter", _("Unit reporter")
    APPROVER = "approver", _("Approver")
    OFFICER = "officer", _("Officer")
    LEADER = "leader", _("Leader")
    CLERK = "clerk", _("Clerk")  # văn thư: registers, numbers and dispatches documents


class User(AbstractUser):
    kind = models.CharField(_("kind"), max_length=20, choices=UserKind.choices,
                            default=UserKind.STAFF)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
        help_text=_("The unit a staff member belongs to."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    national_id = models.CharField(_("citizen identity number"), max_length=12, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    organisation_name = models.CharField(_("organisation name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("A demonstration account.")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="staff") | Q(unit__isnull=True),
                name="user_only_staff_belong_to_a_unit",
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.organisation_name or self.username


class RoleAssignment(models.Model):
    """A role held by a staff user, whose scope is ``unit`` and every unit below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("role assignment")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.unit.code}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is kept; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
