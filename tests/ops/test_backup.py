"""`tinhso backup` / `tinhso restore` round-trip the database and the uploaded files (issue 13,
Backup), on whichever database the tests run (SQLite, or PostgreSQL with DATABASE_URL), and
refuse what they should: a foreign, damaged or incomplete archive, an archive of other
migrations, a database or MEDIA_ROOT that is not empty (without --force). A restore that fails
its checks leaves the database and the files as they were."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.factories import PDF, DossierFactory, grant, staff_user
from tests.factories.units import home_unit
from tests.ops.tasks import record
from tinhso.accounts.models import RoleAssignment, User
from tinhso.ops.backup import row_counts
from tinhso.procedures.models import Dossier
from tinhso.units.models import Unit

pytestmark = pytest.mark.django_db

FILES = {
    "dossiers/2026/hồ sơ 1/tờ khai.pdf": PDF,
    "evidence/bảng.xlsx": bytes(range(256)) * 40,
    "empty.txt": b"",
}


@pytest.fixture
def data(settings: Any) -> dict[str, Any]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    officer = staff_user(unit=home_unit(), username="canbo", email="canbo@example.vn")
    grant(officer, "administrator", home_unit())
    dossiers = [DossierFactory(online=True, resolved_late=True), DossierFactory(withdrawn=True)]
    record.enqueue("waiting.log")  # a queued task (the outbox) survives too
    for name, content in FILES.items():
        assert default_storage.save(name, ContentFile(content)) == name
    return {"officer": officer, "dossiers": dossiers}


def snapshot() -> dict[str, Any]:
    """What a user would notice: rows per table, some rows in full, every file's bytes."""
    root = Path(settings.MEDIA_ROOT)
    return {
        "counts": row_counts(),
        "dossiers": list(Dossier.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "roles": list(RoleAssignment.objects.order_by("pk").values()),
        "tasks": list(DBTaskResult.objects.order_by("pk").values("id", "status", "args_kwargs")),
        "files": {p.relative_to(root).as_posix(): p.read_bytes()
                  for p in root.rglob("*") if p.is_file()},
    }


def flush() -> None:
    """The database emptied, as `tinhso flush` would (PostgreSQL: the test's transaction's
    deferred checks run first, or TRUNCATE refuses)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def wipe() -> None:
    flush()
    for path in sorted(Path(settings.MEDIA_ROOT).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_backup_then_restore_into_an_empty_database_gives_everything_back(
        data: dict[str, Any], tmp_path: Path) -> None:
    before = snapshot()
    assert before["counts"]["procedures.dossier"] == 2 and len(before["files"]) == 3
    archive = tmp_path / "tinhso.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    wipe()
    assert not Dossier.objects.exists() and not User.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert snapshot() == before
    assert f"{sum(before['counts'].values())} rows" in out.getvalue()
    # the sequences go on after the restored rows: a new row gets a new id
    assert DossierFactory().pk > max(d["id"] for d in before["dossiers"])


def test_the_manifest_says_what_is_in_the_archive(data: dict[str, Any], tmp_path: Path) -> None:
    archive = tmp_path / "tinhso.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        names = set(tar.getnames())
    assert manifest["format"] == "tinhso-backup" and manifest["format_version"] == 1
    assert manifest["counts"]["procedures.dossier"] == 2
    assert "contenttypes.contenttype" not in manifest["counts"]
    assert ["procedures", "0001_initial"] in manifest["migrations"]
    assert set(manifest["files"]) == set(FILES)
    assert names == {"manifest.json", "database.json", *(f"media/{f}" for f in FILES)}


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
        data: dict[str, Any], tmp_path: Path) -> None:
    archive = tmp_path / "tinhso.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = snapshot()
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive))

    Dossier.objects.filter(pk=data["dossiers"][0].pk).update(applicant_name="Changed later")
    DossierFactory()
    Unit.objects.filter(pk=home_unit().pk).update(name="Renamed")
    (Path(settings.MEDIA_ROOT) / "evidence/bảng.xlsx").write_bytes(b"overwritten")
    (Path(settings.MEDIA_ROOT) / "extra.pdf").write_bytes(PDF)
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert snapshot() == before


def test_restore_refuses_files_in_media_root_unless_forced(
        data: dict[str, Any], tmp_path: Path) -> None:
    archive = tmp_path / "tinhso.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    flush()
    with pytest.raises(CommandError, match=r"MEDIA_ROOT .* is not empty"):
        call_command("restore", str(archive))


def rewrite(source: Path, target: Path, *, manifest: Any = None,
            members: dict[str, bytes | None] | None = None) -> Path:
    """A copy of an archive with its manifest changed by ``manifest`` (a function) and
    members replaced (bytes), removed (None) or added."""
    members = dict(members or {})
    with tarfile.open(source) as tar, tarfile.open(target, "w:gz") as out:
        for member in tar.getmembers():
            content = tar.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json" and manifest is not None:
                content = json.dumps(manifest(json.loads(content))).encode()
            if member.name in members:
                content = members.pop(member.name)  # type: ignore[assignment]
                if content is None:
                    continue
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content or b"")
            out.addfile(info, io.BytesIO(content or b""))
    return target


def _set(key: str, value: Any) -> Any:
    return lambda m: {**m, key: value}


@pytest.mark.parametrize(("change", "message"), [
    ("not an archive", "is not a tinhso backup \\(not a gzip-compressed tar archive"),
    ("truncated", "is damaged|not a gzip-compressed"),
    ("no manifest", "is not a tinhso backup: it has no manifest.json"),
    ("foreign", "is not a tinhso backup \\(manifest.json does not say format"),
    ("newer format", "format version 2; this version reads 1 only"),
    ("file changed", "is damaged: media/empty.txt does not match"),
    ("file missing", "is incomplete: media/empty.txt missing"),
    ("file added", "media/intruder.pdf is not in the manifest"),
    ("path traversal", "refused member '../outside.txt'"),
    ("other migrations", "made at other migrations than this database's: 1 only in the archive"),
])
def test_restore_refuses_a_broken_or_foreign_archive_and_changes_nothing(
        data: dict[str, Any], tmp_path: Path, change: str, message: str) -> None:
    good = tmp_path / "good.tar.gz"
    call_command("backup", str(good), stdout=io.StringIO())
    bad = tmp_path / "bad.tar.gz"
    if change == "not an archive":
        bad.write_text("id,name\n1,x\n")
    elif change == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    else:
        rewrite(good, bad, **{
            "no manifest": {"members": {"manifest.json": None}},
            "foreign": {"manifest": _set("format", "someone-else")},
            "newer format": {"manifest": _set("format_version", 2)},
            "file changed": {"members": {"media/empty.txt": b"not empty"}},
            "file missing": {"members": {"media/empty.txt": None}},
            "file added": {"members": {"media/intruder.pdf": PDF}},
            "path traversal": {"members": {"../outside.txt": b"x"}},
            "other migrations": {"manifest": lambda m: {
                **m, "migrations": [*m["migrations"], ["procedures", "9999_future"]]}},
        }[change])
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), "--force")
    assert snapshot() == before
    assert not (tmp_path / "outside.txt").exists()


def test_a_restore_whose_counts_do_not_match_rolls_back_the_rows_and_the_files(
        data: dict[str, Any], tmp_path: Path) -> None:
    good = tmp_path / "good.tar.gz"
    call_command("backup", str(good), stdout=io.StringIO())
    DossierFactory()
    (Path(settings.MEDIA_ROOT) / "later.pdf").write_bytes(PDF)
    before = snapshot()
    lying = rewrite(good, tmp_path / "lying.tar.gz", manifest=lambda m: {
        **m, "counts": {**m["counts"], "procedures.dossier": 5}})
    with pytest.raises(CommandError, match=r"procedures.dossier \(2 for 5\); nothing was"):
        call_command("restore", str(lying), "--force")
    assert snapshot() == before
    siblings = os.listdir(Path(settings.MEDIA_ROOT).parent)
    assert not [s for s in siblings if "restoring" in s or "before-restore" in s]
