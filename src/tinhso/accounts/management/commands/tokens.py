from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tinhso.accounts.models import ApiToken, User
from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list and revoke API tokens (Authorization: Bearer <token>)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token; it is printed once")
        create.add_argument("username")
        create.add_argument("name", help="what the token is for")
        sub.add_parser("list", help="list tokens (prefixes only)")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"There is no user '{options['username']}'.")
            _, raw = api_token_create(actor=SYSTEM, user=user, name=options["name"])
            self.stdout.write(raw)
        elif options["action"] == "list":
            for token in ApiToken.objects.select_related("user").order_by("created_at"):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}…  {token.user.username:<20} {state:<8} "
                                  f"{token.name}")
        else:
            found = ApiToken.objects.filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"No token starts with '{options['prefix']}'.")
            api_token_revoke(actor=SYSTEM, token=found)
            self.stdout.write("Revoked.")
