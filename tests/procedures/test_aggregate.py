"""The statistics aggregate's rebuild (one INSERT ... SELECT in the database) against the Python
form of what a dossier counts (``aggregate.contribution``, which every action applies)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

import pytest
from django.db.models import F

from tests.factories import DossierFactory
from tests.procedures.conftest import VN
from tinhso.procedures import aggregate
from tinhso.procedures.models import Channel, Dossier, DossierStat, DossierStatus, Rating

pytestmark = pytest.mark.django_db

BIRTH = "Đăng ký khai sinh"
SEP, OCT, NOV, DEC = (date(2026, m, 1) for m in (9, 10, 11, 12))


def _at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=VN)


def _contributions() -> dict[aggregate.Key, Counter[str]]:
    """The aggregate as the actions build it: every dossier's contribution, summed."""
    out: dict[aggregate.Key, Counter[str]] = defaultdict(Counter)
    for dossier in Dossier.objects.all():
        rating = Rating.objects.filter(dossier=dossier).first()
        for key, counts in aggregate.contribution(aggregate.snapshot(dossier, rating)).items():
            out[key].update(counts)
    return out


def _stored() -> dict[aggregate.Key, Counter[str]]:
    return {(r.unit_id, r.procedure_id, r.month, r.channel):
            Counter({c: getattr(r, c) for c in aggregate.COUNTS if getattr(r, c)})
            for r in DossierStat.objects.all()}


@pytest.fixture
def boundary(catalogue, reference_units):
    """Dossiers whose events fall either side of a month's end in Vietnam's time (UTC is still
    in the earlier month until 07:00): approved, refused, returned, withdrawn, rated, open."""
    birth, units = catalogue[BIRTH], reference_units

    def make(unit: str = "22366", **fields) -> Dossier:
        return DossierFactory(procedure=birth, unit=units[unit], **{"fee_payable": False,
                                                                    **fields})

    approved = make(channel=Channel.ONLINE, status=DossierStatus.APPROVED,
                    received_at=_at(10, 31, 23, 59), finished_at=_at(11, 1), on_time=True,
                    fee_payable=True, paid_online=True, digitised=True, reused_data=True,
                    population_data=True, electronic_result=True)
    Rating.objects.create(dossier=approved, level=5, at=_at(12, 1, 0, 30))
    refused = make(status=DossierStatus.REFUSED, received_at=_at(10, 1),
                   finished_at=_at(10, 31, 23, 59, 59), on_time=False, electronic_result=True,
                   refusal_reason="Không đủ điều kiện")
    Rating.objects.create(dossier=refused, level=1, at=_at(11, 1))
    make(status=DossierStatus.WITHDRAWN, received_at=_at(9, 30, 23, 30),
         withdrawn_at=_at(10, 1))
    make("22333", status=DossierStatus.RETURNED, received_at=_at(11, 30, 23, 59),
         finished_at=_at(12, 1), returned_at=_at(12, 1, 1), on_time=True,
         electronic_result=False, population_data=True)
    make("22333", status=DossierStatus.PROCESSING, received_at=_at(12, 1), digitised=True)
    # Decided years ahead (a mistyped year): beyond the months PostgreSQL looks up, converted.
    make("22333", channel=Channel.POSTAL, status=DossierStatus.APPROVED,
         received_at=_at(12, 1), finished_at=datetime(2031, 1, 1, tzinfo=VN), on_time=True)
    return birth, units


def test_the_rebuild_counts_each_event_in_its_local_month_as_the_actions_do(boundary):
    birth, units = boundary
    assert aggregate.rebuild() == DossierStat.objects.count() == len(_contributions())
    stored = _stored()
    assert stored == _contributions()
    # Every count is exercised.
    assert {c for counts in stored.values() for c in counts} == set(aggregate.COUNTS)
    # The months are Vietnam's: received 23:59 on 31/10, approved at midnight, rated at 00:30.
    here = (units["22366"].pk, birth.pk)
    assert stored[(*here, OCT, Channel.ONLINE)] == Counter(
        received=1, fee_payable=1, paid_online=1, digitised=1, reused_data=1, population_data=1)
    assert stored[(*here, NOV, Channel.ONLINE)] == Counter(
        resolved=1, resolved_on_time=1, electronic_result=1)
    assert stored[(*here, DEC, Channel.ONLINE)] == Counter(rated=1, satisfied=1)
    # The refusal and the withdrawal in October; the refusal's result is not electronic.
    assert stored[(*here, SEP, Channel.IN_PERSON)] == Counter(received=1)
    assert stored[(*here, OCT, Channel.IN_PERSON)] == Counter(received=1, resolved=1,
                                                              refused=1, withdrawn=1)
    assert stored[(*here, NOV, Channel.IN_PERSON)] == Counter(rated=1)
    other = (units["22333"].pk, birth.pk)
    assert stored[(*other, NOV, Channel.IN_PERSON)] == Counter(received=1, population_data=1)
    assert stored[(*other, DEC, Channel.IN_PERSON)] == Counter(received=1, resolved=1,
                                                               resolved_on_time=1, digitised=1)
    assert stored[(*other, date(2031, 1, 1), Channel.POSTAL)] == Counter(
        resolved=1, resolved_on_time=1, electronic_result=1)


