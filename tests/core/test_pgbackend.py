"""The health check of a reused PostgreSQL connection (``core.pgbackend``): no round trip while
the server has said nothing, and a connection the server ended is found dead and replaced
before the request's first statement, as Django's ``SELECT 1`` would."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_base

from tinhso.core.pgbackend import base

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'",
                       reason="the backend is PostgreSQL's"),
]


def test_the_backend_is_the_projects() -> None:
    assert isinstance(connections["default"], base.DatabaseWrapper)
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def selects_one(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    asked: list[bool] = []
    check = django_base.DatabaseWrapper.is_usable

    def counted(self: django_base.DatabaseWrapper) -> bool:
        asked.append(True)
        return bool(check(self))

    monkeypatch.setattr(django_base.DatabaseWrapper, "is_usable", counted)
    return asked


def test_a_quiet_idle_connection_is_taken_without_a_round_trip(
        monkeypatch: pytest.MonkeyPatch) -> None:
    connection.ensure_connection()
    asked = selects_one(monkeypatch)
    assert connection.is_usable() is True
    assert asked == []
    with connection.cursor() as cursor:  # inside a transaction: Django's check, as before
        connection.set_autocommit(False)
        cursor.execute("SELECT 1")
        assert connection.is_usable() is True
        connection.rollback()
        connection.set_autocommit(True)
    assert asked == [True]


def test_a_connection_the_server_ended_is_replaced_before_the_next_statement() -> None:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    dsn = connection.get_connection_params()
    with psycopg.connect(host=dsn.get("host"), port=dsn.get("port"), user=dsn.get("user"),
                         dbname=dsn["dbname"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while base.quiet(connection.connection.pgconn.socket) and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye reaches the socket
    assert connection.is_usable() is False

    connection.health_check_done = False
    connection.close_if_health_check_failed()  # what Django does at a request's first use
    assert connection.connection is None
    with connection.cursor() as cursor:  # a new connection, no error for the request
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_statement_run_again_through_the_bound_cursor_is_prepared_once() -> None:
    from tinhso.core.db import bound_cursor

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    assert threshold >= 1
    for n in range(threshold + 2):
        with bound_cursor(connection) as cursor:
            cursor.execute("SELECT %s::int + %s", [n, 1])
            assert cursor.fetchone()[0] == n + 1
    assert [s for s in prepared() if "$1::int" in s] == ["SELECT $1::int + $2"]
    with connection.cursor() as cursor:  # Django's own cursor: never prepared
        for n in range(threshold + 2):
            cursor.execute("SELECT %s::int - %s", [n, 1])
    assert not [s for s in prepared() if "::int -" in s]
