"""The platform as deployed, for the benchmarks that load it over HTTP: the real server
(gunicorn with the project's config) and the task worker started and stopped as process groups,
a free port, and the CPU time each process group (and PostgreSQL's processes for one database)
has spent, read from /proc (dossier_submit_http.py, loadtest.py)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int, env: dict[str, str], log: Path
                 ) -> subprocess.Popen[bytes]:
    command = [str(BIN / "gunicorn"), "-c", "python:tinhso.gunicorn_conf"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True,
                                  env={**env, "PORT": str(port), "BIND": f"127.0.0.1:{port}",
                                       "WEB_CONCURRENCY": str(workers)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: see {log}\n{log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"the server did not answer within 60 s: see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """A process this script started and its children (gunicorn's arbiter and workers): its
    own process group."""
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    except ProcessLookupError:
        pass


@dataclass(frozen=True)
class Proc:
    pid: int
    parent: int
    name: str
    own: float  # CPU seconds of the process itself
    reaped: float  # and of its children that ended and were waited for


def _processes() -> list[Proc]:
    ticks = os.sysconf("SC_CLK_TCK")
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, tail = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        f = tail.split()  # f[0] is the state, stat's third field; utime is f[11]
        found.append(Proc(int(entry.name), int(f[1]), head.split("(", 1)[1],
                          (int(f[11]) + int(f[12])) / ticks, (int(f[13]) + int(f[14])) / ticks))
    return found


def _ours(pid: int, database: str) -> bool:
    """A PostgreSQL process that works for this database: its backends and the shared
    background processes (WAL writer, checkpointer...), not other databases' backends."""
    try:
        words = (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                 .decode(errors="replace").split())
    except OSError:
        return False
    client = any("(" in w or w == "[local]" for w in words)
    return database in words or not client


def cpu_meter(groups: dict[str, int], database: str) -> Callable[[], dict[str, float]]:
    """CPU seconds so far of each named process tree (by its root's pid, with the children
    that ended), and of PostgreSQL's processes for ``database`` (live ones: a backend that
    ends during a phase takes its time with it). Scanned afresh each time."""

    def measure() -> dict[str, float]:
        procs = _processes()
        children: dict[int, list[int]] = {}
        for p in procs:
            children.setdefault(p.parent, []).append(p.pid)
        by_pid = {p.pid: p for p in procs}
        out = {}
        for group, root in groups.items():
            total, todo = 0.0, [root]
            while todo:
                pid = todo.pop()
                if pid in by_pid:
                    total += by_pid[pid].own + by_pid[pid].reaped
                todo.extend(children.get(pid, []))
            out[group] = total
        out["postgres"] = sum(p.own for p in procs
                              if p.name == "postgres" and _ours(p.pid, database))
        return out

    return measure


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """The background task worker `make run` starts beside the server."""
    with log.open("wb") as out:
        return subprocess.Popen([str(BIN / "tinhso"), "db_worker", "--no-startup-delay"],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, env=env)
