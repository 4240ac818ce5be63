"""Fixtures of the document office's tests: a throwaway PKI and the installation configured
with it (the organisation's key and certificate, the root trusted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.documents.pki import Pki, make_pki


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture
def configured(settings: Any, tmp_path: Path, pki: Pki) -> Pki:
    """Signing and checking configured with ``pki``: its key signs, its root is trusted."""
    (tmp_path / "key.pem").write_bytes(pki.key_pem)
    (tmp_path / "cert.pem").write_bytes(pki.cert_pem + pki.root_pem)
    (tmp_path / "root.pem").write_bytes(pki.root_pem)
    settings.TINHSO_DOCUMENT_SIGNING_KEY = str(tmp_path / "key.pem")
    settings.TINHSO_DOCUMENT_SIGNING_CERT = str(tmp_path / "cert.pem")
    settings.TINHSO_DOCUMENT_SIGNING_PASSPHRASE = ""
    settings.TINHSO_DOCUMENT_TRUST_ROOTS = [str(tmp_path / "root.pem")]
    return pki
