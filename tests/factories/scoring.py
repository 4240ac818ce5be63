"""Published results of an index (``PublishedResult``): a unit's rank, index and main
indicators' values as a national body published them."""

from __future__ import annotations

from decimal import Decimal

import factory

from tests.factories.units import UnitFactory
from tinhso.scoring.models import PublishedResult


class PublishedResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublishedResult

    framework = "dti-province-922"
    year = 2024
    unit = factory.SubFactory(UnitFactory, level="province")
    rank = factory.Sequence(lambda n: n + 1)
    # the field of the year's headline ranking: 63 provinces until 2023, 34 from 2024's
    # results (published after the 2025 merger)
    field_size = factory.LazyAttribute(lambda o: 34 if o.year >= 2024 else 63)
    total = None
    values = factory.LazyFunction(dict)
    source = "Bảng xếp hạng thử"


def published_field(framework: str, year: int, size: int, **own: object) -> list[PublishedResult]:
    """A whole field of ``size`` published results of a year, ranked 1..size, each unit its
    own province; ``own``: (rank -> fields) overrides, keyed 'r<rank>' (r16={"total": ...})."""
    rows = []
    for rank in range(1, size + 1):
        fields = dict(own.get(f"r{rank}", {}))  # type: ignore[call-overload]
        if "total" in fields and fields["total"] is not None:
            fields["total"] = Decimal(str(fields["total"]))
        rows.append(PublishedResultFactory(framework=framework, year=year, rank=rank, **fields))
    return rows
