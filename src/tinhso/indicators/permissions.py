"""Who may do what with indicators (registered with the shared action registry)."""

from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import register_action

register_action("indicators.define", {Role.COORDINATOR},
                _("define indicators, targets and collection rounds"))
register_action("indicators.enter", {Role.UNIT_REPORTER, Role.COORDINATOR},
                _("enter and submit indicator values"))
register_action("indicators.approve", {Role.APPROVER, Role.COORDINATOR},
                _("approve, return or reopen indicator values"))
