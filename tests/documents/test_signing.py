"""The installation's signatures: the roots and the organisation's certificate come from the
settings; without them signing says what to set; each state has its label and colour."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.documents.pki import ORGANISATION, Pki, make_pdf, make_pki
from tinhso.documents import signing
from tinhso.documents.signatures import (
    Coverage,
    Problem,
    SigningProblem,
    State,
    TrustRootError,
    verify_pdf,
)


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture
def configured(settings: Any, tmp_path: Path, pki: Pki) -> Any:
    (tmp_path / "key.pem").write_bytes(pki.key_pem)
    # The certificate file goes on with its chain, as a CA delivers it.
    (tmp_path / "cert.pem").write_bytes(pki.cert_pem + pki.root_pem)
    roots = tmp_path / "roots"
    roots.mkdir()
    (roots / "root.pem").write_bytes(pki.root_pem)
    settings.TINHSO_DOCUMENT_SIGNING_KEY = str(tmp_path / "key.pem")
    settings.TINHSO_DOCUMENT_SIGNING_CERT = str(tmp_path / "cert.pem")
    settings.TINHSO_DOCUMENT_SIGNING_PASSPHRASE = ""
    settings.TINHSO_DOCUMENT_TRUST_ROOTS = [str(roots)]
    return settings


def test_signing_without_a_certificate_says_what_to_set(settings: Any) -> None:
    settings.TINHSO_DOCUMENT_SIGNING_KEY = ""
    settings.TINHSO_DOCUMENT_SIGNING_CERT = ""

    assert not signing.signing_configured()
    with pytest.raises(signing.SigningNotConfigured, match="TINHSO_DOCUMENT_SIGNING_KEY"):
        signing.sign(make_pdf(), reason="Ban hành")


def test_the_organisation_signs_and_the_configured_roots_trust_it(configured: Any) -> None:
    signed = signing.sign(make_pdf(), reason="Ban hành", location="Nha Trang")

    result = signing.verify(signed)

    assert result.state is State.VALID
    assert result.signatures[0].signer.organisation == ORGANISATION
    assert len(result.signatures[0].chain) == 2


def test_without_roots_an_intact_signature_is_not_trusted(configured: Any) -> None:
    signed = signing.sign(make_pdf())
    configured.TINHSO_DOCUMENT_TRUST_ROOTS = []

    assert signing.verify(signed).state is State.UNTRUSTED


def test_a_missing_key_file_or_root_is_named(configured: Any, tmp_path: Path) -> None:
    configured.TINHSO_DOCUMENT_SIGNING_KEY = str(tmp_path / "gone.pem")
    with pytest.raises(signing.SigningNotConfigured, match=r"gone\.pem"):
        signing.sign(make_pdf())

    configured.TINHSO_DOCUMENT_TRUST_ROOTS = [str(tmp_path / "no-roots")]
    with pytest.raises(TrustRootError, match="no-roots"):
        signing.verify(make_pdf())


def test_a_key_not_of_the_certificate_is_a_configuration_error(configured: Any,
                                                               tmp_path: Path) -> None:
    (tmp_path / "other.pem").write_bytes(make_pki("Other").key_pem)
    configured.TINHSO_DOCUMENT_SIGNING_KEY = str(tmp_path / "other.pem")

    with pytest.raises(signing.SigningNotConfigured, match="does not belong"):
        signing.sign(make_pdf())


def test_signing_a_file_that_is_no_pdf_is_a_validation_error(configured: Any) -> None:
    with pytest.raises(ValidationError, match="not a PDF") as caught:
        signing.sign(b"PK\x03\x04 a zip, not a pdf")
    assert caught.value.code == "not_a_pdf"


def test_each_state_has_its_label_and_colour() -> None:
    colours = {state: signing.state_label(state).css for state in State}

    assert colours == {
        State.VALID: "status status-achieved",
        State.UNTRUSTED: "status status-at_risk",
        State.ALTERED: "status status-off_track",
        State.UNREADABLE: "status status-off_track",
        State.UNSIGNED: "status status-unknown",
    }
    assert signing.state_label("valid").text == "Signature valid"
    assert signing.state_label(State.ALTERED).text == "Altered after signing"


def test_every_problem_and_coverage_has_its_text() -> None:
    for problem in [*Problem, *SigningProblem]:
        assert signing.problem_text(problem) == problem.value
    assert {signing.coverage_text(c) for c in Coverage} == {
        "the whole file", "an earlier revision (the file was added to later)", "unclear"}


def test_an_unreadable_file_reads_as_such(pki: Pki) -> None:
    result = verify_pdf(b"not a pdf", [pki.root_pem])

    assert signing.state_label(result.state).text == "Unreadable file"
    assert signing.problem_text(result.problem) == (
        "The file is not a PDF or is too damaged to read.")
