"""The query forms of the document office's deadline rules (``rules.overdue``,
``rules.due_soon``), tested to agree with them: filters over documents (``prefix`` =
``"assignment__"``, the default) or over handling slips (``prefix=""``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q


def overdue_q(today: date, prefix: str = "assignment__") -> Q:
    """Directed, past the deadline (the deadline day itself is still in time), not closed."""
    return Q(**{f"{prefix}due_on__lt": today, f"{prefix}closed_on__isnull": True})


def due_soon_q(today: date, limit: date, prefix: str = "assignment__") -> Q:
    """Directed, not overdue yet, due by ``limit``, not closed."""
    return Q(**{f"{prefix}due_on__gte": today, f"{prefix}due_on__lte": limit,
                f"{prefix}closed_on__isnull": True})
