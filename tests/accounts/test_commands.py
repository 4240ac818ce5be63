from __future__ import annotations

import pytest
from django.core.management import CommandError

from tests.helpers import run_command as run
from tinhso.accounts import audit_events
from tinhso.accounts.models import User
from tinhso.accounts.selectors import user_for_token
from tinhso.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_a_staff_user_with_a_role_and_a_token(reference_units):
    run("users", "create", "ketoan", "--unit", "56.STC", "--role", "unit_reporter",
        "--password", "Mot-mat-khau-dai-2026")
    user = User.objects.get(username="ketoan")
    assert user.unit.code == "56.STC"
    assert "unit_reporter@56.STC" in run("users", "list")
    token = run("tokens", "create", "ketoan", "script").strip()
    assert user_for_token(token) == user
    event = AuditEvent.objects.get(action=audit_events.USER_CREATED)
    assert event.actor is None and event.actor_repr == "system"
    prefix = token[:12]
    run("tokens", "revoke", prefix)
    assert user_for_token(token) is None


def test_commands_name_what_is_wrong(reference_units):
    with pytest.raises(CommandError, match="no unit with code 'XX'"):
        run("users", "create", "a", "--unit", "XX", "--password", "Mot-mat-khau-dai-2026")
    with pytest.raises(CommandError, match=r"too short|too common|entirely numeric"):
        run("users", "create", "b", "--unit", "56", "--password", "123")
    with pytest.raises(CommandError, match="no user 'ghost'"):
        run("tokens", "create", "ghost", "x")
