"""PDF signatures (PAdES): check those a document arrives with, sign those it leaves with.

Pure Python over pyHanko: no Django. The caller passes the trust roots and the key; the Django
side (``documents.signing``) reads them from the settings and translates the texts here, which
are English msgids returned as enums, never gettext calls.

``verify_pdf`` says of each signature whether the bytes it covers are intact, whether the file
was changed after signing beyond what a signature allows (a later signature, form filling), and
whether the signer's certificate chains to one of the configured roots at the time of checking.
The file's state is the worst of its signatures'; an altered file is never VALID.

Revocation is not checked. The check runs without a network (``allow_fetching=False``): no OCSP
responder and no CRL is asked, and revocation data embedded in the file is not required. With a
network, the same ``ValidationContext`` would take ``allow_fetching=True`` and
``revocation_mode="require"`` (or "hard-fail"), so that a certificate revoked by its CA (the
national root's OCSP/CRL addresses are in each certificate) makes the signature untrusted; or
the sender embeds the revocation data at signing (PAdES B-LT) and it is read offline.

``sign_pdf`` adds a PAdES baseline B-B signature (no timestamp, no revocation data) as an
incremental update, so that the bytes of the original stay as they were.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESSubIndic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from tinhso.documents import no_loop
from tinhso.documents.pades import SigningError, SigningProblem, sign_pdf

__all__ = [
    "Coverage", "Party", "Problem", "SignatureReport", "SigningError", "SigningProblem", "State",
    "TrustRootError", "Verification", "load_trust_roots", "sign_pdf", "verify_pdf",
]

CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")


class State(enum.StrEnum):
    """A file's or a signature's state, from best to worst (see ``SEVERITY``)."""

    VALID = "valid"            # intact, and the signer's certificate chains to a trust root
    UNSIGNED = "unsigned"      # a PDF without signatures
    UNTRUSTED = "untrusted"    # intact, but the chain does not reach a configured root
    ALTERED = "altered"        # the signed bytes changed, or changes after signing not allowed
    UNREADABLE = "unreadable"  # not a PDF, or too damaged to read


SEVERITY = {State.VALID: 0, State.UNSIGNED: 1, State.UNTRUSTED: 2, State.ALTERED: 3,
            State.UNREADABLE: 4}


class Coverage(enum.StrEnum):
    WHOLE_FILE = "whole file"              # nothing was added after the signature
    EARLIER_REVISION = "earlier revision"  # the file was extended after signing
    UNCLEAR = "unclear"                    # the signed byte range is not a whole revision


class Problem(enum.StrEnum):
    """What is wrong, as the English msgid the caller translates."""

    NONE = ""
    NOT_A_PDF = "The file is not a PDF or is too damaged to read."
    NO_SIGNATURE = "The file has no digital signature."
    CONTENT_CHANGED = "The signed content was changed after signing."
    SIGNATURE_BROKEN = "The signature does not match the signer's certificate."
    SIGNATURE_UNREADABLE = "The signature could not be read."
    CHANGED_AFTER_SIGNING = ("The file was changed after signing in a way a signature does not "
                             "allow.")
    PARTIAL_COVERAGE = "The signature does not cover the whole of the signed revision."
    TIMESTAMP_BROKEN = "The signature's timestamp does not match the signature."
    NOT_TRUSTED = "The signer's certificate does not chain to a trusted root certificate."
    EXPIRED = "The signer's certificate had expired at the time of checking."
    NOT_YET_VALID = "The signer's certificate was not yet valid at the time of checking."
    REVOKED = "The signer's certificate has been revoked."
    NOT_FOR_SIGNING = "The signer's certificate is not meant for signing documents."
    WEAK_ALGORITHM = "The signature uses an algorithm that is no longer accepted."


_TRUST_PROBLEMS: dict[AdESSubIndic, Problem] = {
    AdESIndeterminate.EXPIRED: Problem.EXPIRED,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE: Problem.EXPIRED,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED: Problem.EXPIRED,
    AdESIndeterminate.NOT_YET_VALID: Problem.NOT_YET_VALID,
    AdESFailure.NOT_YET_VALID: Problem.NOT_YET_VALID,
    AdESFailure.REVOKED: Problem.REVOKED,
    AdESIndeterminate.REVOKED_NO_POE: Problem.REVOKED,
    AdESIndeterminate.REVOKED_CA_NO_POE: Problem.REVOKED,
    AdESIndeterminate.SIG_CONSTRAINTS_FAILURE: Problem.NOT_FOR_SIGNING,
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE: Problem.WEAK_ALGORITHM,
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE: Problem.WEAK_ALGORITHM,
}

# A document signing certificate carries non-repudiation, digital signature, or both.
_KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"},
                                 match_all_key_usages=False)
# After a signature, only what a later signer adds (its field, its signature, revocation data,
# document timestamps) leaves the earlier signature standing.
_ALLOWED_AFTER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES,
                  ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class Party:
    """Who signed: the certificate subject's common name and organisation."""

    name: str
    organisation: str = ""

    def __str__(self) -> str:
        if self.organisation and self.organisation not in self.name:
            return f"{self.name} ({self.organisation})"
        return self.name


