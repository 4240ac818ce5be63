"""Telling applicants what happened to their dossier, through pluggable connectors.

A connector has a name and ``send(message)``; e-mail is built in, SMS or Zalo connectors are
registered the same way (:func:`register`) and switched on in ``settings.TINHSO_NOTIFY``.
Services call :func:`notify` inside their transaction: the message is queued as a background
task only after the commit (never for a rolled-back action) and sent by the task worker, so a
slow mail server never holds up a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from tinhso.core.tasks import enqueue_with_transaction


@dataclass(frozen=True)
class Message:
    dossier_code: str
    email: str
    phone: str
    subject: str
    body: str


class Connector(Protocol):
    name: str

    def send(self, message: Message) -> bool:
        """Send; False when the message has no address this connector can use."""
        ...


class EmailConnector:
    name = "email"

    def send(self, message: Message) -> bool:
        if not message.email:
            return False
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.email])
        return True


CONNECTORS: dict[str, Connector] = {}


def register(connector: Connector) -> None:
    CONNECTORS[connector.name] = connector


register(EmailConnector())


def enabled() -> list[Connector]:
    names = getattr(settings, "TINHSO_NOTIFY", ["email"])
    return [CONNECTORS[name] for name in names if name in CONNECTORS]


@task()
def send_notification(payload: dict[str, Any]) -> list[str]:
    """Send one message through every enabled connector; returns the connectors that sent."""
    message = Message(**payload)
    return [c.name for c in enabled() if c.send(message)]


def notify(*, dossier: Any, subject: str, body: str) -> None:
    """Queue a message to the applicant, sent only once the current transaction commits."""
    payload = {"dossier_code": dossier.code, "email": dossier.applicant_email or "",
               "phone": dossier.applicant_phone or "", "subject": subject, "body": body}
    enqueue_with_transaction(send_notification, payload)
