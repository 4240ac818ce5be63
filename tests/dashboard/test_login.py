"""Signing in lands on "My page"; a safe ``next`` still wins, an outside one does not."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Any, user: Any, query: str = "") -> Any:
    return client.post(f"/accounts/login/{query}",
                       {"username": user.username, "password": PASSWORD})


def test_signing_in_lands_on_my_page(client: Any, people: dict[str, Any]) -> None:
    for who in ("leader", "officer", "citizen"):
        client.logout()
        response = sign_in(client, people[who])
        assert response.status_code == 302 and response["Location"] == "/me/", who
        assert client.get(response["Location"]).status_code == 200


def test_a_safe_next_still_wins(client: Any, people: dict[str, Any]) -> None:
    response = sign_in(client, people["officer"], "?next=/desk/")
    assert response["Location"] == "/desk/"


def test_a_next_to_another_site_is_ignored(client: Any, people: dict[str, Any]) -> None:
    response = sign_in(client, people["officer"], "?next=https://evil.example/")
    assert response["Location"] == "/me/"


def test_a_signed_in_person_opening_the_login_page_goes_to_my_page(
        client: Any, people: dict[str, Any]) -> None:
    client.force_login(people["coordinator"])
    response = client.get("/accounts/login/")
    assert response.status_code == 302 and response["Location"] == "/me/"
