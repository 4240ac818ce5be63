"""Units: ``UnitFactory`` (which sets the materialised path itself) and the home province."""

from __future__ import annotations

from typing import Any

import factory
from django.conf import settings

from tinhso.units.models import Level, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử {n}")
    level = Level.COMMUNE
    parent = None

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        parent = kwargs.get("parent")
        kwargs["path"] = f"{parent.path if parent else '/'}{kwargs['code']}/"
        kwargs["depth"] = parent.depth + 1 if parent else 0
        return super()._create(model_class, *args, **kwargs)


def home_unit() -> Unit:
    """The home province (``settings.TINHSO_HOME_UNIT``): the loaded reference unit when there
    is one, else a bare province of that code. Load ``reference_units`` first when a test needs
    both."""
    home = Unit.objects.filter(code=settings.TINHSO_HOME_UNIT).first()
    if home is None:
        home = UnitFactory(code=settings.TINHSO_HOME_UNIT, name="Tỉnh thử",
                           level=Level.PROVINCE)
    return home
