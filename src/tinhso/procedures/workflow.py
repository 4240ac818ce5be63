"""Which dossier actions are possible in which status, and where they lead. Pure Python.

received ─assign─> processing ─approve─> approved ─return─> returned
   │                 │   ▲
   └─request_supplement─> supplement ─answer/resume─┘
received, processing, supplement ─refuse─> refused (reason required)
received, processing, supplement ─withdraw─> withdrawn
"""

from __future__ import annotations

RECEIVED, PROCESSING, SUPPLEMENT = "received", "processing", "supplement"
APPROVED, RETURNED, REFUSED, WITHDRAWN = "approved", "returned", "refused", "withdrawn"
OPEN = (RECEIVED, PROCESSING, SUPPLEMENT)

TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    # action: (statuses it may start from, status it leads to; None = unchanged)
    "assign": ((RECEIVED, PROCESSING), PROCESSING),
    "request_supplement": ((RECEIVED, PROCESSING), SUPPLEMENT),
    "answer_supplement": ((SUPPLEMENT,), PROCESSING),
    "resume": ((SUPPLEMENT,), PROCESSING),
    "approve": ((RECEIVED, PROCESSING), APPROVED),
    "refuse": ((RECEIVED, PROCESSING, SUPPLEMENT), REFUSED),
    "return_result": ((APPROVED,), RETURNED),
    "withdraw": ((RECEIVED, PROCESSING, SUPPLEMENT), WITHDRAWN),
    "apologise": ((RECEIVED, PROCESSING, SUPPLEMENT, APPROVED), None),
}


class TransitionError(ValueError):
    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"'{action}' is not possible when the dossier is '{status}'")
        self.action = action
        self.status = status


def next_status(action: str, status: str) -> str:
    """The status after ``action``; TransitionError when it is not possible now."""
    if action not in TRANSITIONS:
        raise KeyError(f"unknown dossier action {action!r}")
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise TransitionError(action, status)
    return target or status


def possible_actions(status: str) -> list[str]:
    return [action for action, (sources, _t) in TRANSITIONS.items() if status in sources]
