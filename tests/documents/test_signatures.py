"""PDF signatures: a document signed by the organisation verifies with its signer, time and
chain; any change to the signed file, a foreign root, no signature or no PDF at all is told
apart, and never shown as valid."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.documents.pki import ORGANISATION, PAGE_TEXT, SIGNER, Pki, make_pdf, make_pki
from tinhso.documents.signatures import (
    Coverage,
    Problem,
    SigningError,
    SigningProblem,
    State,
    TrustRootError,
    Verification,
    load_trust_roots,
    sign_pdf,
    verify_pdf,
)

ROOT = "Tinhso Test Root CA (Tinhso Test PKI)"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture(scope="module")
def other() -> Pki:
    return make_pki("Another Root CA")


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return make_pdf()


@pytest.fixture(scope="module")
def signed(pki: Pki, pdf: bytes) -> bytes:
    return sign_pdf(pdf, pki.key_pem, pki.cert_pem, [pki.root_pem], reason="Ban hành văn bản",
                    location="Nha Trang", signer_name="Văn thư Sở Tài chính")


def _change_page(data: bytes, text: bytes) -> bytes:
    """An incremental update, unsigned, that replaces the first page's words with ``text``."""
    writer = IncrementalPdfFileWriter(BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0]
    stream = generic.StreamObject(stream_data=b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_signed_pdf_is_valid_with_its_signer_time_and_chain(pki: Pki, pdf: bytes,
                                                              signed: bytes) -> None:
    result = verify_pdf(signed, [pki.root_pem])

    assert result.state is State.VALID and result.valid
    [report] = result.signatures
    assert (report.signer.name, report.signer.organisation) == (SIGNER, ORGANISATION)
    assert report.signed_at is not None
    assert abs(report.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert report.timestamp_at is None
    assert report.chain == [SIGNER, ROOT]
    assert (report.intact, report.trusted, report.coverage) == (True, True, Coverage.WHOLE_FILE)
    assert report.problem is Problem.NONE and report.field == "Signature1"
    # An incremental update: the original bytes are the start of the signed file.
    assert signed.startswith(pdf)


def test_the_signature_carries_reason_location_and_pades(signed: bytes) -> None:
    [sig] = PdfFileReader(BytesIO(signed)).embedded_regular_signatures
    assert sig.sig_object["/Reason"] == "Ban hành văn bản"
    assert sig.sig_object["/Location"] == "Nha Trang"
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_changed_words_in_the_signed_content_are_altered(pki: Pki, signed: bytes) -> None:
    assert PAGE_TEXT in signed
    tampered = signed.replace(PAGE_TEXT, PAGE_TEXT.replace(b"123", b"128"))

    result = verify_pdf(tampered, [pki.root_pem])

    assert result.state is State.ALTERED and not result.valid
    [report] = result.signatures
    assert (report.intact, report.trusted) == (False, False)
    assert report.problem is Problem.CONTENT_CHANGED


def test_a_changed_signature_value_is_altered(pki: Pki, signed: bytes) -> None:
    contents = re.search(rb"/Contents <([0-9a-fA-F]+)>", signed)
    assert contents is not None
    # The hex is zero-padded after the CMS; its last bytes are the RSA signature value.
    middle = contents.start(1) + len(contents.group(1).rstrip(b"0")) - 100
    flipped = b"1" if signed[middle:middle + 1] != b"1" else b"2"
    tampered = signed[:middle] + flipped + signed[middle + 1:]

    result = verify_pdf(tampered, [pki.root_pem])

    assert result.state is State.ALTERED
    assert result.signatures[0].problem is Problem.SIGNATURE_BROKEN


def test_an_unsigned_change_after_signing_is_altered(pki: Pki, signed: bytes) -> None:
    changed = _change_page(signed, b"Cong van so 999/STC-VP")

    result = verify_pdf(changed, [pki.root_pem])

    assert result.state is State.ALTERED
    [report] = result.signatures
    assert report.coverage is Coverage.EARLIER_REVISION
    assert report.problem is Problem.CHANGED_AFTER_SIGNING
    assert not report.intact and not report.trusted


def test_a_second_signature_leaves_the_first_valid(pki: Pki, signed: bytes) -> None:
    twice = sign_pdf(signed, pki.key_pem, pki.cert_pem, [pki.root_pem])

    result = verify_pdf(twice, [pki.root_pem])

    assert result.state is State.VALID
    assert [(r.field, r.state, r.coverage) for r in result.signatures] == [
        ("Signature1", State.VALID, Coverage.EARLIER_REVISION),
        ("Signature2", State.VALID, Coverage.WHOLE_FILE),
    ]


def test_the_file_is_as_bad_as_its_worst_signature(pki: Pki, other: Pki, signed: bytes) -> None:
    countersigned = sign_pdf(signed, other.key_pem, other.cert_pem, [other.root_pem])

    result = verify_pdf(countersigned, [pki.root_pem])

    assert [r.state for r in result.signatures] == [State.VALID, State.UNTRUSTED]
    assert result.state is State.UNTRUSTED


def test_a_signer_under_another_root_is_untrusted(other: Pki, signed: bytes) -> None:
    result = verify_pdf(signed, [other.root_pem])

    assert result.state is State.UNTRUSTED
    [report] = result.signatures
    assert (report.intact, report.trusted) == (True, False)
    assert report.problem is Problem.NOT_TRUSTED
    assert report.chain == [SIGNER, ROOT]  # as embedded in the signature, though not trusted
    assert verify_pdf(signed, []).state is State.UNTRUSTED


def test_a_certificate_expired_at_the_time_of_checking_is_untrusted(pki: Pki,
                                                                    signed: bytes) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3 * 365)

    result = verify_pdf(signed, [pki.root_pem], at=later)

    assert result.state is State.UNTRUSTED
    assert result.signatures[0].problem is Problem.EXPIRED


def test_a_pdf_without_signatures_is_unsigned(pki: Pki, pdf: bytes) -> None:
    result = verify_pdf(pdf, [pki.root_pem])

    assert (result.state, result.signatures, result.problem) == (
        State.UNSIGNED, [], Problem.NO_SIGNATURE)


@pytest.mark.parametrize("data", [os.urandom(4096), b"", b"%PDF-1.7\n" + os.urandom(2048),
                                  b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"])
def test_bytes_that_are_no_pdf_are_unreadable(pki: Pki, data: bytes) -> None:
    result = verify_pdf(data, [pki.root_pem])

    assert (result.state, result.problem) == (State.UNREADABLE, Problem.NOT_A_PDF)


def test_a_truncated_signed_pdf_is_never_valid(pki: Pki, signed: bytes) -> None:
    result = verify_pdf(signed[: len(signed) * 2 // 3], [pki.root_pem])

    assert result.state in {State.UNREADABLE, State.ALTERED, State.UNSIGNED}


def test_trust_roots_load_from_pem_and_der_files_and_directories(pki: Pki, other: Pki,
                                                                 tmp_path: Path) -> None:
    roots = tmp_path / "roots"
    roots.mkdir()
    (roots / "national.pem").write_bytes(pki.root_pem + other.root_pem)
    (roots / "gcc.der").write_bytes(_der(other.root_pem))
    (roots / "README.txt").write_text("not a certificate, not read")
    single = tmp_path / "one.crt"
    single.write_bytes(pki.root_pem)

    loaded = load_trust_roots([roots, single])

    assert len(loaded) == 4
    assert verify_pdf(make_pdf(), loaded).state is State.UNSIGNED


def _der(pem: bytes) -> bytes:
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize("content", [b"-----BEGIN CERTIFICATE-----\nnonsense\n", b"\x30\x03ab",
                                     b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY"
                                     b"-----\n"])
def test_a_bad_trust_root_file_is_an_error_naming_it(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "khong-phai-chung-thu.pem"
    bad.write_bytes(content)

    with pytest.raises(TrustRootError, match=r"khong-phai-chung-thu\.pem") as caught:
        load_trust_roots([bad])
    assert caught.value.path == bad


def test_a_missing_trust_root_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(TrustRootError, match=r"missing\.pem: no such file"):
        load_trust_roots([tmp_path / "missing.pem"])


def test_an_encrypted_key_signs_with_its_passphrase_only(pki: Pki, pdf: bytes) -> None:
    key = serialization.load_pem_private_key(pki.key_pem, password=None)
    locked = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.BestAvailableEncryption(b"mat-khau"))

    signed = sign_pdf(pdf, locked, pki.cert_pem, [pki.root_pem], passphrase=b"mat-khau")

    assert verify_pdf(signed, [pki.root_pem]).state is State.VALID
    with pytest.raises(SigningError) as caught:
        sign_pdf(pdf, locked, pki.cert_pem, passphrase=b"sai")
    assert caught.value.problem is SigningProblem.KEY_UNREADABLE


def test_signing_refuses_a_key_of_another_certificate_and_a_non_pdf(pki: Pki, other: Pki,
                                                                    pdf: bytes) -> None:
    with pytest.raises(SigningError) as mismatch:
        sign_pdf(pdf, other.key_pem, pki.cert_pem)
    with pytest.raises(SigningError) as not_pdf:
        sign_pdf(b"<html>not a pdf</html>", pki.key_pem, pki.cert_pem)
    with pytest.raises(SigningError) as bad_cert:
        sign_pdf(pdf, pki.key_pem, b"not a certificate")

    assert mismatch.value.problem is SigningProblem.KEY_MISMATCH
    assert not_pdf.value.problem is SigningProblem.NOT_A_PDF
    assert bad_cert.value.problem is SigningProblem.CERTIFICATE_UNREADABLE


def test_a_check_kept_as_data_reads_back_the_same(pki: Pki, signed: bytes) -> None:
    for result in (verify_pdf(signed, [pki.root_pem]),
                   verify_pdf(_change_page(signed, b"Sua doi"), [pki.root_pem]),
                   verify_pdf(b"rubbish", [pki.root_pem])):
        data = json.loads(json.dumps(result.as_data()))

        assert Verification.from_data(data) == result
    assert Verification.from_data({}).state is State.UNSIGNED


def test_signing_and_checking_work_inside_a_running_event_loop(pki: Pki, pdf: bytes) -> None:
    """pyHanko's synchronous calls start their own loop; where one runs already (an ASGI
    server, Playwright's synchronous API in the browser tests) they still answer."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside() -> State:
        signed = sign_pdf(pdf, pki.key_pem, pki.cert_pem, chain_pem=(pki.root_pem,))
        return verify_pdf(signed, [pki.root_pem]).state

    # a loop of its own, in a thread of its own: the browser tests may hold one in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside()).result() == State.VALID
