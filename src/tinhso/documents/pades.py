"""Signing an outgoing PDF: a PAdES baseline B-B signature (``ETSI.CAdES.detached``, SHA-256,
no timestamp, no revocation data) added as an incremental update, so that the original's bytes
stay as they were and an earlier signature on it still verifies. Pure Python over pyHanko and
cryptography: no Django. ``signatures.sign_pdf`` is this module's ``sign_pdf``."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from io import BytesIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tinhso.documents import no_loop


class SigningProblem(enum.StrEnum):
    """Why a PDF could not be signed, as the English msgid the caller translates."""

    KEY_UNREADABLE = ("The signing key could not be read: a wrong passphrase, or not a PEM or "
                      "DER private key.")
    CERTIFICATE_UNREADABLE = "The signing certificate is not a PEM or DER certificate."
    KEY_MISMATCH = "The signing key does not belong to the signing certificate."
    NOT_A_PDF = "The file is not a PDF that can be signed."
    ENCRYPTED = "The PDF is protected by a password and cannot be signed."


class SigningError(ValueError):
    def __init__(self, problem: SigningProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def sign_pdf(data: bytes, key_pem: bytes, cert_pem: bytes, chain_pem: Sequence[bytes] = (),
             passphrase: bytes | None = None, reason: str = "", location: str = "",
             signer_name: str = "") -> bytes:
    """``data`` with one more signature, by the key ``key_pem`` (PEM or DER, encrypted with
    ``passphrase`` or not) and its certificate ``cert_pem``; ``chain_pem`` are the CA
    certificates up to the root, embedded so that the receiver can build the chain. Raises
    ``SigningError`` naming what is wrong."""
    cert = _certificate(cert_pem)
    key = _private_key(key_pem, passphrase, cert)
    chain = [c for blob in chain_pem for c in _certificates(blob)]
    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([cert, *chain]))
    writer = _writer(data)
    meta = signers.PdfSignatureMetadata(
        field_name=_free_field_name(writer), md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, reason=reason or None,
        location=location or None, name=signer_name or None)
    out = no_loop.call(lambda: signers.sign_pdf(writer, meta, signer=signer))
    return bytes(out.getvalue())


def _certificates(blob: bytes) -> list[asn1_x509.Certificate]:
    try:
        certs = list(load_certs_from_pemder_data(blob))
        for cert in certs:
            cert.native  # noqa: B018 - parse it whole now, not lazily later
    except Exception as exc:
        raise SigningError(SigningProblem.CERTIFICATE_UNREADABLE) from exc
    if not certs:
        raise SigningError(SigningProblem.CERTIFICATE_UNREADABLE)
    return certs


def _certificate(blob: bytes) -> asn1_x509.Certificate:
    return _certificates(blob)[0]


def _private_key(blob: bytes, passphrase: bytes | None,
                 cert: asn1_x509.Certificate) -> asn1_keys.PrivateKeyInfo:
    """The key as pyHanko takes it, once checked to be the certificate's."""
    load = (serialization.load_pem_private_key if blob.lstrip().startswith(b"-----")
            else serialization.load_der_private_key)
    try:
        key = load(blob, password=passphrase or None)
    except (ValueError, TypeError) as exc:
        raise SigningError(SigningProblem.KEY_UNREADABLE) from exc
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    if public != cert["tbs_certificate"]["subject_public_key_info"].dump():
        raise SigningError(SigningProblem.KEY_MISMATCH)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


def _writer(data: bytes) -> IncrementalPdfFileWriter:
    if b"%PDF-" not in data[:1024]:  # the header, within the first kilobyte
        raise SigningError(SigningProblem.NOT_A_PDF)
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    except Exception as exc:
        raise SigningError(SigningProblem.NOT_A_PDF) from exc
    if writer.prev.encrypted:
        raise SigningError(SigningProblem.ENCRYPTED)
    return writer


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    """``Signature1``, or the next number free when the file already has signature fields."""
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)}
    number = 1
    while f"Signature{number}" in taken:
        number += 1
    return f"Signature{number}"
