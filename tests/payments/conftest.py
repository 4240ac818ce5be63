"""Fixtures for online payment: the sample catalogue, a citizen who submits, the desk, the
illustrative fake gateway switched on with a known secret, and a signed callback as a gateway
sends it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.procedures.conftest import (  # noqa: F401  (fixtures shared with the one-stop)
    TUESDAY_9AM,
    applicant_user,
    catalogue,
    desk,
    media_in_tmp,
    submit,
)
from tinhso.payments import signing

SECRET = "shared-secret-for-tests"
# The permanent residence: 20.000 đồng, 10.000 đồng when registered online.
RESIDENCE = "Đăng ký thường trú"


@pytest.fixture(autouse=True)
def fake_gateway(settings: Any) -> None:
    settings.TINHSO_PAYMENT_FAKE_GATEWAY = True
    settings.TINHSO_PAYMENT_SECRET = SECRET


def signed(body: dict[str, Any], secret: str = SECRET) -> tuple[bytes, str]:
    raw = json.dumps(body).encode()
    return raw, signing.sign(secret.encode(), raw)


@pytest.fixture
def call_back(client: Client) -> Callable[..., Any]:
    """call_back(reference, amount, state="paid", secret=..., signature=...) -> the response of
    the callback endpoint to a message signed as the gateway signs it."""

    def _call(reference: str, amount: int, state: str = "paid", *, secret: str = SECRET,
              signature: str | None = None, **extra: Any) -> Any:
        body, good = signed({"reference": reference, "amount": amount, "state": state,
                             "gateway_reference": "GW-1", "paid_at": None, **extra}, secret)
        return client.generic("POST", "/payments/callback/", body,
                              content_type="application/json",
                              HTTP_X_PAYMENT_SIGNATURE=good if signature is None else signature)

    return _call
