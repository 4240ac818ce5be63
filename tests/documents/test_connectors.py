"""Exchange connectors: through the file drop, what one organisation sends waits in the other's
inbox, is received whole (never half-written), and leaves the inbox when registered (done) or
refused (rejected, with the reason beside it); an unknown recipient is refused; the fake
connector behaves the same in memory; the registry builds a connector from the settings.
Pure: no database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tinhso.documents.connectors import (
    FACTORIES,
    FakeConnector,
    FileDropConnector,
    Inbound,
    UnknownRecipient,
    connector,
    exchange_name,
)

PROVINCE, DEPARTMENT = "000.00.00.H41", "000.00.12.H41"
PACKAGE = "Công văn 1234 — Sở TT&TT".encode() * 100


@pytest.fixture
def drop(tmp_path: Path) -> FileDropConnector:
    for organ in (PROVINCE, DEPARTMENT):
        (tmp_path / organ).mkdir()
    return FileDropConnector(tmp_path)


def test_what_is_sent_waits_in_the_recipients_inbox_until_done(drop: FileDropConnector,
                                                              tmp_path: Path) -> None:
    drop.send(DEPARTMENT, "doc-1234.edxml", PACKAGE)
    assert drop.receive(PROVINCE) == []
    waiting = drop.receive(DEPARTMENT)
    assert waiting == [Inbound("doc-1234.edxml", PACKAGE, f"{DEPARTMENT}/doc-1234.edxml")]
    assert drop.receive(DEPARTMENT) == waiting  # receiving takes nothing away
    drop.done(waiting[0].ref)
    assert drop.receive(DEPARTMENT) == []
    assert (tmp_path / DEPARTMENT / "done" / "doc-1234.edxml").read_bytes() == PACKAGE


def test_a_rejected_package_is_kept_with_its_reason(drop: FileDropConnector,
                                                    tmp_path: Path) -> None:
    drop.send(DEPARTMENT, "doc-9.edxml", b"not a package")
    drop.reject(drop.receive(DEPARTMENT)[0].ref, "Subject: thiếu trích yếu")
    rejected = tmp_path / DEPARTMENT / "rejected"
    assert (rejected / "doc-9.edxml").read_bytes() == b"not a package"
    assert (rejected / "doc-9.edxml.reason.txt").read_text() == "Subject: thiếu trích yếu"
    assert drop.receive(DEPARTMENT) == []


def test_items_are_received_in_name_order_and_a_resend_replaces(drop: FileDropConnector) -> None:
    drop.send(DEPARTMENT, "b.edxml", b"first b")
    drop.send(DEPARTMENT, "a.edxml", b"a")
    drop.send(DEPARTMENT, "b.edxml", b"second b")
    assert [(i.name, i.data) for i in drop.receive(DEPARTMENT)] == [
        ("a.edxml", b"a"), ("b.edxml", b"second b")]


def test_a_file_being_written_is_never_received(drop: FileDropConnector, tmp_path: Path) -> None:
    inbox = tmp_path / DEPARTMENT / "inbox"
    inbox.mkdir()
    (inbox / ".doc-1.edxml.abc123.part").write_bytes(PACKAGE[:10])  # a sender mid-write
    assert drop.receive(DEPARTMENT) == []


def test_a_send_that_fails_midway_leaves_nothing_in_the_inbox(
        drop: FileDropConnector, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(source: str, target: str) -> None:
        assert Path(source).name.startswith(".")  # written under a name receive() skips
        assert Path(source).read_bytes() == PACKAGE  # whole and synced before the rename
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        drop.send(DEPARTMENT, "doc-1.edxml", PACKAGE)
    monkeypatch.undo()
    assert list((tmp_path / DEPARTMENT / "inbox").iterdir()) == []
    assert drop.receive(DEPARTMENT) == []


def test_an_unknown_recipient_is_refused(drop: FileDropConnector, tmp_path: Path) -> None:
    with pytest.raises(UnknownRecipient) as caught:
        drop.send("000.00.99.H41", "doc-1.edxml", PACKAGE)
    assert caught.value.organ_id == "000.00.99.H41"
    assert not (tmp_path / "000.00.99.H41").exists()  # a sender never creates an organisation


@pytest.mark.parametrize(("organ", "name"), [
    ("..", "x.edxml"), (DEPARTMENT, "../../etc/x"), (DEPARTMENT, ".hidden"),
    ("a/b", "x.edxml"), (DEPARTMENT, ""), (DEPARTMENT, "x" * 201)])
def test_no_name_from_outside_picks_a_path(drop: FileDropConnector, organ: str,
                                           name: str) -> None:
    with pytest.raises(ValueError, match="not a safe"):
        drop.send(organ, name, PACKAGE)


def test_done_on_nothing_waiting_is_an_error(drop: FileDropConnector) -> None:
    with pytest.raises(FileNotFoundError):
        drop.done(f"{DEPARTMENT}/nothing.edxml")


def test_the_fake_connector_behaves_like_the_file_drop() -> None:
    fake = FakeConnector(organs={DEPARTMENT})
    with pytest.raises(UnknownRecipient):
        fake.send(PROVINCE, "x", b"x")
    fake.send(DEPARTMENT, "b", b"1")
    fake.send(DEPARTMENT, "a", b"2")
    fake.send(DEPARTMENT, "b", b"3")
    assert [(i.name, i.data) for i in fake.receive(DEPARTMENT)] == [("a", b"2"), ("b", b"3")]
    fake.done(f"{DEPARTMENT}/a")
    fake.reject(f"{DEPARTMENT}/b", "trùng số")
    assert fake.receive(DEPARTMENT) == []
    assert fake.done_refs == [f"{DEPARTMENT}/a"]
    assert fake.rejected == {f"{DEPARTMENT}/b": "trùng số"}
    fake.fail = True
    with pytest.raises(ConnectionError):
        fake.send(DEPARTMENT, "c", b"4")


def test_the_registry_builds_the_connector_the_settings_name(tmp_path: Path) -> None:
    built = connector("filedrop", {"TINHSO_DOCUMENT_EXCHANGE_DIR": str(tmp_path)})
    assert isinstance(built, FileDropConnector) and built.root == tmp_path
    assert connector("", {}) is None  # exchange off
    assert {"filedrop", "fake"} <= set(FACTORIES)
    with pytest.raises(ValueError, match="TINHSO_DOCUMENT_EXCHANGE_DIR"):
        connector("filedrop", {})
    with pytest.raises(KeyError, match="lgsp"):
        connector("lgsp", {})


def test_a_document_id_gives_one_stable_safe_file_name(drop: FileDropConnector) -> None:
    document_id = "000.00.00.H41,2026/11/27,1234/UBND-KSTTHC"
    name = exchange_name(document_id)
    assert name == exchange_name(document_id) and name.endswith(".edxml")
    assert name.startswith("000.00.00.H41_2026_11_27_1234_UBND-KSTTHC-")
    assert exchange_name(document_id.replace("/", ",")) != name  # same readable part
    assert exchange_name(f"{document_id}#02", "status.xml").endswith(".status.xml")
    drop.send(DEPARTMENT, name, PACKAGE)
    assert drop.receive(DEPARTMENT)[0].name == name