@dataclass(frozen=True)
class SignatureReport:
    field: str                         # the signature field's name in the PDF
    signer: Party
    signed_at: datetime | None         # the signing time the signer claims
    timestamp_at: datetime | None      # a timestamp token's time, when the signature has one
    intact: bool                       # signed bytes unchanged, no changes after not allowed
    trusted: bool                      # the certificate chains to a configured root
    chain: list[str]                   # subject names, the signer's first, the root's last
    coverage: Coverage
    state: State
    problem: Problem = Problem.NONE


@dataclass(frozen=True)
class Verification:
    state: State
    signatures: list[SignatureReport] = field(default_factory=list)
    problem: Problem = Problem.NONE    # for the file as a whole: unreadable, unsigned

    @property
    def valid(self) -> bool:
        return self.state is State.VALID

    def as_data(self) -> dict[str, Any]:
        """As JSON: states and coverage by value, problems by name, times in ISO 8601."""
        return {"state": self.state.value, "problem": self.problem.name,
                "signatures": [_report_data(r) for r in self.signatures]}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Verification:
        """Back from ``as_data`` (a stored check); {} is an unsigned file's."""
        if not data:
            return cls(State.UNSIGNED, problem=Problem.NO_SIGNATURE)
        return cls(State(data["state"]), [_report_from(r) for r in data.get("signatures", [])],
                   _problem(data.get("problem", "")))


def _report_data(report: SignatureReport) -> dict[str, Any]:
    return {
        "field": report.field, "signer": report.signer.name,
        "organisation": report.signer.organisation,
        "signed_at": report.signed_at.isoformat() if report.signed_at else None,
        "timestamp_at": report.timestamp_at.isoformat() if report.timestamp_at else None,
        "intact": report.intact, "trusted": report.trusted, "chain": list(report.chain),
        "coverage": report.coverage.value, "state": report.state.value,
        "problem": report.problem.name,
    }


