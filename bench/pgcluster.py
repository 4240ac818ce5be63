"""A PostgreSQL server of the load test's own: initdb into a temporary directory, started on a
free port, restarted or stopped at will (the fault mode restarts it under load), removed at the
end. The machine's shared PostgreSQL is never touched.

PostgreSQL refuses to run as root: when this runs as root, the cluster belongs to the
``postgres`` system user and its commands run through ``runuser``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL's server programs are not installed (initdb not found)")
    return found[-1].parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self, settings: dict[str, str] | None = None) -> None:
        self.bin = _bindir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="tinhso-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.settings = {"listen_addresses": "'127.0.0.1'", "port": str(self.port),
                         "unix_socket_directories": f"'{self.root}'", "max_connections": "300",
                         "shared_buffers": "256MB", **(settings or {})}
        self._as_root = os.geteuid() == 0
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bin / command[0]), *command[1:]]
        if self._as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, check=check, capture_output=True, text=True)

    def create(self) -> Cluster:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8")
        with (self.data / "postgresql.conf").open("a") as conf:
            for name, value in self.settings.items():
                conf.write(f"{name} = {value}\n")
        self.start()
        return self

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop",
                  check=False)

    def restart(self, down_seconds: float = 2.0) -> float:
        """Stop at once (clients cut off mid-transaction), stay down a while, start again;
        returns the seconds it was down."""
        begun = time.perf_counter()
        self.stop("immediate")
        time.sleep(down_seconds)
        self.start()
        return time.perf_counter() - begun

    def psql(self, database: str, sql: str) -> str:
        out = subprocess.run(["psql", self.url(database), "-q", "-At", "-c", sql], check=True,
                             capture_output=True, text=True)
        return out.stdout.strip()

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
