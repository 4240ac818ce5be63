"""What the calendar lets staff do, registered with ``accounts.permissions``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import register_action

register_action("calendar.manage", {Role.ADMINISTRATOR},
                gettext_lazy("change the working-day calendar"))
