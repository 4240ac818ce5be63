"""Stored results of index frameworks: published rankings (imported) and computed scores."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RankBasis(models.TextChoices):
    """How a rank was found: as published, inferred (from a listing's order) or derived (from
    another year's rank and a published change)."""

    PUBLISHED = "published", _("Published")
    INFERRED = "inferred", _("Inferred")
    DERIVED = "derived", _("Derived")


class PublishedResult(models.Model):
    """A unit's result as a national body published it: its rank, and values where given.

    A result set is (framework, year, field size): in 2024 the same assessment was ranked among
    the 63 provinces and among the 34 after the merger. A rank found only as a range (the
    bottom three, order unknown) keeps its best place in ``rank`` and its worst in ``rank_to``.
    """

    framework = models.CharField(_("framework"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    field_size = models.PositiveSmallIntegerField(
        _("field size"), help_text=_("How many units the ranking compared (63, 34)."))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT,
                             related_name="published_results")
    published_name = models.CharField(_("published name"), max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"))
    rank_to = models.PositiveSmallIntegerField(_("rank (worst of a range)"), null=True,
                                               blank=True)
    rank_basis = models.CharField(_("rank basis"), max_length=10, choices=RankBasis.choices,
                                  default=RankBasis.PUBLISHED)
    rank_note = models.CharField(_("rank note"), max_length=300, blank=True)
    total_note = models.CharField(_("index note"), max_length=200, blank=True,
                                  help_text=_("An index published only as a range or in words."))
    total = models.DecimalField(_("index"), max_digits=10, decimal_places=6, null=True,
                                blank=True)
    values = models.JSONField(_("main indicator values"), default=dict, blank=True)
    recomputed = models.DecimalField(_("recomputed index"), max_digits=10, decimal_places=6,
                                     null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["framework", "year", "field_size", "rank", "unit__code"]
        verbose_name = _("published result")
        constraints = [
            models.UniqueConstraint(fields=["framework", "year", "field_size", "unit"],
                                    name="published_result_unique_in_field"),
            models.CheckConstraint(condition=models.Q(rank_to__isnull=True)
                                   | models.Q(rank_to__gt=models.F("rank")),
                                   name="published_result_range_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.year} {self.unit_id}: {self.rank}"


class FrameworkPoints(models.Model):
    """The points of a framework's main indicators as an administrator entered them (the
    official table, once known), replacing the framework file's assumed points. The latest
    row is in force; earlier rows are the history."""

    framework = models.CharField(_("framework"), max_length=60, db_index=True)
    points = models.JSONField(_("points per main indicator"))
    basis = models.CharField(_("basis"), max_length=300,
                             help_text=_("The document that publishes these points."))
    entered_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-entered_at", "-id"]
        verbose_name = _("framework points")
        verbose_name_plural = _("framework points")

    def __str__(self) -> str:
        return f"{self.framework}: {self.points}"


class ScoreInput(models.Model):
    """One input of a framework for a unit and year: a main indicator's value in [0, 1] or a
    component's input, with where it came from."""

    framework = models.CharField(_("framework"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="score_inputs")
    code = models.CharField(_("input"), max_length=60)
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=300)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("score input")
        constraints = [
            models.UniqueConstraint(fields=["framework", "year", "unit", "code"],
                                    name="score_input_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.year} {self.unit_id} {self.code}={self.value}"


class AnswerStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


def answer_evidence_path(instance: SelfAssessmentAnswer, filename: str) -> str:
    return f"self-assessment/{instance.framework}/{instance.year}/{instance.unit_id}/{filename}"


class SelfAssessmentAnswer(models.Model):
    """A unit's answer to one input of a framework, with evidence, until the coordinator
    verifies it (then it becomes a ScoreInput) or returns it with a reason."""

    framework = models.CharField(_("framework"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT,
                             related_name="self_assessment_answers")
    code = models.CharField(_("input"), max_length=60)
    value = models.FloatField(_("value"))
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=answer_evidence_path, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AnswerStatus.choices,
                              default=AnswerStatus.SUBMITTED)
    return_reason = models.TextField(_("reason for return"), blank=True)
    answered_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    verified_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-assessment answer")
        constraints = [
            models.UniqueConstraint(fields=["framework", "year", "unit", "code"],
                                    name="self_assessment_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.year} {self.unit_id} {self.code}={self.value}"
