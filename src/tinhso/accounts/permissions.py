"""The one question every write asks: may this user do this action on this unit?

Actions are a registry (data, not scattered ``if`` statements): each names the roles that may
perform it. A role held at a unit covers that unit and every unit below it. Superusers may do
everything. Later domains register their own actions with :func:`register_action`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.models import Role, UserKind

if TYPE_CHECKING:
    from tinhso.units.models import Unit


@dataclass(frozen=True)
class Action:
    name: str
    roles: frozenset[str]
    description: Any


ACTIONS: dict[str, Action] = {}


def register_action(name: str, roles: set[str] | frozenset[str], description: Any) -> Action:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"action {name!r}: unknown roles {sorted(unknown)}")
    action = Action(name, frozenset(roles) | {Role.ADMINISTRATOR}, description)
    ACTIONS[name] = action
    return action


register_action("units.manage", {Role.ADMINISTRATOR}, gettext_lazy("create and change units"))
register_action(
    "users.manage", {Role.ADMINISTRATOR}, gettext_lazy("create users, grant and revoke roles")
)
register_action("audit.view", {Role.ADMINISTRATOR}, gettext_lazy("read the audit log"))
register_action(
    "dashboard.view",
    {Role.COORDINATOR, Role.LEADER, Role.APPROVER, Role.UNIT_REPORTER, Role.OFFICER},
    gettext_lazy("see internal dashboards"),
)


def _is_root(path: str) -> bool:
    """A role held at the root unit (path '/VN/') covers every unit and the whole system."""
    return path.count("/") == 2


def _scopes(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) pairs the user holds, cached on the user object for the request."""
    cached = getattr(user, "_tinhso_scopes", None)
    if cached is None:
        cached = list(user.role_assignments.values_list("role", "unit__path"))
        user._tinhso_scopes = cached
    return cached


def forget_scopes(user: Any) -> None:
    if hasattr(user, "_tinhso_scopes"):
        del user._tinhso_scopes


# The actions that approve or administer. Whoever holds a role that may do one of them (and
# every superuser or Django staff user) signs in with a second factor: see requires_second_factor.
SECOND_FACTOR_ACTIONS = (
    "users.manage", "units.manage", "calendar.manage", "catalogue.load",  # administer
    "indicators.approve", "dossiers.decide", "programme.review",  # approve
)


def second_factor_roles() -> frozenset[str]:
    """The roles that may do an action of SECOND_FACTOR_ACTIONS (read from the registry)."""
    return frozenset().union(*(ACTIONS[name].roles for name in SECOND_FACTOR_ACTIONS
                               if name in ACTIONS))


def requires_second_factor(user: Any) -> bool:
    """True when ``user`` approves or administers: a superuser, a Django staff user, or a staff
    member holding a role of :func:`second_factor_roles`. Never a citizen or a business."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or getattr(user, "is_staff", False):
        return True
    if getattr(user, "kind", None) != UserKind.STAFF:
        return False
    roles = second_factor_roles()
    return any(role in roles for role, _path in _scopes(user))


def lacks_second_factor(user: Any) -> bool:
    """True when the signed-in user must have given a second factor (TINHSO_REQUIRE_2FA) and
    has not in this session. A user object that did not come through the web session (an API
    token's, the command line's, a test's) carries no ``is_verified`` and is not asked."""
    if not settings.TINHSO_REQUIRE_2FA:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None:
        return False
    return not is_verified() and requires_second_factor(user)


def _settled(user: Any) -> bool | None:
    """What a user's kind decides before any role is read: nobody anonymous, inactive, citizen
    or business; every superuser. None: it depends on the staff member's roles. Whoever must
    sign in with a second factor and has not may do nothing yet."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if lacks_second_factor(user):
        return False
    if user.is_superuser:
        return True
    if getattr(user, "kind", None) != UserKind.STAFF:
        return False
    return None


def may(user: Any, action: str, unit: Unit | None) -> bool:
    """True when ``user`` may do ``action`` on ``unit`` (None: anywhere, the whole system)."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}; register it in its app's permissions")
    settled = _settled(user)
    if settled is not None:
        return settled
    roles = ACTIONS[action].roles
    for role, path in _scopes(user):
        if role not in roles:
            continue
        if unit is None:
            if _is_root(path):
                return True
            continue
        if unit.path.startswith(path):
            return True
    return False


def require(user: Any, action: str, unit: Unit | None) -> None:
    """Raise PermissionDenied, with a message that says what was refused, unless allowed."""
    if not may(user, action, unit):
        where = f"{unit.name} ({unit.code})" if unit is not None else _("the whole system")
        raise PermissionDenied(
            _("You may not %(action)s on %(where)s.")
            % {"action": ACTIONS[action].description, "where": where}
        )


def scope_paths(user: Any, action: str) -> list[str] | None:
    """Unit paths within which ``user`` may do ``action``; None means everywhere."""
    if lacks_second_factor(user):
        return []
    if user.is_superuser:
        return None
    roles = ACTIONS[action].roles
    paths = [path for role, path in _scopes(user) if role in roles]
    if any(_is_root(path) for path in paths):
        return None
    return paths


class SystemActor:
    """The actor of command-line and start-up work done by the operator of the installation.

    It may do everything (whoever runs ``tinhso`` on the server already holds the database) and
    is recorded in the audit log as ``system``.
    """

    pk = None
    username = "system"
    is_superuser = True
    is_authenticated = True
    is_active = True
    kind = UserKind.STAFF

    def __str__(self) -> str:
        return self.username


SYSTEM = SystemActor()


def may_somewhere(user: Any, action: str) -> bool:
    """True when the user may do ``action`` on at least one unit (to show a menu entry)."""
    settled = _settled(user)
    if settled is not None:
        return settled
    return scope_paths(user, action) != []
