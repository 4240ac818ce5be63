"""The signature of the payment platform's messages: HMAC-SHA256 of the message's exact bytes
with the secret the platform and this installation share (``TINHSO_PAYMENT_SECRET``), in
lowercase hex. Pure Python: no Django."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: bytes, body: bytes) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(secret: bytes, body: bytes, signature: str) -> bool:
    """Whether ``signature`` is the message's (compared in constant time); never with an empty
    secret."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())
