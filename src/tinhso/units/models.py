"""Administrative units and agencies: one hierarchy of any depth, with validity dates.

A unit is valid from ``valid_from`` (open when empty) to ``valid_to`` (inclusive, open when
empty). When a unit ends by merging into another, ``successor`` says which. A unit that goes on
through a reorganisation keeps its row (and code); a renaming is kept in ``former_names``.

``path`` is a materialised path of codes (``/VN/56/568/``) kept by the services, so that "this
unit and every unit below it" is one indexed prefix query: the scope of every role.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


def valid_on_q(on: date, prefix: str = "") -> Q:
    """The condition 'valid on this date' for units (or related units, through ``prefix``)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class UnitQuerySet(models.QuerySet["Unit"]):
    def valid_on(self, on: date) -> UnitQuerySet:
        return self.filter(valid_on_q(on))

    def within(self, unit: Unit) -> UnitQuerySet:
        """The unit and every unit below it, at any date."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    code = models.CharField(
        _("code"), max_length=40, unique=True,
        help_text=_("Official code (GSO administrative code, or agency code)."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=40, blank=True,
        help_text=_("As named in Vietnamese: tỉnh, thành phố, sở, phường, xã, đặc khu..."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=400, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("successor"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    code_is_official = models.BooleanField(_("official code"), default=True)
    former_names = models.JSONField(
        _("former names"), default=list, blank=True,
        help_text=_('[{"name": "...", "valid_to": "YYYY-MM-DD"}], oldest first'),
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("Not from a published source: invented or inferred for the demonstration."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def agency_code(self) -> str:
        """The national agency code (mã định danh, used in dossier codes and as the edXML
        OrganId) when the unit has one (``attributes.agency_code``), else its own code."""
        return str((self.attributes or {}).get("agency_code") or self.code)

    def is_valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    def name_on(self, on: date | None) -> str:
        """The name the unit had on a date (former names are kept with their end date)."""
        if on is not None:
            for entry in self.former_names:
                if on <= date.fromisoformat(entry["valid_to"]):
                    return str(entry["name"])
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.strip("/").split("/") if code][:-1]

    def as_event_details(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "parent": self.parent.code if self.parent_id and self.parent else None,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "successor": self.successor.code if self.successor_id and self.successor else None,
        }
