"""Sign-in events into the audit log (Django's auth signals are the only hook for these)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tinhso.accounts import audit_events
from tinhso.audit.services import audit_record
from tinhso.core.http import client_ip


def _ip(request: Any) -> str | None:
    return client_ip(request)


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=audit_events.LOGIN_SUCCEEDED, obj=user, unit=user.unit,
                 ip_address=_ip(request))


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=audit_events.LOGOUT, obj=user, unit=user.unit,
                     ip_address=_ip(request))


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None,
                    **kwargs: Any) -> None:
    audit_record(actor=None, actor_label="anonymous", action=audit_events.LOGIN_FAILED,
                 details={"username": str(credentials.get("username", ""))[:150]},
                 ip_address=_ip(request))

