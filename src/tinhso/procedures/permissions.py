"""What the public-services wing lets staff do, registered with ``accounts.permissions``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import register_action

register_action("dossiers.receive", {Role.OFFICER},
                gettext_lazy("receive dossiers at the one-stop desk"))
register_action("dossiers.process", {Role.OFFICER, Role.APPROVER},
                gettext_lazy("process dossiers"))
register_action("dossiers.decide", {Role.OFFICER, Role.APPROVER},
                gettext_lazy("approve or refuse dossiers"))
register_action("dossiers.view", {Role.OFFICER, Role.APPROVER, Role.COORDINATOR, Role.LEADER},
                gettext_lazy("see dossiers"))
# The dossier import (procedures.importing), asked at the province: see dossiers_import.
IMPORT_DOSSIERS = "dossiers.import"
register_action(IMPORT_DOSSIERS, {Role.COORDINATOR},
                gettext_lazy("import dossiers from another one-stop system"))
# Loading the shipped catalogue (procedures.loaders), for the whole system.
LOAD_CATALOGUE = "catalogue.load"
register_action(LOAD_CATALOGUE, {Role.ADMINISTRATOR}, gettext_lazy("load the procedure catalogue"))
# Keeping the catalogue (create, revise, retire procedures; import the national database's
# export), asked at the province (catalogue_services).
MANAGE_CATALOGUE = "procedures.manage"
register_action(MANAGE_CATALOGUE, {Role.COORDINATOR},
                gettext_lazy("keep the procedure catalogue"))
