"""``tinhso backup``: the database and the uploaded files in one archive that ``tinhso restore``
(tinhso.ops.restore) checks and loads, on SQLite or PostgreSQL whichever made it.

The archive is a gzip-compressed tar of

- ``manifest.json``: the format and its version, the platform's version, the database vendor,
  when, the migrations applied, the number of rows of every table, and the size and SHA-256 of
  the database file and of every uploaded file;
- ``database.json``: every row but the content types, permissions and sessions, as Django's
  ``dumpdata`` writes it with natural foreign keys (content types and permissions are named, not
  numbered), so it loads into either vendor, with times to the microsecond (tinhso.ops.exactjson);
  read in one transaction (a snapshot);
- ``media/...``: the files under ``MEDIA_ROOT``, as they are.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tinhso import __version__
from tinhso.ops import exactjson

FORMAT = "tinhso-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
MEDIA = "media/"
# Made again by `migrate` (content types, permissions), or worth nothing in a copy (sessions).
NOT_KEPT = ("contenttypes", "auth.permission", "sessions")
CHUNK = 1024 * 1024


@dataclass
class Summary:
    rows: int
    tables: int
    files: int
    file_bytes: int
    archive_bytes: int


def kept_models() -> list[type[models.Model]]:
    """The models whose rows a backup keeps, with the tables of many-to-many fields."""
    kept = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in NOT_KEPT or meta.label_lower in NOT_KEPT:
            continue
        if meta.auto_created and _is_not_kept(meta.auto_created):
            continue
        kept.append(model)
    return kept


def _is_not_kept(owner: Any) -> bool:
    meta = owner._meta
    return meta.app_label in NOT_KEPT or meta.label_lower in NOT_KEPT


def row_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.using(using).count()
            for model in kept_models()}


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under ``root`` as (its POSIX path relative to root, its path);
    links are not followed (a link in MEDIA_ROOT is not an upload)."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _snapshot(connection: Any) -> None:
    """Within a transaction, the reads that follow see one moment of the database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def dump_database(target: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the rows to ``target``; returns the manifest's database part, read in the same
    transaction as the rows."""
    connection = connections[using]
    outermost = not connection.in_atomic_block  # else the caller's transaction decides
    with transaction.atomic(using=using):
        if outermost:
            _snapshot(connection)
        counts = row_counts(using)
        migrations = applied_migrations(using)
        exactjson.register()
        call_command("dumpdata", exclude=list(NOT_KEPT), natural_foreign=True,
                     format=exactjson.FORMAT,
                     use_base_manager=True, database=using, output=str(target), verbosity=0)
    return {"vendor": connection.vendor, "migrations": migrations, "counts": counts}


def backup(destination: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the archive to ``destination`` (through a temporary file beside it, renamed at
    the end: a failed backup leaves no half-written archive)."""
    media_root = Path(settings.MEDIA_ROOT)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tinhso-backup-") as work:
        database = Path(work) / DATABASE
        manifest: dict[str, Any] = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "tinhso_version": __version__,
            "created_at": timezone.now().isoformat(), **dump_database(database, using)}
        manifest["database"] = {"name": DATABASE, "size": database.stat().st_size,
                                "sha256": sha256_of(database)}
        files: dict[str, dict[str, Any]] = {
            name: {"size": path.stat().st_size, "sha256": sha256_of(path)}
            for name, path in media_files(media_root)}
        manifest["files"] = files
        partial = destination.with_name(f".{destination.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                archive.addfile(info, io.BytesIO(data))
                archive.add(database, arcname=DATABASE, recursive=False)
                for name in files:
                    archive.add(media_root / name, arcname=MEDIA + name, recursive=False)
            partial.replace(destination)
        finally:
            partial.unlink(missing_ok=True)
    return Summary(rows=sum(manifest["counts"].values()), tables=len(manifest["counts"]),
                   files=len(files), file_bytes=sum(f["size"] for f in files.values()),
                   archive_bytes=destination.stat().st_size)
