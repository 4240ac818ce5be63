"""The rule table's vocabulary and the runner both matrices share.

A ``Rule`` says, once per operation, who may do it: the actors allowed (on their own unit and
the units below it when the rule is ``scoped``), the actors who may see the object but not do
this (they get 403), what the others get (``refused``: 403, or 404 where existence must not
leak), what a holder of the right gets on a unit outside their scope (``foreign``) and what
the anonymous get (401 on the API; a redirect to the sign-in page on pages). ``expected``
turns a rule into the outcome for one actor and one relation; ``outcome`` reads a response
the same way, so the two compare. Every request that changes something runs in a transaction
rolled back afterwards: writes are tried for real (through their services) and leave nothing
behind for the next case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpResponse

OK, LOGIN = "ok", "login"
Outcome = str | int

STAFF = frozenset({"admin", "admin56", "coordinator", "leader", "reporter", "approver",
                   "officer"})
PUBLIC_USERS = frozenset({"citizen", "business"})
SIGNED_IN = STAFF | PUBLIC_USERS
ANYONE = SIGNED_IN | {"anonymous"}
ADMINS = frozenset({"admin", "admin56"})
# Who holds a permission (the action registry: accounts/permissions.py and each app's).
DOSSIERS_VIEW = ADMINS | {"coordinator", "leader", "approver", "officer"}
DOSSIERS_ACT = ADMINS | {"approver", "officer"}
INDICATORS_ENTER = ADMINS | {"coordinator", "reporter"}
INDICATORS_APPROVE = ADMINS | {"coordinator", "approver"}
INDICATORS_DEFINE = ADMINS | {"coordinator"}
PROGRAMME_REVIEW = ADMINS | {"coordinator"}
PROGRAMME_REPORT = ADMINS | {"reporter", "approver"}
CATALOGUE_MANAGE = ADMINS | {"coordinator"}  # procedures.manage, at the province
REPORTS_MAKE = ADMINS | {"coordinator", "leader", "reporter", "approver"}


@dataclass(frozen=True)
class Rule:
    """``act``: who may (on their own unit and below it when ``scoped``); ``see``: who may see
    the object but not do this (403); ``refused``: what everyone else gets; ``foreign``: what
    an actor of ``act`` or ``see`` gets on a unit outside their scope (default: ``refused``);
    ``anon``: what the anonymous get."""

    act: frozenset[str]
    see: frozenset[str] = frozenset()
    scoped: bool = True
    refused: int = 403
    foreign: int | None = None
    anon: Outcome = 401

    def expected(self, actor: str, relation: str) -> Outcome:
        if "anonymous" in self.act:
            return OK
        if actor == "anonymous":
            return self.anon
        in_scope = not self.scoped or relation in ("own", "child", "-")
        if actor in self.act | self.see and not in_scope:
            return self.refused if self.foreign is None else self.foreign
        if actor in self.act:
            return OK
        if actor in self.see:
            return 403
        return self.refused


def public() -> Rule:
    return Rule(ANYONE)


def signed_in(anon: Outcome = 401) -> Rule:
    return Rule(SIGNED_IN, scoped=False, anon=anon)


def outcome(response: HttpResponse) -> Outcome:
    """OK: the request passed the permission gate (a page, a file, a redirect after a write, or
    a 400/409/422 about the request itself); else the refusal's status, or the failure."""
    status = response.status_code
    if status == 302 and response.get("Location", "").startswith("/accounts/login/"):
        return LOGIN
    if status in (401, 403, 404, 405) or status >= 500:
        return status
    return OK


@dataclass
class Mismatch:
    operation: str
    actor: str
    relation: str
    expected: Outcome
    actual: Outcome
    note: str = ""

    def row(self) -> str:
        return (f"{self.operation:<62} {self.actor:<11} {self.relation:<8} "
                f"expected {self.expected!s:<6} got {self.actual!s:<6} {self.note}")


@dataclass
class Tally:
    cases: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    def report(self, title: str) -> str:
        rows = "\n".join(m.row() for m in self.mismatches)
        return (f"{title}: {len(self.mismatches)} of {self.cases} cases differ from the "
                f"rules\n{rows}")


def rolled_back(call: Callable[..., HttpResponse], *args: Any, **kwargs: Any) -> HttpResponse:
    """The response of ``call(*args, **kwargs)``, with whatever it wrote undone."""
    with transaction.atomic():
        response = call(*args, **kwargs)
        transaction.set_rollback(True)
    return response


class KnownHoles(Exception):
    """Cases known to be wrong, each being fixed elsewhere: the test expecting the correct
    behaviour is marked ``xfail(strict=True, raises=KnownHoles)``, so it fails again once they
    are all fixed (remove them from ``KNOWN`` and the mark then)."""


def settle(tally: Tally, known: dict[tuple[str, str, str], str], title: str) -> None:
    """Fail on any case that differs from the rules and is not a known hole, and on a known
    hole that is closed now (strict); raise KnownHoles while known ones remain open."""
    found = {(m.operation, m.actor, m.relation): m for m in tally.mismatches}
    tally.mismatches = [m for key, m in found.items() if key not in known]
    assert not tally.mismatches, tally.report(title)
    closed = sorted(set(known) - set(found))
    assert not closed, "known holes now closed, remove them from KNOWN: " + ", ".join(
        " ".join(key) for key in closed)
    if known:
        reasons = sorted(set(known.values()))
        raise KnownHoles(f"{len(known)} known case(s) still open: " + "; ".join(reasons))


def unclassified(found: Iterable[str], table: dict[str, Any]) -> list[str]:
    return sorted(set(found) - set(table))


def stale(found: Iterable[str], table: dict[str, Any]) -> list[str]:
    return sorted(set(table) - set(found))
