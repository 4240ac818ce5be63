"""The load test's mixed workload: people of three kinds, each a thread with its own keep-alive
connection, acting with a think time between actions, as people at a screen do.

- citizens search the catalogue (page and API), look a dossier up by code and phone, and submit
  online dossiers through the API (each acknowledged code is kept for the checks);
- officers open their desk and act on the dossiers submitted at their commune (assign, then
  approve), through the API with their token;
- leaders open their page and the dossier statistics, signed in with a browser session.

Every request is timed and filed under its action; ``Stats`` gives throughput and p50/p95/p99
per action. Nothing here imports Django: the workload only speaks HTTP.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

SEARCHES = ("khai sinh", "đăng ký", "kinh doanh", "thường trú", "xây dựng", "kết hôn",
            "dang ky", "chứng thực", "hộ tịch", "đất đai")
OK = {200, 201, 302}


@dataclass
class Person:
    kind: str  # citizen, officer, leader
    headers: dict[str, str]
    unit: str = ""  # an officer's commune


@dataclass
class World:
    """What the people share: the bodies to submit, dossiers to look up, the codes
    acknowledged so far and the dossiers waiting at each commune's desk."""

    bodies: list[bytes]
    lookups: list[tuple[str, str]]  # (code, phone) of existing dossiers
    acknowledged: list[str] = field(default_factory=list)
    desk: dict[str, deque[tuple[str, int]]] = field(default_factory=lambda: defaultdict(deque))
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[Any]] = field(default_factory=lambda: defaultdict(Counter))
    # (sent, answered, action, what): a request counts as hit by a fault when its time in
    # flight overlaps the fault's window
    errors: list[tuple[float, float, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, action: str, seconds: float, status: Any, at: float, sample: str) -> None:
        with self.lock:
            self.latencies[action].append(seconds)
            self.statuses[action][status] += 1
            if status not in OK:
                self.errors.append((at, at + seconds, action, f"{status}: {sample[:200]}"))

    def table(self, duration: float) -> list[str]:
        lines = [f"{'action':<12} {'requests':>9} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8} "
                 f"{'p99 ms':>8} {'errors':>7}"]
        for action in sorted(self.latencies):
            got = sorted(self.latencies[action])
            cuts = (statistics.quantiles(got, n=100, method="inclusive") if len(got) > 1
                    else [got[0]] * 99)
            errors = sum(n for s, n in self.statuses[action].items() if s not in OK)
            lines.append(f"{action:<12} {len(got):>9} {len(got) / duration:>8.1f} "
                         f"{cuts[49] * 1000:>8.0f} {cuts[94] * 1000:>8.0f} "
                         f"{cuts[98] * 1000:>8.0f} {errors:>7}")
        return lines

    def p95(self, action: str) -> float:
        got = sorted(self.latencies.get(action, []))
        if len(got) < 2:
            return float("nan")
        return statistics.quantiles(got, n=100, method="inclusive")[94]


class Client:
    def __init__(self, port: int, stats: Stats) -> None:
        self.port, self.stats = port, stats
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, action: str, method: str, path: str, headers: dict[str, str],
             body: bytes | None = None) -> tuple[Any, bytes]:
        begun = time.perf_counter()
        status: Any
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data, status = response.read(), response.status
            if response.will_close:
                self.conn.close()
        except (OSError, http.client.HTTPException) as exc:
            status, data = type(exc).__name__, str(exc).encode()
            self.conn.close()
        self.stats.add(action, time.perf_counter() - begun, status, begun,
                       data.decode(errors="replace"))
        return status, data


def citizen(client: Client, person: Person, world: World, rng: random.Random) -> None:
    roll = rng.random()
    if roll < 0.35:
        term = quote(rng.choice(SEARCHES))
        client.call("search", "GET", f"/services/?q={term}", person.headers)
    elif roll < 0.55:
        term = quote(rng.choice(SEARCHES))
        client.call("search_api", "GET", f"/api/v1/procedures/?q={term}", person.headers)
    elif roll < 0.70:
        code, phone = rng.choice(world.lookups)
        client.call("lookup", "GET", f"/api/v1/dossiers/lookup/?code={code}&phone={phone}",
                    person.headers)
    else:
        body = rng.choice(world.bodies)
        status, data = client.call("submit", "POST", "/api/v1/dossiers/",
                                   {**person.headers, "Content-Type": "application/json"}, body)
        if status == 201:
            code = json.loads(data)["code"]
            unit = json.loads(body)["unit"]
            with world.lock:
                world.acknowledged.append(code)
                world.desk[unit].append((code, 0))


def officer(client: Client, person: Person, world: World, rng: random.Random) -> None:
    with world.lock:
        waiting = world.desk[person.unit]
        item = waiting.popleft() if waiting and rng.random() < 0.7 else None
    if item is None:
        client.call("desk", "GET", "/api/v1/dossiers/?status=received&limit=20",
                    person.headers)
        return
    code, step = item
    action = ("assign", "approve")[step]
    status, _data = client.call("act", "POST", f"/api/v1/dossiers/{code}/actions/{action}/",
                                {**person.headers, "Content-Type": "application/json"},
                                json.dumps({"note": "kiểm thử tải"}).encode())
    if status == 200 and step == 0:
        with world.lock:
            world.desk[person.unit].append((code, 1))


def leader(client: Client, person: Person, world: World, rng: random.Random) -> None:
    if rng.random() < 0.5:
        client.call("dashboard", "GET", "/me/", person.headers)
    else:
        client.call("statistics", "GET", "/services/statistics/", person.headers)


ACT = {"citizen": citizen, "officer": officer, "leader": leader}


def run(port: int, people: list[Person], world: World, duration: float, think: float,
        seed: int = 2025) -> Stats:
    """Every person acts until ``duration`` seconds have passed, pausing a random think time
    (exponential, mean ``think`` seconds) between actions."""
    stats = Stats()
    stop = time.perf_counter() + duration

    def live(i: int, person: Person) -> None:
        rng = random.Random(seed + i)
        client = Client(port, stats)
        time.sleep(rng.random() * think)  # people do not all arrive in the same instant
        while time.perf_counter() < stop:
            ACT[person.kind](client, person, world, rng)
            time.sleep(min(rng.expovariate(1 / think), 5 * think) if think > 0 else 0)
        client.conn.close()

    threads = [threading.Thread(target=live, args=(i, p), daemon=True)
               for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return stats
