"""The files of an online submission that was refused for another reason, kept for the next
try, so that one wrong field does not mean attaching every file again.

Only files that passed their own check (type, content, 10 MB) are kept. They are stored under
``held/<random token>/`` in the default storage (never served: files are downloaded through
views) and named in the signed-in user's session, per procedure, with the account they belong
to: another session or account never sees them. A successful submission or a removal deletes
them; files left behind are deleted after :data:`MAX_AGE` by the next submission that holds
any. Nothing here is a record of the platform: no audit event, no database row.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from tinhso.core.uploads import UPLOAD_TYPES, check_upload

HELD_DIR = "held"
MAX_AGE = timedelta(hours=24)
SESSION_KEY = "tinhso.held_uploads"


@dataclass(frozen=True)
class HeldFile:
    key: str  # the form's name for the document: doc.<code>
    name: str
    size: int
    path: str


def _entry(session: Mapping[str, Any], user: Any, procedure_code: str) -> dict[str, Any]:
    """The session's held files of this procedure, if they are this account's."""
    entry = session.get(SESSION_KEY, {}).get(procedure_code)
    if not isinstance(entry, dict) or entry.get("user") != getattr(user, "pk", None):
        return {}
    return entry


def held_files(*, session: Mapping[str, Any], user: Any, procedure_code: str
               ) -> dict[str, HeldFile]:
    """The files kept for this account's next try at this procedure, by document key."""
    found = {}
    for key, kept in _entry(session, user, procedure_code).get("files", {}).items():
        if kept["path"].startswith(f"{HELD_DIR}/") and default_storage.exists(kept["path"]):
            found[key] = HeldFile(key=key, name=kept["name"], size=kept["size"],
                                  path=kept["path"])
    return found


def as_uploads(held: Iterable[HeldFile]) -> dict[str, UploadedFile]:
    """The kept files as uploads, for the submission to check and store like new ones."""
    uploads: dict[str, UploadedFile] = {}
    for kept in held:
        with default_storage.open(kept.path, "rb") as handle:
            content = handle.read()
        suffix = PurePath(kept.name).suffix.lower()
        uploads[kept.key] = SimpleUploadedFile(
            kept.name, content, content_type=UPLOAD_TYPES.get(suffix, "application/octet-stream"))
    return uploads


def hold(*, session: MutableMapping[str, Any], user: Any, procedure_code: str,
         uploads: Mapping[str, UploadedFile], refused: Iterable[str] = ()) -> dict[str, HeldFile]:
    """Keep the uploads that pass their check and whose key was not refused (a new file for a
    document replaces the one kept); returns what is kept now."""
    purge_abandoned()
    bucket = dict(session.get(SESSION_KEY, {}))
    entry = _entry(session, user, procedure_code) or {
        "user": user.pk, "token": secrets.token_hex(16), "files": {}}
    files = dict(entry.get("files", {}))
    skip = set(refused)
    for key, upload in uploads.items():
        if key in skip:
            continue
        try:
            name, _suffix = check_upload(upload)
        except ValidationError:
            continue
        if key in files:
            default_storage.delete(files[key]["path"])
        path = default_storage.save(f"{HELD_DIR}/{entry['token']}/{key}/{name}", upload)
        upload.seek(0)
        files[key] = {"name": name, "size": upload.size or 0, "path": path}
    bucket[procedure_code] = {**entry, "files": files}
    session[SESSION_KEY] = bucket
    return held_files(session=session, user=user, procedure_code=procedure_code)


def release(*, session: MutableMapping[str, Any], user: Any, procedure_code: str,
            keys: Iterable[str] | None = None) -> None:
    """Delete the kept files of ``keys`` (all of this procedure's when None)."""
    entry = _entry(session, user, procedure_code)
    if not entry:
        return
    files = dict(entry.get("files", {}))
    for key in list(files) if keys is None else [k for k in keys if k in files]:
        default_storage.delete(files.pop(key)["path"])
    bucket = dict(session.get(SESSION_KEY, {}))
    if files:
        bucket[procedure_code] = {**entry, "files": files}
    else:
        bucket.pop(procedure_code, None)
    session[SESSION_KEY] = bucket


def purge_abandoned(now: Any = None) -> int:
    """Delete kept files older than :data:`MAX_AGE` (a try given up); returns how many."""
    if not default_storage.exists(HELD_DIR):
        return 0
    limit = (now or timezone.now()) - MAX_AGE
    removed = 0
    tokens, _files = default_storage.listdir(HELD_DIR)
    for token in tokens:
        keys, _loose = default_storage.listdir(f"{HELD_DIR}/{token}")
        for key in keys:
            _dirs, names = default_storage.listdir(f"{HELD_DIR}/{token}/{key}")
            for name in names:
                path = f"{HELD_DIR}/{token}/{key}/{name}"
                if default_storage.get_modified_time(path) < limit:
                    default_storage.delete(path)
                    removed += 1
    return removed
