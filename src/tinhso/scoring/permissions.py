from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import register_action

register_action("scoring.manage", {Role.COORDINATOR},
                _("import published results and manage index frameworks"))
register_action("scoring.points", {Role.ADMINISTRATOR},
                _("enter the official points of an index framework"))
