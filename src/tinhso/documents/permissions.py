"""Who may do what in the document office (registered with the shared action registry).

The clerk (văn thư) registers incoming documents, numbers and dispatches outgoing ones and
runs the exchange; a leader directs an incoming document (lead unit, supporting units,
deadline); officers and leaders of the units it reaches handle it, comment and draft the
answer. Which documents a person sees is ``access.visible_documents``.
"""

from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import register_action

register_action("documents.register", {Role.CLERK},
                _("register, number and dispatch official documents"))
register_action("documents.direct", {Role.LEADER},
                _("direct the handling of incoming documents"))
register_action("documents.handle", {Role.OFFICER, Role.LEADER, Role.CLERK},
                _("handle documents and draft answers"))
register_action("documents.exchange", {Role.CLERK, Role.LEADER, Role.COORDINATOR},
                _("follow the exchange of documents with other agencies"))
register_action("documents.view",
                {Role.CLERK, Role.LEADER, Role.OFFICER, Role.COORDINATOR, Role.APPROVER,
                 Role.UNIT_REPORTER},
                _("read official documents"))
