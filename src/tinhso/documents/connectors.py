"""How edXML packages and status messages travel between agencies: connectors, registered by
name. Pure: the settings a connector needs are passed in (see
``docs/operations/document-exchange.md``).

A connector has a ``name`` and four operations:

- ``send(to_organ_id, name, data)`` delivers the file ``name`` (a package or a status
  message) to the organisation ``to_organ_id``, or raises: :class:`UnknownRecipient` when the
  exchange does not know that organisation, any other exception when it could not deliver
  now (the caller retries later with the same ``name``: a name is derived from the document's
  DocumentId, so a resend replaces, never duplicates);
- ``receive(own_organ_id)`` lists what waits for this installation's organisation, as
  :class:`Inbound` items, oldest name first, and leaves them waiting;
- ``done(ref)`` takes an item out of the waiting list once it is registered;
- ``reject(ref, reason)`` takes it out as refused, keeping it and the reason for the record.

Two are built in: ``filedrop`` (:class:`FileDropConnector`, directories on this machine or a
shared volume: two installations exchange through one root) and ``fake``
(:class:`FakeConnector`, in memory, for the tests). The provincial integration platform (LGSP)
or the national document axis plugs in as a third connector implementing the same four
operations, registered with :func:`register`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


@dataclass(frozen=True)
class Inbound:
    name: str  # the file's name, as the sender gave it
    data: bytes
    ref: str  # the connector's handle on it, for done() and reject()


class UnknownRecipient(LookupError):
    """The exchange knows no organisation of that code."""

    def __init__(self, organ_id: str) -> None:
        self.organ_id = organ_id
        super().__init__(f"unknown recipient: {organ_id}")


class ExchangeConnector(Protocol):
    name: str

    def send(self, to_organ_id: str, name: str, data: bytes) -> None: ...

    def receive(self, own_organ_id: str) -> list[Inbound]: ...

    def done(self, ref: str) -> None: ...

    def reject(self, ref: str, reason: str) -> None: ...


def safe_name(value: str, what: str = "name") -> str:
    """``value`` when it is a plain file name (letters, digits, ``._-``, not starting with a
    dot, at most 200 characters); ValueError otherwise: nothing from outside picks a path."""
    if not _SAFE.fullmatch(value) or value in {".", ".."}:
        raise ValueError(f"not a safe {what}: {value[:80]!r}")
    return value


def exchange_name(key: str, suffix: str = "edxml") -> str:
    """A safe file name standing for ``key`` (a DocumentId, or a DocumentId and a status code):
    the same key always gives the same name (a resend replaces), two keys never one name."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("._-")[:120] or "document"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return safe_name(f"{readable}-{digest}.{safe_name(suffix, 'suffix')}")


