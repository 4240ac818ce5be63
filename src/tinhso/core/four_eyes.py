"""Four eyes: whoever wrote a thing never approves it (pure Python, no Django).

The one rule behind every approval of a write: an indicator value (entered, last changed or
submitted by someone), a self-assessment answer, a progress report. Each app names the people
who wrote the thing and asks :func:`wrote_it` before offering or doing the approval; its query
form (a list that leaves out one's own work) is tested against this predicate.
"""

from __future__ import annotations

from collections.abc import Iterable


def wrote_it(reviewer: int | None, writers: Iterable[int | None]) -> bool:
    """True when ``reviewer`` (a person's key) is one of ``writers`` (the keys of whoever
    entered, changed or submitted the thing). A key of None is nobody in particular (the
    platform's own computations, the command line): it matches no one."""
    return reviewer is not None and any(writer == reviewer for writer in writers)
