"""Run pyHanko's synchronous calls where they can run. Pure Python.

pyHanko's synchronous API wraps its asynchronous one in ``asyncio.run``, which refuses to start
in a thread whose event loop is running (an ASGI server's, or Playwright's synchronous API in
the browser tests, which keeps one running for the whole session). There the call goes to a
short-lived thread of its own; everywhere else it runs where it is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def call(fn: Callable[[], T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(fn).result()
