from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.models import Role, User
from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.services import role_grant, role_revoke, staff_user_create, user_set_password
from tinhso.accounts.two_factor import second_factor_reset
from tinhso.units.selectors import unit_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit


def _unit(code: str) -> Unit:
    unit = unit_by_code(code)
    if unit is None:
        raise CommandError(f"There is no unit with code '{code}'.")
    return unit


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as exc:
        raise CommandError(f"There is no user '{username}'.") from exc


class Command(BaseCommand):
    help = "Manage staff users and their roles (recorded in the audit log as 'system')."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a staff user of a unit")
        create.add_argument("username")
        create.add_argument("--unit", required=True, help="unit code, e.g. 56.STC")
        create.add_argument("--role", action="append", default=[], choices=Role.values,
                            help="a role held at that unit (repeatable)")
        create.add_argument("--email", default="")
        create.add_argument("--password", help="default: asked for on the terminal")
        for name in ("grant", "revoke"):
            p = sub.add_parser(name, help=f"{name} a role at a unit")
            p.add_argument("username")
            p.add_argument("role", choices=Role.values)
            p.add_argument("unit", help="unit code")
        password = sub.add_parser("set-password", help="set a user's password")
        password.add_argument("username")
        password.add_argument("--password", help="default: asked for on the terminal")
        reset = sub.add_parser("reset-2fa", help="remove a user's authenticator and recovery "
                               "codes (a lost phone): they set up a new one at the next sign-in")
        reset.add_argument("username")
        reset.add_argument("--reason", required=True, help="why (kept in the audit log)")
        sub.add_parser("list", help="list staff users with their roles")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "create":
                password = options["password"] or getpass.getpass("Password: ")
                user = staff_user_create(
                    actor=SYSTEM, username=options["username"], unit=_unit(options["unit"]),
                    password=password, roles=options["role"], email=options["email"],
                )
                self.stdout.write(f"Created {user.username} in {user.unit}.")
            elif action == "grant":
                role_grant(actor=SYSTEM, user=_user(options["username"]), role=options["role"],
                           unit=_unit(options["unit"]))
                self.stdout.write("Granted.")
            elif action == "revoke":
                done = role_revoke(actor=SYSTEM, user=_user(options["username"]),
                                   role=options["role"], unit=_unit(options["unit"]))
                self.stdout.write("Revoked." if done else "The user did not hold that role.")
            elif action == "set-password":
                user = _user(options["username"])
                password = options["password"] or getpass.getpass("Password: ")
                user_set_password(actor=SYSTEM, user=user, password=password)
                self.stdout.write("Password set.")
            elif action == "reset-2fa":
                removed = second_factor_reset(actor=SYSTEM, user=_user(options["username"]),
                                              reason=options["reason"])
                self.stdout.write(f"Two-factor sign-in reset ({removed} devices removed).")
            else:
                for user in User.objects.filter(kind="staff").select_related("unit") \
                        .prefetch_related("role_assignments__unit").order_by("username"):
                    roles = ", ".join(f"{a.role}@{a.unit.code}"
                                      for a in user.role_assignments.all())
                    unit = user.unit.code if user.unit else "-"
                    self.stdout.write(f"{user.username:<20} {unit:<10} {roles}")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
