"""The client's address, also behind a reverse proxy (for login throttling and the audit log),
and stored files as downloads."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def client_ip(request: Any) -> str | None:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT=N proxies in front, the address the nearest
    of them received the request from (the N-th entry from the right of X-Forwarded-For)."""
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def file_attachment(field: Any, name: str, content_type: str | None = None) -> FileResponse:
    """A stored file as a download (``Content-Disposition: attachment``); 404 when the field is
    empty or the file is gone from the storage."""
    if not field:
        raise Http404(_("There is no file."))
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from the storage.")) from exc
    return FileResponse(handle, as_attachment=True, filename=name,
                        content_type=content_type or "application/octet-stream")
