"""Who may do what in the programme (registered with the shared action registry).

The coordinator (at the province) defines documents, groups and tasks and reviews reports; a
unit's reporter reports on the tasks its unit leads or supports; every staff role reads the
tasks of its scope (``selectors.visible_tasks``).
"""

from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import register_action

register_action("programme.manage", {Role.COORDINATOR},
                _("define the programme's documents, groups and tasks"))
register_action("programme.assign", {Role.LEADER, Role.COORDINATOR},
                _("assign tasks through the direction of an official document"))
register_action("programme.report", {Role.UNIT_REPORTER, Role.APPROVER},
                _("report progress on the programme's tasks"))
register_action("programme.review", {Role.COORDINATOR},
                _("accept or return progress reports"))
register_action("programme.view",
                {Role.COORDINATOR, Role.LEADER, Role.APPROVER, Role.UNIT_REPORTER, Role.OFFICER},
                _("read the programme's tasks and reports"))
