"""Two installations of the platform exchange a signed document through the file-drop
connector, as two provinces would: each its own database (two SQLite files, or two PostgreSQL
databases when the suite runs on PostgreSQL), its own province and clerk, its own media, the
drop folder shared; both trust the same throwaway root CA. Each is driven from outside by the
``tinhso`` command in a process of its own (``tinhso shell -c`` for what a clerk does in the
browser). A's clerk issues a PDF document to B, signs it with the organisation's certificate
and sends it; cron's ``tinhso documents exchange`` carries
it; B's clerk sees it registered with the signature valid; A sees B's acknowledgement."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import tinhso
from tests.documents.pki import make_pdf, make_pki

SRC = Path(tinhso.__file__).resolve().parents[1]
A_ORGAN, B_ORGAN = "000.00.00.H34", "000.00.00.H29"
SUBJECT = "Về việc phối hợp liên thông văn bản điện tử giữa hai tỉnh"


@dataclass
class Installation:
    name: str
    env: dict[str, str]

    def run(self, *argv: str) -> str:
        done = subprocess.run([sys.executable, "-m", "tinhso.cli", *argv], env=self.env,
                              capture_output=True, text=True, timeout=180, check=False)
        assert done.returncode == 0, f"{self.name}: tinhso {argv[0]}\n{done.stdout}{done.stderr}"
        return done.stdout

    def shell(self, code: str) -> dict:
        """Run ``code`` in the installation; it prints one JSON line last."""
        out = self.run("shell", "--no-imports", "-c", code)
        return json.loads(out.strip().splitlines()[-1])


def _admin(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _database(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _postgres(url: str, *statements: str) -> None:
    import psycopg  # local: only when the suite runs on PostgreSQL

    with psycopg.connect(_admin(url), autocommit=True) as db:
        for statement in statements:
            db.execute(statement)  # type: ignore[arg-type]


def _databases(tmp_path: Path) -> list[str]:
    """Two new PostgreSQL databases on the suite's server, or two SQLite files (empty: the
    default under each installation's TINHSO_VAR_DIR)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return ["", ""]
    tag = uuid.uuid4().hex[:8]
    return [urlunsplit(urlsplit(url)._replace(path=f"/tinhso_two_{n}_{tag}")) for n in "ab"]


def _first_database(a: Installation, b: Installation) -> None:
    """A migrated; B starts from a copy of its empty database (migrating twice would double
    the time)."""
    url = a.env.get("DATABASE_URL", "")
    if url:
        _postgres(url, f'CREATE DATABASE "{_database(url)}"')
    a.run("migrate", "-v0")
    if url:
        _postgres(url, f'CREATE DATABASE "{_database(b.env["DATABASE_URL"])}" '
                       f'TEMPLATE "{_database(url)}"')
    else:
        shutil.copy(Path(a.env["TINHSO_VAR_DIR"]) / "tinhso.sqlite3",
                    Path(b.env["TINHSO_VAR_DIR"]) / "tinhso.sqlite3")