def test_a_rating_carries_its_dossiers_key_however_it_is_written(boundary):
    """The statistics read a rating's agency, procedure and channel from the rating
    (rating_keys): save() and bulk_create copy them from the dossier, object or id alone."""
    birth, units = boundary
    given, by_id, edited = (DossierFactory(procedure=birth, unit=units[u], channel=channel,
                                           status=DossierStatus.RETURNED)
                            for u, channel in (("22333", "postal"), ("22366", "online"),
                                               ("22333", "in_person")))
    Rating.objects.bulk_create([Rating(dossier=given, level=4, at=_at(12, 2)),
                                Rating(dossier_id=by_id.pk, level=2, at=_at(12, 3))])
    rating = Rating(dossier=edited, level=3, at=_at(12, 4), dossier_unit_id=units["22366"].pk)
    rating.save()
    assert Rating.objects.count() == 5
    assert not Rating.objects.exclude(
        dossier_unit_id=F("dossier__unit_id"), dossier_procedure_id=F("dossier__procedure_id"),
        dossier_channel=F("dossier__channel")).exists()
    assert aggregate.rebuild() == len(_contributions())
    assert _stored() == _contributions()


def test_a_partial_rebuild_rewrites_only_the_agencies_of_the_given_dossiers(boundary):
    birth, units = boundary
    aggregate.rebuild()
    other = DossierStat.objects.filter(unit=units["22333"])
    other.update(received=99)  # a stale row of another agency: left as it is
    kept = sorted(other.values_list("month", "received"))
    DossierStat.objects.filter(unit=units["22366"]).update(received=99)
    Dossier.objects.filter(unit=units["22366"], status=DossierStatus.WITHDRAWN).update(
        status=DossierStatus.PROCESSING, withdrawn_at=None)

    written = aggregate.rebuild(Dossier.objects.filter(unit=units["22366"], channel="online"))

    assert written == DossierStat.objects.filter(unit=units["22366"]).count() == 6
    assert sorted(other.values_list("month", "received")) == kept
    assert {k: v for k, v in _stored().items() if k[0] == units["22366"].pk} == {
        k: v for k, v in _contributions().items() if k[0] == units["22366"].pk}
    here = (units["22366"].pk, birth.pk)
    assert _stored()[(*here, OCT, Channel.IN_PERSON)] == Counter(received=1, resolved=1,
                                                                 refused=1)


def test_a_rebuild_deletes_rows_no_dossier_has_and_leaves_right_rows_unwritten(boundary):
    from django.db import connection

    birth, units = boundary
    aggregate.rebuild()
    right = _stored()
    DossierStat.objects.create(unit=units["22333"], procedure=birth, month=SEP,
                               channel=Channel.POSTAL, received=7)  # no dossier has it

    def versions() -> list[str]:  # PostgreSQL: each row's version (changes when written)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, xmin::text FROM procedures_dossierstat ORDER BY id")
            return cursor.fetchall()

    before = versions() if connection.vendor == "postgresql" else None
    assert aggregate.rebuild() == len(right)
    assert _stored() == right == _contributions()
    if before is not None:
        assert versions() == before[:-1]  # the stray row gone, no other row written again


def test_the_rebuilds_planner_settings_end_with_its_statement(boundary):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the planner settings are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_sort'), current_setting('jit')")
        before = cursor.fetchone()
        aggregate.rebuild()
        cursor.execute("SELECT current_setting('enable_sort'), current_setting('jit')")
        assert cursor.fetchone() == before
