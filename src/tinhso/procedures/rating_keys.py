"""A rating's copy of its dossier's statistics key (``models.Rating``): the agency, procedure
and channel the statistics count the rating under, so that their rebuild reads the ratings alone
(``aggregate._rated_rows``) rather than looking each rating's dossier up. A dossier's key never
changes once it exists, so the copy, made whenever a rating is written, stays right: by
``Rating.save`` and by the ratings' ``bulk_create`` (:class:`RatingManager`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

# the rating's field, the dossier's
KEY = (("dossier_unit_id", "unit_id"), ("dossier_procedure_id", "procedure_id"),
       ("dossier_channel", "channel"))


def copy_key(rating: Any, dossier: Any) -> None:
    for mine, theirs in KEY:
        setattr(rating, mine, getattr(dossier, theirs))


class RatingManager(models.Manager[Any]):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """Copies each rating's key from its dossier when that is at hand; the ratings given
        neither their dossier nor their key have their dossiers' keys read, in one query."""
        objs = list(objs)
        dossier = self.model._meta.get_field("dossier")
        unknown = []
        for rating in objs:
            if dossier.is_cached(rating):
                copy_key(rating, rating.dossier)
            elif any(getattr(rating, mine) is None for mine, _theirs in KEY):
                unknown.append(rating)
        if unknown:
            keys = dossier.related_model.objects.filter(
                pk__in={r.dossier_id for r in unknown}).only(*(t for _m, t in KEY)).in_bulk()
            for rating in unknown:
                copy_key(rating, keys[rating.dossier_id])
        return super().bulk_create(objs, *args, **kwargs)
