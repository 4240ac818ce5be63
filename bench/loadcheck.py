"""The load test's set-up (people, data at scale) and its checks afterwards (nothing
acknowledged lost or doubled, every notification sent once, everything recovered).
Runs in the load test's process, with Django set up on the load test's own database."""

from __future__ import annotations

import email
import email.policy
import http.client
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import loadmix
from dossier_stats import agency_pairs, fill
from dossier_submit_http import prepare as submissions

Check = tuple[bool, str]


def worker_command() -> list[str]:
    """The task worker as the deployment runs it: the resilient one when the project has it."""
    from django.core.management import get_commands

    return ["worker"] if "worker" in get_commands() else ["db_worker", "--no-startup-delay"]


def _session(user: Any) -> str:
    """A signed-in browser session for ``user``, as the login page would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def prepare(dossiers: int, clients: int) -> tuple[list[loadmix.Person], loadmix.World, str]:
    from django.core.management import call_command
    from django.db import connection

    from tinhso.accounts.models import Role, User
    from tinhso.accounts.permissions import SYSTEM
    from tinhso.accounts.services import api_token_create, role_grant
    from tinhso.procedures import aggregate
    from tinhso.units.models import Unit

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    citizens = max(1, clients // 2)
    officers = max(1, clients // 4)
    leaders = max(1, clients - citizens - officers)
    bodies, tokens, _spread = submissions(citizens)  # units, catalogue, citizens, bodies
    fill(dossiers, agency_pairs())
    filled = time.perf_counter()
    rows = aggregate.rebuild()
    units = sorted({json.loads(b)["unit"] for b in bodies})
    people = [loadmix.Person("citizen", {"Authorization": f"Bearer {t}",
                                         "Accept-Language": "vi"}) for t in tokens]
    for i in range(officers):
        code = units[i % len(units)]
        user = User.objects.create(username=f"motcua{i:03d}", first_name="Một cửa",
                                   last_name=str(i), unit=Unit.objects.get(code=code))
        role_grant(actor=SYSTEM, user=user, role=Role.OFFICER, unit=user.unit)
        token = api_token_create(actor=user, user=user, name="loadtest")[1]
        people.append(loadmix.Person("officer", {"Authorization": f"Bearer {token}",
                                                 "Accept-Language": "vi"}, unit=code))
    province = Unit.objects.get(code="56")
    for i in range(leaders):
        user = User.objects.create(username=f"lanhdao{i:03d}", first_name="Lãnh đạo",
                                   last_name=str(i), unit=province)
        role_grant(actor=SYSTEM, user=user, role=Role.LEADER, unit=province)
        people.append(loadmix.Person("leader", {"Cookie": _session(user),
                                                "Accept-Language": "vi"}))
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, applicant_phone FROM procedures_dossier "
                       "ORDER BY md5(code) LIMIT 500")
        lookups = [(code, phone) for code, phone in cursor.fetchall()]
    world = loadmix.World(bodies=bodies, lookups=lookups)
    summary = (f"data: {dossiers:,} dossiers filled in {filled - began:.0f} s, aggregate "
               f"rebuilt ({rows:,} rows) in {time.perf_counter() - filled:.0f} s")
    return people, world, summary


def mix(people: list[loadmix.Person]) -> str:
    counts = Counter(p.kind for p in people)
    return ", ".join(f"{n} {kind}s" for kind, n in sorted(counts.items()))


def _outside(errors: list[tuple[float, float, str, str]], windows: list[tuple[float, float]]
             ) -> list[tuple[float, float, str, str]]:
    """The errors of requests that were not in flight during a fault's window."""
    return [e for e in errors if not any(e[0] <= b and a <= e[1] for a, b in windows)]


def _drain(seconds: float) -> tuple[int, int]:
    """Wait until the worker has sent every notification and run every due task; returns
    (notifications waiting, tasks due) at the end."""
    from django.db import connection

    deadline = time.monotonic() + seconds
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM procedures_notification WHERE sent_at IS NULL")
            waiting = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE "
                           "status IN ('READY', 'RUNNING') AND "
                           "(run_after IS NULL OR run_after <= now())")
            due = cursor.fetchone()[0]
        if (waiting == 0 and due == 0) or time.monotonic() > deadline:
            return waiting, due
        time.sleep(1.0)


def _key(to: str, subject: str, body: str) -> tuple[str, str, str]:
    """A message as compared: its words, whatever the folding of headers and lines."""
    return (" ".join(to.split()), " ".join(subject.split()), " ".join(body.split()))


def _mails(folder: Path) -> Counter[tuple[str, str, str]]:
    """Every e-mail the worker's file backend wrote, as (to, subject, body)."""
    found: Counter[tuple[str, str, str]] = Counter()
    separator = b"\n" + b"-" * 79 + b"\n"
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for raw in path.read_bytes().split(separator):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw.lstrip(b"\n"), policy=email.policy.default)
            body = message.get_body(("plain",))
            text = body.get_content() if body is not None else ""
            found[_key(str(message["To"]), str(message["Subject"]), text)] += 1
    return found


def after(stats: loadmix.Stats, world: loadmix.World, windows: list[tuple[float, float]],
          port: int, worker_alive: Callable[[], bool], mail: Path) -> list[Check]:
    from django.db import connection

    checks: list[Check] = []
    outside = _outside(stats.errors, windows)
    inside = len(stats.errors) - len(outside)
    checks.append((not outside, f"{len(outside)} errors outside the database's outage "
                                f"({inside} while it was down)"
                   + "".join(f"\n      {a}: {w}" for _s, _e, a, w in outside[:5])))
    codes = world.acknowledged
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, count(*) FROM procedures_dossier WHERE code = ANY(%s) "
                       "GROUP BY code", [codes])
        found = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM procedures_dossier WHERE source <> 'bench'")
        stored = cursor.fetchone()[0]
    missing = [c for c in codes if c not in found]
    doubled = [c for c, n in found.items() if n != 1]
    checks.append((not missing and not doubled and len(set(codes)) == len(codes),
                   f"{len(codes)} dossiers acknowledged: {len(missing)} missing, "
                   f"{len(doubled)} stored twice; {stored} stored in all "
                   f"({stored - len(codes)} committed whose answer was lost)"))
    waiting, due = _drain(120.0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, subject, body FROM procedures_notification "
                       "WHERE sent_at IS NOT NULL AND email <> ''")
        sent = Counter(_key(e, s, b) for e, s, b in cursor.fetchall())
    mails = _mails(mail)
    twice = sum(n - 1 for n in mails.values() if n > 1)
    unsent = sum((sent - mails).values())
    unknown = sum((mails - sent).values())
    checks.append((waiting == 0 and twice == 0 and unsent == 0 and unknown == 0,
                   f"{sum(sent.values())} notifications delivered, {waiting} still waiting; "
                   f"e-mails written {sum(mails.values())}: {twice} twice, {unsent} "
                   f"recorded as sent but not written, {unknown} not recorded"))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/healthz")
    status = conn.getresponse().status
    checks.append((status == 200 and worker_alive() and due == 0,
                   f"recovered without a hand: /healthz {status}, worker "
                   f"{'running' if worker_alive() else 'NOT running'}, {due} tasks due"))
    return checks
