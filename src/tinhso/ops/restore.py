"""``tinhso restore``: an archive of ``tinhso backup`` (tinhso.ops.backup) back into the database
and ``MEDIA_ROOT``, checked before and after.

Before anything is written: the archive must be ours (format, version), whole (every member
listed, sizes and SHA-256 as the manifest says, nothing else, no path outside the archive),
made at the migrations this database has, and the database and MEDIA_ROOT must be empty unless
``force``. Then, in one transaction: the kept tables are emptied, the rows loaded, and every
table's row count compared with the manifest. The uploaded files, unpacked and checked in a
folder beside MEDIA_ROOT, take its place (by renaming) before that transaction, and the old ones
come back if it fails, its commit included.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from tinhso.ops import exactjson
from tinhso.ops.backup import (
    CHUNK,
    DATABASE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    applied_migrations,
    kept_models,
    media_files,
    row_counts,
    sha256_of,
)

# The database's rows as loaddata reads them: the extension names the format.
LOADED = f"database.{exactjson.FORMAT}"


class RestoreRefused(Exception):
    """The archive cannot be restored here; the message says why."""


@dataclass
class Restored:
    rows: int
    tables: int
    files: int
    vendor_from: str


def read_manifest(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        handle = archive.extractfile(member)
        manifest = json.load(handle) if handle is not None else None
    except KeyError as exc:
        raise RestoreRefused(f"{name} is not a tinhso backup: it has no {MANIFEST}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise RestoreRefused(f"{name}: {MANIFEST} is not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused(f"{name} is not a tinhso backup ({MANIFEST} does not say "
                             f"format \"{FORMAT}\")")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreRefused(f"{name} is a tinhso backup of format version "
                             f"{manifest.get('format_version')!r}; this version reads "
                             f"{FORMAT_VERSION} only")
    for key, kind in (("counts", dict), ("files", dict), ("database", dict),
                      ("migrations", list)):
        if not isinstance(manifest.get(key), kind):
            raise RestoreRefused(f"{name}: {MANIFEST} lacks \"{key}\"")
    return manifest


def _member_path(member: tarfile.TarInfo, name: str) -> str:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not member.isfile():
        raise RestoreRefused(f"{name}: refused member {member.name!r} (not a plain file "
                             "inside the archive)")
    return path.as_posix()


def _copy_checked(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path,
                  expected: dict[str, Any], name: str) -> None:
    """Unpack one member to ``target``, checking its size and SHA-256 against the manifest."""
    digest = hashlib.sha256()
    source = archive.extractfile(member)
    if source is None:
        raise RestoreRefused(f"{name}: {member.name} cannot be read")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
    if member.size != expected.get("size") or digest.hexdigest() != expected.get("sha256"):
        raise RestoreRefused(f"{name} is damaged: {member.name} does not match its size and "
                             "SHA-256 in the manifest")


def unpack(path: Path, work: Path, media: Path) -> dict[str, Any]:
    """Check the archive whole and unpack its database to ``work`` and its files to
    ``media``; returns the manifest."""
    name = path.name
    opened = False
    try:
        with tarfile.open(path, "r:gz") as archive:
            opened = True
            manifest = read_manifest(archive, name)
            wanted = {DATABASE: manifest["database"],
                      **{MEDIA + f: meta for f, meta in manifest["files"].items()}}
            seen = set()
            for member in archive:
                member_name = _member_path(member, name)
                if member_name == MANIFEST:
                    continue
                if member_name not in wanted or member_name in seen:
                    raise RestoreRefused(f"{name}: {member_name} is not in the manifest")
                seen.add(member_name)
                target = (work / LOADED if member_name == DATABASE
                          else media / member_name[len(MEDIA):])
                _copy_checked(archive, member, target, wanted[member_name], name)
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        if not opened:
            raise RestoreRefused(f"{name} is not a tinhso backup (not a gzip-compressed tar "
                                 f"archive: {exc})") from exc
        raise RestoreRefused(f"{name} is damaged ({exc.__class__.__name__}: {exc})") from exc
    missing = sorted(set(wanted) - seen)
    if missing:
        raise RestoreRefused(f"{name} is incomplete: {', '.join(missing[:5])} missing")
    return manifest


def check_target(manifest: dict[str, Any], media_root: Path, force: bool, using: str) -> None:
    ours = applied_migrations(using)
    theirs = sorted(list(m) for m in manifest["migrations"])
    if ours != theirs:
        only_archive = sorted({tuple(m) for m in theirs} - {tuple(m) for m in ours})
        only_here = sorted({tuple(m) for m in ours} - {tuple(m) for m in theirs})
        raise RestoreRefused(
            "The archive was made at other migrations than this database's: "
            f"{len(only_archive)} only in the archive (e.g. {_names(only_archive)}), "
            f"{len(only_here)} only here (e.g. {_names(only_here)}). Restore it with the "
            "version of tinhso that made it, into a database migrated by that version "
            "(tinhso migrate), then upgrade.")
    if force:
        return
    full = sorted(label for label, count in row_counts(using).items() if count)
    if full:
        raise RestoreRefused(f"The database is not empty ({len(full)} tables have rows, e.g. "
                             f"{', '.join(full[:3])}); --force replaces its contents")
    if any(True for _ in media_files(media_root)):
        raise RestoreRefused(f"MEDIA_ROOT ({media_root}) is not empty; --force replaces it")


def _names(pairs: list[tuple[str, ...]]) -> str:
    return ", ".join(".".join(p) for p in pairs[:3]) or "none"


def empty_kept_tables(using: str) -> None:
    connection = connections[using]
    tables = sorted({m._meta.db_table for m in kept_models()} & set(
        connection.introspection.table_names()))
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred checks pending (rows written earlier in the
        # transaction): run them now, defer them again for the load
        statements = ["SET CONSTRAINTS ALL IMMEDIATE", *statements, "SET CONSTRAINTS ALL DEFERRED"]
    connection.ops.execute_sql_flush(statements)


def check_counts(manifest: dict[str, Any], using: str) -> None:
    counts = row_counts(using)
    wrong = sorted(label for label, count in manifest["counts"].items()
                   if counts.get(label, -1) != count)
    if wrong:
        raise RestoreRefused("After loading, the row counts differ from the manifest's in "
                             + ", ".join(f"{w} ({counts.get(w)} for {manifest['counts'][w]})"
                                         for w in wrong[:5]) + "; nothing was restored")


def check_files(manifest: dict[str, Any], media_root: Path) -> None:
    found = dict(media_files(media_root))
    wrong = sorted(name for name, meta in manifest["files"].items()
                   if name not in found or sha256_of(found[name]) != meta["sha256"])
    if wrong or len(found) != len(manifest["files"]):
        raise RestoreRefused(f"After restoring, the files in {media_root} differ from the "
                             f"manifest ({', '.join(wrong[:5]) or 'extra files'})")


@contextmanager
def swapped_media(staged: Path, media_root: Path) -> Iterator[None]:
    """Put ``staged`` in the place of ``media_root``; put the old one back if the block
    fails, remove it if the block succeeds."""
    old = media_root.with_name(f".{media_root.name}.before-restore-{uuid.uuid4().hex[:8]}")
    had_old = media_root.exists()
    if had_old:
        media_root.rename(old)
    staged.rename(media_root)
    try:
        yield
    except BaseException:
        shutil.rmtree(media_root, ignore_errors=True)
        if had_old:
            old.rename(media_root)
        raise
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


def restore(path: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> Restored:
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # beside MEDIA_ROOT, so that it takes its place by renaming (same file system)
    staged = Path(tempfile.mkdtemp(prefix=f".{media_root.name}.restoring-",
                                   dir=media_root.parent))
    try:
        with tempfile.TemporaryDirectory(prefix="tinhso-restore-") as work:
            manifest = unpack(path, Path(work), staged)
            check_target(manifest, media_root, force, using)
            # the files go back if the transaction fails, its commit included
            with swapped_media(staged, media_root), transaction.atomic(using=using):
                empty_kept_tables(using)
                exactjson.register()
                call_command("loaddata", str(Path(work) / LOADED), database=using,
                             verbosity=0)
                check_counts(manifest, using)
                check_files(manifest, media_root)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return Restored(rows=sum(manifest["counts"].values()), tables=len(manifest["counts"]),
                    files=len(manifest["files"]), vendor_from=str(manifest.get("vendor")))
