from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, staff_user
from tinhso.accounts import audit_events
from tinhso.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR="10.0.0.1", **extra)


def test_login_and_logout(client, reference_units):
    user = staff_user(unit=reference_units["56"], username="canbo")
    response = login(client, "canbo")
    assert response.status_code == 302 and response["Location"] == "/me/"  # the landing page
    assert AuditEvent.objects.filter(action=audit_events.LOGIN_SUCCEEDED, actor=user).exists()
    page = client.get("/")
    assert user.display_name in page.content.decode()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=audit_events.LOGOUT, actor=user).exists()


def test_a_wrong_password_says_so_and_is_recorded(client, reference_units):
    staff_user(unit=reference_units["56"], username="canbo")
    response = login(client, "canbo", "sai-mat-khau")
    assert response.status_code == 200
    assert 'data-testid="login-error"' in response.content.decode()
    assert AuditEvent.objects.filter(action=audit_events.LOGIN_FAILED,
                                     details__username="canbo").exists()


def test_login_attempts_are_throttled(client, reference_units, settings):
    staff_user(unit=reference_units["56"], username="canbo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo", "sai-mat-khau")
    # Now even the right password is refused for a while.
    response = login(client, "canbo")
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_chosen_language_follows_the_user(client, reference_units):
    user = staff_user(unit=reference_units["56"], username="canbo", preferred_language="en")
    response = login(client, "canbo")
    assert response.cookies["django_language"].value == "en"
    client.cookies.clear()
    client.force_login(user)
    client.post(reverse("web:set_language"), {"language": "vi", "next": "/units/"})
    user.refresh_from_db()
    assert user.preferred_language == "vi"


def test_failed_logins_behind_a_proxy_are_throttled_per_client(client, reference_units, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    staff_user(unit=reference_units["56"], username="canbo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo", "sai", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert login(client, "canbo", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert login(client, "canbo", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    event = AuditEvent.objects.filter(action=audit_events.LOGIN_FAILED).first()
    assert event.ip_address == "203.0.113.9" and event.actor_repr == "anonymous"
