"""What needs a person today, from the scoring side: the self-assessment answers waiting for
the coordinator, and a unit's published ranks over the years (with their field sizes)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from tinhso.accounts.permissions import may_somewhere, scope_paths
from tinhso.core.db import within_paths
from tinhso.scoring.engine import FrameworkError, load_framework
from tinhso.scoring.models import AnswerStatus, PublishedResult, SelfAssessmentAnswer
from tinhso.scoring.selectors import answered_by

if TYPE_CHECKING:
    from tinhso.units.models import Unit


def answers_to_verify(user: Any) -> QuerySet[SelfAssessmentAnswer]:
    """The submitted answers within the user's "scoring.manage" scope that others gave (four
    eyes), oldest first (the verify page lists them per framework and year)."""
    answers = (SelfAssessmentAnswer.objects.filter(status=AnswerStatus.SUBMITTED)
               .exclude(answered_by(user))
               .select_related("unit").order_by("updated_at", "id"))
    if not may_somewhere(user, "scoring.manage"):
        return answers.none()
    paths = scope_paths(user, "scoring.manage")
    return answers if paths is None else answers.filter(within_paths("unit__path", paths))


@dataclass(frozen=True)
class RankPoint:
    framework: str
    method: str  # the framework's name: how the rank was computed
    method_en: str
    year: int
    rank: int
    of: int  # how many units were ranked that year (16/34, 41/63)
    total: Decimal | None
    source: str


def framework_names(code: str) -> tuple[str, str]:
    """The framework's names (Vietnamese, English); its code when it cannot be read."""
    try:
        framework = load_framework(code)
    except FrameworkError:
        return code, code
    return framework.name, framework.name_en or framework.name


def unit_ranks(framework: str, unit: Unit) -> list[RankPoint]:
    """The unit's published ranks by year, each with the size of its field (one query); a
    year ranked in two fields (2024: among 63 and among 34) gives both, the larger first."""
    results = list(PublishedResult.objects.filter(framework=framework, unit=unit)
                   .order_by("year", "-field_size"))
    method, method_en = framework_names(framework)
    return [RankPoint(framework, method, method_en, r.year, r.rank, r.field_size, r.total,
                      r.source) for r in results]
