"""Tasks queued with the transaction that asks for them: with the database backend the task row
commits or rolls back with the data; with another backend the task is given after the commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from tinhso.core.tasks import enqueue_with_transaction
from tinhso.procedures.notifications import send_notification

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOAD = {"dossier_code": "X-1", "email": "an@example.vn", "phone": "", "subject": "s",
           "body": "b"}


@pytest.fixture
def database_backend(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_with_the_database_backend_the_task_commits_or_rolls_back_with_the_data(
        database_backend: None) -> None:
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_with_transaction(send_notification, PAYLOAD)
        raise RuntimeError("the dossier could not be saved")
    assert not DBTaskResult.objects.exists()

    with transaction.atomic():
        enqueue_with_transaction(send_notification, PAYLOAD)
        assert DBTaskResult.objects.count() == 1  # in the transaction, not after it
    assert DBTaskResult.objects.get().task_path.endswith("send_notification")


def test_another_backend_gets_the_task_only_after_the_commit(mailoutbox: Any) -> None:
    with transaction.atomic():
        enqueue_with_transaction(send_notification, PAYLOAD)
        assert mailoutbox == []
    assert [m.to for m in mailoutbox] == [["an@example.vn"]]
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_with_transaction(send_notification, PAYLOAD)
        raise RuntimeError
    assert len(mailoutbox) == 1
