"""Keep the value blocks honest: any saved or deleted value makes its indicator's blocks stale.

(A projection's invalidation, not business logic: it must follow every write, whichever code
makes it. Bulk writes call ``blocks.values_changed`` themselves.)
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tinhso.indicators.blocks import values_changed
from tinhso.indicators.models import IndicatorValue


@receiver(post_save, sender=IndicatorValue)
@receiver(post_delete, sender=IndicatorValue)
def on_value_change(sender: Any, instance: IndicatorValue, **kwargs: Any) -> None:
    values_changed([instance.indicator_id])
