from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tests.factories import citizen, grant, staff_user
from tinhso.accounts.permissions import SYSTEM, may, may_somewhere, register_action, require

pytestmark = pytest.mark.django_db


def test_a_role_covers_its_unit_and_every_unit_below(reference_units):
    admin = staff_user(unit=reference_units["56"])
    grant(admin, "administrator", reference_units["56"])
    assert may(admin, "units.manage", reference_units["56"])
    assert may(admin, "units.manage", reference_units["56.STC"])
    assert may(admin, "units.manage", reference_units["22366"])
    assert not may(admin, "units.manage", reference_units["58"])  # another province
    assert not may(admin, "units.manage", reference_units["VN"])  # above
    assert not may(admin, "units.manage", None)  # the whole system


def test_a_role_held_lower_does_not_reach_up_or_sideways(reference_units):
    reporter = staff_user(unit=reference_units["56.STC"])
    grant(reporter, "administrator", reference_units["56.STC"])
    assert may(reporter, "units.manage", reference_units["56.STC"])
    assert not may(reporter, "units.manage", reference_units["56.SYT"])
    assert not may(reporter, "units.manage", reference_units["56"])


def test_the_role_must_be_one_the_action_names(reference_units):
    leader = staff_user(unit=reference_units["56"])
    grant(leader, "leader", reference_units["56"])
    assert may(leader, "dashboard.view", reference_units["56.STC"])
    assert not may(leader, "units.manage", reference_units["56.STC"])
    assert may_somewhere(leader, "dashboard.view")
    assert not may_somewhere(leader, "audit.view")


def test_a_root_administrator_may_do_everything(admin_user, reference_units):
    assert may(admin_user, "units.manage", None)
    assert may(admin_user, "users.manage", reference_units["22366"])


def test_nobody_else_may(reference_units):
    assert not may(AnonymousUser(), "units.manage", reference_units["56"])
    assert not may(None, "units.manage", reference_units["56"])
    person = citizen()
    assert not may(person, "dashboard.view", reference_units["56"])
    inactive = staff_user(unit=reference_units["56"], is_active=False)
    grant(inactive, "administrator", reference_units["56"])
    assert not may(inactive, "units.manage", reference_units["56"])


def test_the_system_actor_may_do_everything(reference_units):
    assert may(SYSTEM, "units.manage", None)


def test_refusal_says_what_and_where(reference_units):
    user = staff_user(unit=reference_units["56"])
    with pytest.raises(PermissionDenied, match=r"create and change units.*Khánh Hòa \(56\)"):
        require(user, "units.manage", reference_units["56"])


def test_unknown_actions_and_roles_are_errors(reference_units):
    with pytest.raises(KeyError):
        may(SYSTEM, "no.such.action", None)
    with pytest.raises(ValueError, match="unknown roles"):
        register_action("x.y", {"emperor"}, "rule")