def _report_from(data: dict[str, Any]) -> SignatureReport:
    def moment(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return SignatureReport(
        field=data.get("field", ""),
        signer=Party(data.get("signer", ""), data.get("organisation", "")),
        signed_at=moment(data.get("signed_at")), timestamp_at=moment(data.get("timestamp_at")),
        intact=bool(data.get("intact")), trusted=bool(data.get("trusted")),
        chain=list(data.get("chain", [])), coverage=Coverage(data.get("coverage", "unclear")),
        state=State(data["state"]), problem=_problem(data.get("problem", "")))


def _problem(name: str) -> Problem:
    return Problem.__members__.get(name, Problem.NONE)


class TrustRootError(ValueError):
    """A trust root file that is missing or holds no certificate; ``path`` names it."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"Trust root {path}: {reason}")
        self.path = path


def worst(states: Sequence[State]) -> State:
    return max(states, key=SEVERITY.__getitem__)


def verify_pdf(data: bytes, trust_roots: Sequence[bytes],
               at: datetime | None = None) -> Verification:
    """Check every signature of ``data`` against ``trust_roots`` (PEM or DER certificates), at
    ``at`` (now when None). Revocation is not checked (see the module's docstring). A root that
    is not a certificate is a ValueError; nothing in ``data`` raises."""
    roots = [cert for blob in trust_roots for cert in _certificates(blob)]
    try:
        reader = _reader(data)
        embedded = reader.embedded_regular_signatures
    except Exception:
        return Verification(State.UNREADABLE, problem=Problem.NOT_A_PDF)
    if not embedded:
        return Verification(State.UNSIGNED, problem=Problem.NO_SIGNATURE)
    reports = no_loop.call(lambda: [_check(sig, roots, at) for sig in embedded])
    return Verification(worst([r.state for r in reports]), reports)


def load_trust_roots(paths: Sequence[Path]) -> list[bytes]:
    """The certificates (DER) of each path: a PEM or DER file (a PEM file may hold several), or
    a directory of such files (those named ``*.pem``, ``*.crt``, ``*.cer``, ``*.der``)."""
    roots: list[bytes] = []
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in CERTIFICATE_SUFFIXES)
        elif path.is_file():
            files = [path]
        else:
            raise TrustRootError(path, "no such file or directory")
        for file in files:
            roots.extend(_root_file(file))
    return roots


def _root_file(path: Path) -> list[bytes]:
    try:
        certs = list(_certificates(path.read_bytes()))
    except OSError as exc:
        raise TrustRootError(path, f"cannot be read ({exc.strerror})") from exc
    except ValueError as exc:
        raise TrustRootError(path, "is not a PEM or DER certificate") from exc
    if not certs:
        raise TrustRootError(path, "holds no certificate")
    return [cert.dump() for cert in certs]


def _certificates(blob: bytes) -> Iterator[asn1_x509.Certificate]:
    """The certificates in PEM or DER bytes; ValueError when they are not certificates."""
    try:
        certs = list(load_certs_from_pemder_data(blob))
        for cert in certs:
            cert.native  # noqa: B018 - parse it whole now, not lazily later
    except Exception as exc:
        raise ValueError("not a PEM or DER certificate") from exc
    return iter(certs)


def _reader(data: bytes) -> PdfFileReader:
    if b"%PDF-" not in data[:1024]:  # the header, within the first kilobyte
        raise ValueError("not a PDF")
    # Lenient: other agencies' software often leaves small slips in the cross-reference table;
    # the difference analysis still compares every revision with the signed one.
    return PdfFileReader(BytesIO(data), strict=False)


def _check(sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate],
           at: datetime | None) -> SignatureReport:
    context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=at,
                                revocation_mode="soft-fail")
    try:
        signer = _party(sig.signer_cert)
        status = validate_pdf_signature(sig, signer_validation_context=context,
                                        key_usage_settings=_KEY_USAGE)
    except Exception:
        return SignatureReport(
            field=str(sig.field_name), signer=_safe_party(sig), signed_at=None,
            timestamp_at=None, intact=False, trusted=False, chain=[],
            coverage=Coverage.UNCLEAR, state=State.ALTERED,
            problem=Problem.SIGNATURE_UNREADABLE)
    state, problem = _judge(status)
    ts = status.timestamp_validity
    return SignatureReport(
        field=str(sig.field_name), signer=signer, signed_at=status.signer_reported_dt,
        timestamp_at=ts.timestamp if ts is not None else None,
        intact=state is not State.ALTERED, trusted=state is State.VALID,
        chain=_chain(status, sig), coverage=_coverage(status.coverage), state=state,
        problem=problem)


def _judge(status: PdfSignatureStatus) -> tuple[State, Problem]:
    """The signature's state and what is wrong, the worst first."""
    if not status.intact:
        return State.ALTERED, Problem.CONTENT_CHANGED
    if not status.valid:
        return State.ALTERED, Problem.SIGNATURE_BROKEN
    coverage = status.coverage
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return State.ALTERED, Problem.PARTIAL_COVERAGE
    if coverage != SignatureCoverageLevel.ENTIRE_FILE and (
            status.modification_level not in _ALLOWED_AFTER or not status.docmdp_ok):
        return State.ALTERED, Problem.CHANGED_AFTER_SIGNING
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid):
        return State.ALTERED, Problem.TIMESTAMP_BROKEN
    if not status.trusted:
        indication = status.trust_problem_indic
        problem = _TRUST_PROBLEMS.get(indication, Problem.NOT_TRUSTED) if indication \
            else Problem.NOT_TRUSTED
        return State.UNTRUSTED, problem
    return State.VALID, Problem.NONE


def _coverage(level: SignatureCoverageLevel | None) -> Coverage:
    if level == SignatureCoverageLevel.ENTIRE_FILE:
        return Coverage.WHOLE_FILE
    if level == SignatureCoverageLevel.ENTIRE_REVISION:
        return Coverage.EARLIER_REVISION
    return Coverage.UNCLEAR


def _chain(status: PdfSignatureStatus, sig: EmbeddedPdfSignature) -> list[str]:
    """The signer's certificate up to the root: the validated path when the chain reached a
    trust root, else as far as the certificates embedded in the signature go."""
    if status.validation_path is not None:
        certs = list(status.validation_path.iter_certs(include_root=True))
        return [_subject(c) for c in reversed(certs)]
    others = {c.subject.dump(): c for c in sig.other_embedded_certs}
    cert, chain = sig.signer_cert, list[str]()
    while cert is not None and len(chain) < 10:
        chain.append(_subject(cert))
        if cert.issuer.dump() == cert.subject.dump():
            break
        cert = others.pop(cert.issuer.dump(), None)
    return chain


def _subject(cert: asn1_x509.Certificate) -> str:
    """Common name and organisation ("Root CA (Organisation)")."""
    return str(_party(cert))


def _party(cert: asn1_x509.Certificate) -> Party:
    names = cert.subject.native
    return Party(name=_first(names.get("common_name")) or str(cert.subject.human_friendly),
                 organisation=_first(names.get("organization_name")))


def _safe_party(sig: EmbeddedPdfSignature) -> Party:
    try:
        return _party(sig.signer_cert)
    except Exception:
        return Party(name="")


def _first(value: object) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value) if value else ""
