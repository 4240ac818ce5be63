"""The indicators' entry points for the platform's own computations and definition files:
values_publish_computed (bulk, idempotent, one summary event, blocks invalidated) and
indicators_define (the checks of indicator_create, all or nothing, one summary event)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import IndicatorFactory
from tinhso.accounts.permissions import SYSTEM
from tinhso.audit.models import AuditEvent
from tinhso.indicators import audit_events
from tinhso.indicators.models import Indicator, IndicatorValue, PeriodType, ValueStatus
from tinhso.indicators.selectors import compute
from tinhso.indicators.services import indicators_define, values_publish_computed

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts():
    return {code: IndicatorFactory(code=code, measure="count", aggregation="sum")
            for code in ("received", "online")}


def _publish(values, **kwargs):
    return values_publish_computed(source="platform", year=2026, values=values, **kwargs)


def test_computed_values_are_written_in_bulk_as_approved_with_their_source(
        counts, reference_units, django_assert_max_num_queries):
    u = reference_units
    values = {u[code].pk: {"received": 10 + i, "online": i, "not_in_catalogue": 1}
              for i, code in enumerate(("22366", "22333", "56.STC"))}
    with django_assert_max_num_queries(8):  # the same few queries, whatever the units
        assert _publish(values, illustrative=True) == 6
    stored = IndicatorValue.objects.get(indicator=counts["received"], unit=u["22333"])
    assert stored.value == 11 and stored.period == "2026" and stored.status == ValueStatus.APPROVED
    assert stored.source == "platform" and stored.is_illustrative
    assert str(stored.period_start) == "2026-01-01"
    assert _publish({}) == 0


def test_publishing_again_changes_only_what_changed_and_records_one_event_per_change(
        counts, reference_units):
    commune, other = reference_units["22366"], reference_units["22333"]
    values = {commune.pk: {"received": 3, "online": 1}, other.pk: {"received": 0, "online": 0}}
    assert _publish(values) == 4
    events = AuditEvent.objects.filter(action=audit_events.VALUES_COMPUTED)
    assert events.count() == 1
    event = events.get()
    assert event.actor_repr == "system"
    assert event.details == {"source": "platform", "period": "2026", "created": 4, "updated": 0,
                             "indicators": ["online", "received"], "units": 2}
    versions = dict(Indicator.objects.values_list("code", "values_version"))

    assert _publish(values) == 0  # idempotent: nothing written, nothing recorded
    assert events.count() == 1
    assert dict(Indicator.objects.values_list("code", "values_version")) == versions

    values[commune.pk]["online"] = 2
    assert _publish(values) == 1
    assert events.count() == 2 and events.order_by("-pk")[0].details["updated"] == 1
    after = dict(Indicator.objects.values_list("code", "values_version"))
    assert after["online"] > versions["online"] and after["received"] == versions["received"]


def test_the_value_blocks_see_published_values_at_once(counts, reference_units):
    commune = reference_units["22366"]
    _publish({commune.pk: {"received": 5, "online": 2}})
    assert compute(codes=["received"], periods=["2026"]).value(
        "received", commune, "2026") == 5.0  # the blocks are built here
    _publish({commune.pk: {"received": 7, "online": 2}})
    assert compute(codes=["received"], periods=["2026"]).value(
        "received", commune, "2026") == 7.0


def test_a_published_figure_replaces_a_draft_and_is_approved(counts, reference_units):
    commune = reference_units["22366"]
    IndicatorValue.objects.create(indicator=counts["received"], unit=commune, period="2026",
                                  value=4, status=ValueStatus.DRAFT, source="typed")
    assert _publish({commune.pk: {"received": 4}}) == 1
    stored = IndicatorValue.objects.get(indicator=counts["received"], unit=commune)
    assert stored.status == ValueStatus.APPROVED and stored.source == "platform"


def test_computed_values_are_checked(counts, reference_units):
    commune = reference_units["22366"]
    with pytest.raises(ValidationError):
        _publish({commune.pk: {"received": -1}})
    with pytest.raises(ValidationError):
        _publish({commune.pk: {"received": Decimal("1.5")}})
    IndicatorFactory(code="online_rate", formula="online / received * 100",
                     aggregation="formula")
    with pytest.raises(ValidationError, match="online_rate"):
        _publish({commune.pk: {"online_rate": 50}})
    IndicatorFactory(code="monthly", measure="count", period_type=PeriodType.MONTH)
    with pytest.raises(ValidationError, match="monthly"):
        _publish({commune.pk: {"monthly": 1}})
    assert not IndicatorValue.objects.exists()


ROWS = [
    {"code": "rate", "name": "Tỷ lệ", "measure": "percent", "aggregation": "formula",
     "formula": "part / whole * 100"},  # before its inputs: the file is checked as a whole
    {"code": "part", "name": "Phần", "measure": "count"},
    {"code": "whole", "name": "Tổng", "measure": "count"},
]


def test_definitions_are_loaded_once_with_one_summary_event(reference_units):
    counts = indicators_define(ROWS, actor=SYSTEM, source="test.json")
    assert counts == {"created": 3}
    assert Indicator.objects.get(code="rate").formula == "part / whole * 100"
    events = AuditEvent.objects.filter(action=audit_events.INDICATORS_DEFINED)
    assert events.count() == 1
    assert events.get().details == {"source": "test.json", "created": 3, "updated": 0,
                                    "codes": ["rate", "part", "whole"]}
    assert indicators_define(ROWS, actor=SYSTEM, source="test.json") == {"same": 3}
    assert events.count() == 1  # nothing changed, nothing recorded
    changed = [{**ROWS[1], "name": "Phần mới"}]
    assert indicators_define(changed, actor=SYSTEM, source="test.json") == {"updated": 1}
    assert events.count() == 2 and events.order_by("-pk")[0].details["codes"] == ["part"]


def test_definitions_are_checked_as_indicator_create_checks_them(people, reference_units):
    with pytest.raises(ValidationError, match="missing"):
        indicators_define([{**ROWS[0], "formula": "part / missing"}, *ROWS[1:]],
                          actor=SYSTEM, source="t")
    with pytest.raises(ValidationError, match="colour"):
        indicators_define([{**ROWS[1], "colour": "red"}], actor=SYSTEM, source="t")
    with pytest.raises(ValidationError):
        indicators_define([{**ROWS[1], "measure": "no such measure"}], actor=SYSTEM,
                          source="t")
    with pytest.raises(ValidationError):  # a cycle
        indicators_define([{**ROWS[1], "formula": "whole", "aggregation": "formula"},
                           {**ROWS[2], "formula": "part", "aggregation": "formula"}],
                          actor=SYSTEM, source="t")
    assert not Indicator.objects.exists()  # all or nothing
    with pytest.raises(PermissionDenied):
        indicators_define(ROWS, actor=people["reporter"], source="t")
    assert not Indicator.objects.exists()
