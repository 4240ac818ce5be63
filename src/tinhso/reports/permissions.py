"""Who may make reports (registered with the shared action registry).

A report is made for a unit and holds that unit's figures: whoever may make one does so for the
units of their scope (a role held at a unit covers it and every unit below it; at the province:
every unit).
"""

from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import register_action

MAKE_REPORTS = "reports.make"

register_action(MAKE_REPORTS,
                {Role.COORDINATOR, Role.LEADER, Role.UNIT_REPORTER, Role.APPROVER},
                _("make reports"))

# Replacing the Word templates every report is written with: the platform's administrators.
MANAGE_TEMPLATES = "reports.templates"

register_action(MANAGE_TEMPLATES, {Role.ADMINISTRATOR},
                _("replace the Word templates of reports"))

OVERSEE_REPORTS = "reports.oversee"  # see (and download) the reports others made in the scope

register_action(OVERSEE_REPORTS, {Role.COORDINATOR},
                _("see the reports made by others"))
