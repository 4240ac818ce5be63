"""The public-service catalogue (thủ tục hành chính)."""

from __future__ import annotations

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


def fold(text: str) -> str:
    """Lowercase without Vietnamese diacritics: 'Cấp giấy phép' -> 'cap giay phep'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


class Procedure(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    national_code = models.CharField(_("national code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=300)
    field = models.CharField(_("field"), max_length=200)
    level = models.CharField(_("level"), max_length=20)
    agency = models.CharField(_("implementing agency"), max_length=200)
    online_level = models.CharField(_("online level"), max_length=10,
                                    choices=OnlineLevel.choices)
    time_limit = models.CharField(_("time limit"), max_length=200)
    time_rule = models.JSONField(_("time-limit rule"), default=dict)
    fee = models.CharField(_("fee"), max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    form_schema = models.JSONField(_("form"), default=list, blank=True)
    result_type = models.CharField(_("result"), max_length=20, default="electronic")
    search_text = models.TextField(editable=False, default="")
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["field", "name"]
        verbose_name = _("administrative procedure")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(" ".join([self.name, self.field, self.agency, self.code,
                                          self.national_code]))
        super().save(*args, **kwargs)  # type: ignore[arg-type]
