"""The document office's PDF signatures as the installation configures them: an arriving PDF
is verified against the trust roots of ``TINHSO_DOCUMENT_TRUST_ROOTS``, an outgoing one signed
with the organisation's key and certificate (``TINHSO_DOCUMENT_SIGNING_KEY``,
``TINHSO_DOCUMENT_SIGNING_CERT``, ``TINHSO_DOCUMENT_SIGNING_PASSPHRASE``), and each state and
problem of ``signatures`` gets its translated text and colour. The checking itself is the pure
``signatures`` module's; revocation is not checked (see there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.documents.signatures import (
    Coverage,
    Problem,
    SigningError,
    SigningProblem,
    State,
    Verification,
    load_trust_roots,
    sign_pdf,
    verify_pdf,
)

# Problems of the key and certificate are the installation's, not the document's.
_CONFIGURATION_PROBLEMS = {SigningProblem.KEY_UNREADABLE, SigningProblem.CERTIFICATE_UNREADABLE,
                           SigningProblem.KEY_MISMATCH}


class SigningNotConfigured(ImproperlyConfigured):
    """No organisation certificate to sign with, or one that cannot be used."""


@dataclass(frozen=True)
class StateLabel:
    text: str
    css: str  # the page's status colour: green, amber, red, grey


_STATES: dict[State, tuple[Promise, str]] = {
    State.VALID: (gettext_lazy("Signature valid"), "status status-achieved"),
    State.UNTRUSTED: (gettext_lazy("Signature intact, signer not trusted"),
                      "status status-at_risk"),
    State.ALTERED: (gettext_lazy("Altered after signing"), "status status-off_track"),
    State.UNREADABLE: (gettext_lazy("Unreadable file"), "status status-off_track"),
    State.UNSIGNED: (gettext_lazy("Not signed"), "status status-unknown"),
}

# The same English as the enums' values, written out for makemessages.
_PROBLEMS: dict[Problem | SigningProblem, Promise] = {
    Problem.NOT_A_PDF: gettext_lazy("The file is not a PDF or is too damaged to read."),
    Problem.NO_SIGNATURE: gettext_lazy("The file has no digital signature."),
    Problem.CONTENT_CHANGED: gettext_lazy("The signed content was changed after signing."),
    Problem.SIGNATURE_BROKEN: gettext_lazy(
        "The signature does not match the signer's certificate."),
    Problem.SIGNATURE_UNREADABLE: gettext_lazy("The signature could not be read."),
    Problem.CHANGED_AFTER_SIGNING: gettext_lazy(
        "The file was changed after signing in a way a signature does not allow."),
    Problem.PARTIAL_COVERAGE: gettext_lazy(
        "The signature does not cover the whole of the signed revision."),
    Problem.TIMESTAMP_BROKEN: gettext_lazy(
        "The signature's timestamp does not match the signature."),
    Problem.NOT_TRUSTED: gettext_lazy(
        "The signer's certificate does not chain to a trusted root certificate."),
    Problem.EXPIRED: gettext_lazy("The signer's certificate had expired at the time of checking."),
    Problem.NOT_YET_VALID: gettext_lazy(
        "The signer's certificate was not yet valid at the time of checking."),
    Problem.REVOKED: gettext_lazy("The signer's certificate has been revoked."),
    Problem.NOT_FOR_SIGNING: gettext_lazy(
        "The signer's certificate is not meant for signing documents."),
    Problem.WEAK_ALGORITHM: gettext_lazy(
        "The signature uses an algorithm that is no longer accepted."),
    SigningProblem.KEY_UNREADABLE: gettext_lazy(
        "The signing key could not be read: a wrong passphrase, or not a PEM or DER private "
        "key."),
    SigningProblem.CERTIFICATE_UNREADABLE: gettext_lazy(
        "The signing certificate is not a PEM or DER certificate."),
    SigningProblem.KEY_MISMATCH: gettext_lazy(
        "The signing key does not belong to the signing certificate."),
    SigningProblem.NOT_A_PDF: gettext_lazy("The file is not a PDF that can be signed."),
    SigningProblem.ENCRYPTED: gettext_lazy(
        "The PDF is protected by a password and cannot be signed."),
}

_COVERAGES: dict[Coverage, Promise] = {
    Coverage.WHOLE_FILE: gettext_lazy("the whole file"),
    Coverage.EARLIER_REVISION: gettext_lazy("an earlier revision (the file was added to later)"),
    Coverage.UNCLEAR: gettext_lazy("unclear"),
}


def state_label(state: State | str) -> StateLabel:
    """The state's text in the current language and its colour class."""
    text, css = _STATES[State(state)]
    return StateLabel(text=str(text), css=css)


def problem_text(problem: Problem | SigningProblem | str) -> str:
    """The problem in the current language; empty for none."""
    if not problem:
        return ""
    known = _PROBLEMS.get(problem)  # type: ignore[call-overload]
    return str(known) if known is not None else _(str(problem))


def coverage_text(coverage: Coverage | str) -> str:
    return str(_COVERAGES[Coverage(coverage)])


def trust_roots() -> list[bytes]:
    """The configured roots, read afresh (a file replaced takes effect at the next check)."""
    return load_trust_roots([Path(p) for p in settings.TINHSO_DOCUMENT_TRUST_ROOTS])


def verify(data: bytes, at: datetime | None = None) -> Verification:
    """The signatures of ``data`` checked against the configured roots; a bad root file is a
    ``TrustRootError`` naming it."""
    return verify_pdf(data, trust_roots(), at)


def signing_configured() -> bool:
    return bool(settings.TINHSO_DOCUMENT_SIGNING_KEY and settings.TINHSO_DOCUMENT_SIGNING_CERT)


def sign(data: bytes, reason: str = "", location: str = "") -> bytes:
    """``data`` signed with the organisation's certificate. ``SigningNotConfigured`` when no key
    or certificate is set or they cannot be used; ``ValidationError`` when ``data`` is not a PDF
    that can be signed."""
    if not signing_configured():
        raise SigningNotConfigured(_(
            "No organisation certificate is configured for signing documents: set "
            "TINHSO_DOCUMENT_SIGNING_KEY and TINHSO_DOCUMENT_SIGNING_CERT."))
    key_path = Path(settings.TINHSO_DOCUMENT_SIGNING_KEY)
    cert_path = Path(settings.TINHSO_DOCUMENT_SIGNING_CERT)
    key_pem, cert_pem = _read(key_path), _read(cert_path)
    passphrase = settings.TINHSO_DOCUMENT_SIGNING_PASSPHRASE.encode() or None
    try:
        # The certificate file may go on with its CA chain: embedded for the receiver.
        return sign_pdf(data, key_pem, cert_pem, chain_pem=(cert_pem,), passphrase=passphrase,
                        reason=reason, location=location)
    except SigningError as exc:
        if exc.problem in _CONFIGURATION_PROBLEMS:
            raise SigningNotConfigured(_("%(problem)s (%(key)s, %(cert)s)") % {
                "problem": problem_text(exc.problem), "key": key_path, "cert": cert_path,
            }) from exc
        raise ValidationError(problem_text(exc.problem), code=exc.problem.name.lower()) from exc


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SigningNotConfigured(_("Cannot read %(path)s: %(reason)s") % {
            "path": path, "reason": exc.strerror}) from exc