def _fsync_directory(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:  # a platform without directory descriptors
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the whole file or none: a temporary
    file (a dot name, which receive() never lists) in the same directory, synced, then renamed
    over ``path``."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                             dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


class FileDropConnector:
    """Directories under ``root``, one per organisation: ``root/<organ_id>/inbox/`` receives,
    ``done/`` keeps what was registered, ``rejected/`` what was refused (with
    ``<name>.reason.txt`` beside it). An organisation exists for the exchange when its
    directory ``root/<organ_id>/`` exists (created by the operator, never by a sender)."""

    name = "filedrop"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _organ(self, organ_id: str) -> Path:
        directory = self.root / safe_name(organ_id, "organisation code")
        if not directory.is_dir():
            raise UnknownRecipient(organ_id)
        return directory

    def send(self, to_organ_id: str, name: str, data: bytes) -> None:
        inbox = self._organ(to_organ_id) / "inbox"
        inbox.mkdir(exist_ok=True)
        write_atomically(inbox / safe_name(name), data)

    def receive(self, own_organ_id: str) -> list[Inbound]:
        inbox = self._organ(own_organ_id) / "inbox"
        if not inbox.is_dir():
            return []
        found = []
        for path in sorted(inbox.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue  # a file being written, or not a file
            found.append(Inbound(name=path.name, data=path.read_bytes(),
                                 ref=f"{path.parent.parent.name}/{path.name}"))
        return found

    def _waiting(self, ref: str) -> tuple[Path, Path]:
        """(the organisation's directory, the waiting file) of ``ref``."""
        organ_id, _slash, name = ref.partition("/")
        directory = self._organ(organ_id)
        path = directory / "inbox" / safe_name(name)
        if not path.is_file():
            raise FileNotFoundError(f"nothing waits under {ref!r}")
        return directory, path

    def done(self, ref: str) -> None:
        directory, path = self._waiting(ref)
        (directory / "done").mkdir(exist_ok=True)
        os.replace(path, directory / "done" / path.name)

    def reject(self, ref: str, reason: str) -> None:
        directory, path = self._waiting(ref)
        rejected = directory / "rejected"
        rejected.mkdir(exist_ok=True)
        write_atomically(rejected / f"{path.name}.reason.txt", reason.encode())
        os.replace(path, rejected / path.name)


@dataclass
class FakeConnector:
    """An exchange in memory: ``organs`` are the organisations it knows (send to another
    raises UnknownRecipient); ``waiting`` holds what each one has to receive; ``done_refs``
    and ``rejected`` (ref: reason) what was taken out; ``fail`` makes send raise (the exchange
    unavailable)."""

    name: str = "fake"
    organs: set[str] = field(default_factory=set)
    waiting: dict[str, list[Inbound]] = field(default_factory=dict)
    done_refs: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    fail: bool = False
    sent: int = 0

    def send(self, to_organ_id: str, name: str, data: bytes) -> None:
        if self.fail:
            raise ConnectionError("the exchange is unavailable (fake)")
        if to_organ_id not in self.organs:
            raise UnknownRecipient(to_organ_id)
        box = self.waiting.setdefault(to_organ_id, [])
        box[:] = [item for item in box if item.name != name]  # a resend replaces
        box.append(Inbound(name=name, data=data, ref=f"{to_organ_id}/{name}"))
        self.sent += 1

    def receive(self, own_organ_id: str) -> list[Inbound]:
        return sorted(self.waiting.get(own_organ_id, []), key=lambda item: item.name)

    def _take(self, ref: str) -> None:
        organ_id = ref.partition("/")[0]
        box = self.waiting.get(organ_id, [])
        if all(item.ref != ref for item in box):
            raise FileNotFoundError(f"nothing waits under {ref!r}")
        box[:] = [item for item in box if item.ref != ref]

    def done(self, ref: str) -> None:
        self._take(ref)
        self.done_refs.append(ref)

    def reject(self, ref: str, reason: str) -> None:
        self._take(ref)
        self.rejected[ref] = reason

    def reset(self) -> None:
        self.organs.clear()
        self.waiting.clear()
        self.done_refs.clear()
        self.rejected.clear()
        self.fail, self.sent = False, 0


Factory = Callable[[Mapping[str, Any]], ExchangeConnector]
FACTORIES: dict[str, Factory] = {}
FAKE = FakeConnector()


def register(name: str, factory: Factory) -> None:
    """Make the connector ``name`` available; ``factory`` builds it from the settings."""
    FACTORIES[name] = factory


def _file_drop(settings: Mapping[str, Any]) -> ExchangeConnector:
    root = settings.get("TINHSO_DOCUMENT_EXCHANGE_DIR") or ""
    if not root:
        raise ValueError("TINHSO_DOCUMENT_EXCHANGE_DIR is not set (the file-drop root)")
    return FileDropConnector(Path(root))


register("filedrop", _file_drop)
register("fake", lambda settings: FAKE)


def connector(name: str, settings: Mapping[str, Any]) -> ExchangeConnector | None:
    """The connector ``name`` (``TINHSO_DOCUMENT_EXCHANGE``) built from ``settings``; None
    when ``name`` is empty: exchange is off. KeyError names an unknown connector."""
    if not name:
        return None
    if name not in FACTORIES:
        raise KeyError(f"no document exchange connector named {name!r} "
                       f"(known: {', '.join(sorted(FACTORIES))})")
    return FACTORIES[name](settings)
