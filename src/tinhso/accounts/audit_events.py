"""The audit events of people, roles, API tokens, logging in and out (see tinhso.audit.events)."""

from django.utils.translation import gettext_lazy as _

from tinhso.audit.events import register_event

USER_CREATED = register_event("user.created", _("User created"))
USER_UPDATED = register_event("user.updated", _("User changed"))
USER_DEACTIVATED = register_event("user.deactivated", _("User deactivated"))
USER_PASSWORD_SET = register_event("user.password_set", _("Password set"))
ROLE_GRANTED = register_event("role.granted", _("Role granted"))
ROLE_REVOKED = register_event("role.revoked", _("Role revoked"))
TOKEN_CREATED = register_event("token.created", _("API token created"))
TOKEN_REVOKED = register_event("token.revoked", _("API token revoked"))
LOGIN_SUCCEEDED = register_event("auth.login", _("Logged in"))
LOGIN_FAILED = register_event("auth.login_failed", _("Login failed"))
LOGOUT = register_event("auth.logout", _("Logged out"))
SECOND_FACTOR_ENROLLED = register_event("2fa.enrolled", _("Two-factor sign-in set up"))
SECOND_FACTOR_VERIFIED = register_event("2fa.verified", _("Second factor given"))
SECOND_FACTOR_FAILED = register_event("2fa.failed", _("Second factor refused"))
RECOVERY_CODES_RENEWED = register_event("2fa.recovery_codes", _("Recovery codes renewed"))
SECOND_FACTOR_RESET = register_event("2fa.reset", _("Two-factor sign-in reset"))