def _environment(tmp_path: Path) -> dict[str, str]:
    """What both installations share: the code, the drop folder, the trusted root."""
    pki = make_pki()
    (tmp_path / "root.pem").write_bytes(pki.root_pem)
    (tmp_path / "key.pem").write_bytes(pki.key_pem)
    (tmp_path / "cert.pem").write_bytes(pki.cert_pem + pki.root_pem)
    (tmp_path / "draft.pdf").write_bytes(make_pdf())
    drop = tmp_path / "drop"
    for organ in (A_ORGAN, B_ORGAN):  # the operator connects each organisation
        (drop / organ).mkdir(parents=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TINHSO_", "DATABASE_URL", "MEDIA_ROOT", "DJANGO_"))}
    env.update(PYTHONPATH=str(SRC), DJANGO_SETTINGS_MODULE="tinhso.settings",
               SECRET_KEY="two-installations-test", TINHSO_DOCUMENT_EXCHANGE="filedrop",
               TINHSO_DOCUMENT_EXCHANGE_DIR=str(drop), PDF=str(tmp_path / "draft.pdf"),
               TINHSO_DOCUMENT_TRUST_ROOTS=str(tmp_path / "root.pem"))
    return env


@pytest.fixture
def installations(tmp_path: Path) -> Iterator[tuple[Installation, Installation]]:
    shared = _environment(tmp_path)
    urls = _databases(tmp_path)
    made = []
    for name, home, organ, peer, url in (("A", "56", A_ORGAN, B_ORGAN, urls[0]),
                                         ("B", "79", B_ORGAN, A_ORGAN, urls[1])):
        (tmp_path / name).mkdir()
        env = {**shared, "TINHSO_VAR_DIR": str(tmp_path / name), "TINHSO_HOME_UNIT": home,
               "ORGAN": organ, "PEER": peer}
        made.append(Installation(name, {**env, "DATABASE_URL": url} if url else env))
    a, b = made
    a.env.update(TINHSO_DOCUMENT_SIGNING_KEY=str(tmp_path / "key.pem"),
                 TINHSO_DOCUMENT_SIGNING_CERT=str(tmp_path / "cert.pem"))
    try:
        _first_database(a, b)
        yield a, b
    finally:
        if urls[0]:
            _postgres(urls[0], *(f'DROP DATABASE IF EXISTS "{_database(u)}" WITH (FORCE)'
                                 for u in urls))


A_ISSUES = f"""
import json, os
from django.core.files.uploadedfile import SimpleUploadedFile
from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.services import staff_user_create
from tinhso.documents import exchange, services
from tinhso.documents.services.files import attachment_sign
from tinhso.units.services import unit_create
home = unit_create(actor=SYSTEM, code="56", name="Tỉnh Khánh Hòa", level="province",
                   attributes={{"agency_code": os.environ["ORGAN"]}})
clerk = staff_user_create(actor=SYSTEM, username="vanthu56", unit=home, roles=["clerk"])
draft = services.outgoing_draft(
    actor=clerk, unit=home, kind="Công văn", notation="UBND-KSTT", subject="{SUBJECT}",
    external=[(os.environ["PEER"], "Ủy ban nhân dân Thành phố Hồ Chí Minh")], page_count=2,
    files=[SimpleUploadedFile("Công văn liên thông.pdf", open(os.environ["PDF"], "rb").read(),
                              "application/pdf")])
document = services.outgoing_issue(actor=clerk, document=draft, signer_name="Trần Hòa Nam")
signed = attachment_sign(actor=clerk, attachment=document.attachments.get())
exchange.document_send(actor=clerk, document=document)
print(json.dumps({{"code": document.code, "state": signed.signature_state,
                  "queued": document.exchanges.count()}}))
"""

B_SETS_UP = """
import json, os
from tinhso.accounts.permissions import SYSTEM
from tinhso.accounts.services import staff_user_create
from tinhso.units.services import unit_create
home = unit_create(actor=SYSTEM, code="79", name="Thành phố Hồ Chí Minh", level="province",
                   attributes={"agency_code": os.environ["ORGAN"]})
staff_user_create(actor=SYSTEM, username="vanthu79", unit=home, roles=["clerk"])
print(json.dumps({"unit": home.agency_code}))
"""

B_CLERK_SEES = """
import json
from tinhso.accounts.models import User
from tinhso.documents.access import visible_documents
clerk = User.objects.get(username="vanthu79")
document = visible_documents(clerk).get(direction="in")
file = document.attachments.get()
print(json.dumps({"code": document.code, "issuer": document.issuer_code,
                  "subject": document.subject, "arrival": document.arrival_number,
                  "status": document.status, "year": document.year, "file": file.name,
                  "state": file.signature_state,
                  "signer": file.signature["signatures"][0]["signer"]}))
"""

A_SEES_ACK = """
import json
from tinhso.documents.models import Exchange, Step
row = Exchange.objects.get(outbound=True)
print(json.dumps({"state": row.state, "code": row.status_code, "text": row.status_text,
                  "steps": list(Step.objects.filter(kind="status").values_list("text",
                                                                              flat=True))}))
"""


def test_two_installations_exchange_a_signed_document(installations):
    a, b = installations
    with ThreadPoolExecutor(2) as pool:  # each sets itself up, at the same time
        issued_job, b_job = pool.submit(a.shell, A_ISSUES), pool.submit(b.shell, B_SETS_UP)
        issued, _b = issued_job.result(), b_job.result()
    assert issued == {"code": "01/UBND-KSTT", "state": "valid", "queued": 1}
    assert "Sent: 1 sent, 0 failed" in a.run("documents", "exchange")
    out = b.run("documents", "exchange")
    assert "Received: 1 registered, 0 already registered, 0 refused" in out
    assert "Sent: 1 sent" in out  # the acknowledgement
    with ThreadPoolExecutor(2) as pool:
        seen_job = pool.submit(b.shell, B_CLERK_SEES)
        a_out = a.run("documents", "exchange", "--receive")
        seen = seen_job.result()
    assert seen["code"] == "01/UBND-KSTT" and seen["issuer"] == A_ORGAN
    assert (seen["subject"], seen["arrival"], seen["status"]) == (SUBJECT, 1, "registered")
    # the copy signed by A's clerk stands for the original
    assert (seen["file"], seen["state"]) == ("Công văn liên thông.signed.pdf", "valid")
    assert "Sở Tài chính tỉnh Khánh Hòa" in seen["signer"]
    assert "1 statuses" in a_out
    ack = a.shell(A_SEES_ACK)
    assert (ack["state"], ack["code"]) == ("acknowledged", "01")
    # "arrival number 1/2026 by ..." in B's language
    assert f"1/{seen['year']}" in ack["text"] and "Thành phố Hồ Chí Minh" in ack["text"]
    assert ack["steps"] == [ack["text"]]
