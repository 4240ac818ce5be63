"""`tinhso worker` under a real PostgreSQL that is down at the start and restarted twice under
it, mid-task. The cluster is a private one (initdb into a temporary directory, its own port),
never the machine's shared server; it runs as the `postgres` system user when the tests run as
root (PostgreSQL refuses root). PostgreSQL only: skipped on SQLite."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from tests.ops.tasks import words

BIN = Path("/usr/lib/postgresql/15/bin")
ROOT = Path(__file__).resolve().parents[2]
TINHSO = Path(sys.executable).parent / "tinhso"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (BIN / "initdb").exists(), reason="PostgreSQL 15's initdb is absent"),
]


class Cluster:
    """A throwaway PostgreSQL: created, stopped, started at will, removed at the end."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tinhso-h3-pg-"))
        self.data = self.root / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")

    def run(self, *argv: str) -> None:
        command = [str(BIN / argv[0]), *argv[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def create(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.root}'\nfsync = off\n")
        self.start()
        with psycopg.connect(self.url("postgres"), autocommit=True) as db:
            db.execute("CREATE DATABASE worker")

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        """At once: clients are cut off as by a crash or a restart."""
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "worker") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://...)")
    made = Cluster()
    try:
        made.create()
        yield made
    finally:
        made.remove()


def wait_for(condition: Callable[[], Any], what: str, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_the_worker_survives_postgresql_down_at_start_and_restarted_mid_task(
        cluster: Cluster, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": cluster.url(), "PYTHONPATH": str(ROOT),
           "TINHSO_VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": "x" * 50, "LOG_LEVEL": "INFO",
           "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "DJANGO_SETTINGS_MODULE":
           "tinhso.settings"}

    def tinhso(*argv: str) -> str:
        done = subprocess.run([str(TINHSO), *argv], env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, f"tinhso {argv[0]}: {done.stderr[-3000:]}"
        return done.stdout.strip()

    def enqueue(*calls: tuple[str, str, bool]) -> list[str]:
        """Queue ``gated`` tasks, in this order, in one process."""
        code = "; ".join(f"print(gated.enqueue({log!r}, {gate!r}, {query}).id)"
                         for log, gate, query in calls)
        return tinhso("shell", "--no-imports", "-c",
                      f"from tests.ops.tasks import gated; {code}").split()

    def task_row(task_id: str) -> tuple[str, list[str]]:
        with psycopg.connect(cluster.url()) as db:
            row = db.execute("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
                             " WHERE id = %s", [task_id]).fetchone()
        assert row is not None
        return row[0], row[1]

    tinhso("migrate", "django_tasks_database", "--noinput", "--skip-checks")
    tinhso("migrate", "ops", "--noinput", "--skip-checks")  # the workers' heartbeats
    # the first: restarted while it runs, before its query (the cut run is run again, once);
    # the second: restarted after its work, before its result is saved (recorded, not rerun)
    cut_log, cut_gate = str(tmp_path / "cut.log"), str(tmp_path / "cut.gate")
    done_log, done_gate = str(tmp_path / "done.log"), str(tmp_path / "done.gate")
    cut, finished = enqueue((cut_log, cut_gate, True), (done_log, done_gate, False))
    cluster.stop()
    worker_log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen([str(TINHSO), "worker", "--skip-checks", "--no-startup-delay",
                               "--interval", "0.1", "--backoff-max", "1", "--worker-id", "w1"],
                              env=env, stdout=worker_log, stderr=subprocess.STDOUT)
    output = tmp_path / "worker.log"
    try:
        wait_for(lambda: "Database unavailable" in output.read_text(), "the worker to wait")
        assert worker.poll() is None, "the worker exited with the database down"
        cluster.start()

        wait_for(lambda: words(cut_log) == ["started"], "the first task to start")
        cluster.stop()
        cluster.start()
        Path(cut_gate).touch()
        wait_for(lambda: task_row(cut)[0] == "SUCCESSFUL", "the first task to succeed")
        assert words(cut_log) == ["started", "started", "done"]
        assert task_row(cut)[1] == ["w1", "w1"]

        wait_for(lambda: words(done_log) == ["started"], "the second task to start")
        cluster.stop()
        cluster.start()
        Path(done_gate).touch()
        wait_for(lambda: task_row(finished)[0] == "SUCCESSFUL", "the second task to succeed")
        assert words(done_log) == ["started", "done"]
        assert task_row(finished)[1] == ["w1"]
        assert worker.poll() is None, "the worker exited"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        worker_log.close()
    text = output.read_text()
    assert "Database back" in text
    assert "cut by the outage: back in the queue" in text
    assert "finished before the outage: recorded as successful" in text


# --- kill -9: the task of a killed worker runs on another one, once ----------------------------


def environment(cluster: Cluster, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": cluster.url(), "PYTHONPATH": str(ROOT),
            "TINHSO_VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": "x" * 50, "LOG_LEVEL": "INFO",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DJANGO_SETTINGS_MODULE": "tinhso.settings", **extra}


def run_tinhso(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run([str(TINHSO), *argv], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"tinhso {argv[0]}: {done.stderr[-3000:]}"
    return done.stdout.strip()


def start_worker(env: dict[str, str], worker_id: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:
        return subprocess.Popen([str(TINHSO), "worker", "--skip-checks", "--no-startup-delay",
                                 "--interval", "0.1", "--backoff-max", "1",
                                 "--worker-id", worker_id],
                                env=env, stdout=out, stderr=subprocess.STDOUT)


def row_of(cluster: Cluster, task_id: str) -> tuple[str, list[str]]:
    with psycopg.connect(cluster.url()) as db:
        row = db.execute("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
                         " WHERE id = %s", [task_id]).fetchone()
    assert row is not None
    return row[0], row[1]


def test_the_task_of_a_worker_killed_mid_task_runs_again_on_another_worker_once(
        cluster: Cluster, tmp_path: Path) -> None:
    env = environment(cluster, tmp_path, TINHSO_WORKER_DEAD_SECONDS="2")
    run_tinhso(env, "migrate", "django_tasks_database", "--noinput", "--skip-checks")
    run_tinhso(env, "migrate", "ops", "--noinput", "--skip-checks")
    log, gate = str(tmp_path / "task.log"), str(tmp_path / "task.gate")
    [task_id] = run_tinhso(env, "shell", "--no-imports", "-c",
                           "from tests.ops.tasks import gated; "
                           f"print(gated.enqueue({log!r}, {gate!r}, True).id)").split()
    first = start_worker(env, "w1", tmp_path / "w1.log")
    second = None
    try:
        wait_for(lambda: words(log) == ["started"], "the task to start on w1")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert row_of(cluster, task_id) == ("RUNNING", ["w1"])
        Path(gate).touch()
        second = start_worker(env, "w2", tmp_path / "w2.log")
        wait_for(lambda: row_of(cluster, task_id)[0] == "SUCCESSFUL", "the task to succeed")
        time.sleep(1)  # nothing runs it a third time
        assert words(log) == ["started", "started", "done"]
        assert row_of(cluster, task_id) == ("SUCCESSFUL", ["w1", "w2"])
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
    assert "was running on worker w1, not seen for 2 s: back in the queue" in (
        tmp_path / "w2.log").read_text()
