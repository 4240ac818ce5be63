"""The dossier workflow as one registry: each action's name, label, the statuses it may start
from and where it leads, who acts (staff holding a permission on the dossier's unit, or the
applicant's own account) and whether it needs a reason. Pure Python: no Django.

The services check an action against it, the desk and the API offer what it allows, and the
public history names events with its labels.

received ─assign─> processing ─approve─> approved ─return─> returned
   │                 │   ▲
   └─request_supplement─> supplement ─answer/resume─┘
received, processing, supplement ─refuse─> refused (reason required)
received, processing, supplement ─withdraw─> withdrawn
"""

from __future__ import annotations

from dataclasses import dataclass

RECEIVED, PROCESSING, SUPPLEMENT = "received", "processing", "supplement"
APPROVED, RETURNED, REFUSED, WITHDRAWN = "approved", "returned", "refused", "withdrawn"
OPEN = (RECEIVED, PROCESSING, SUPPLEMENT)
FINISHED = (APPROVED, RETURNED, REFUSED)
STAFF, APPLICANT = "staff", "applicant"


def is_open(status: str) -> bool:
    return status in OPEN


def _(message: str) -> str:
    """Marks a label for translation; the caller translates it (no Django here)."""
    return message


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # a message id: translate with gettext where it is shown
    sources: tuple[str, ...]  # the statuses it may start from
    target: str | None  # the status it leads to; None: unchanged
    by: str  # STAFF or APPLICANT
    permission: str | None = None  # what staff need on the dossier's unit
    needs_reason: bool = False


ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("assign", _("Assigned"), (RECEIVED, PROCESSING), PROCESSING, STAFF,
           "dossiers.process"),
    Action("request_supplement", _("Supplement requested"), (RECEIVED, PROCESSING), SUPPLEMENT,
           STAFF, "dossiers.process", needs_reason=True),
    Action("answer_supplement", _("Supplement answered"), (SUPPLEMENT,), PROCESSING, APPLICANT),
    Action("resume", _("Processing resumed"), (SUPPLEMENT,), PROCESSING, STAFF,
           "dossiers.process"),
    Action("approve", _("Approved"), (RECEIVED, PROCESSING), APPROVED, STAFF, "dossiers.decide"),
    Action("refuse", _("Refused"), OPEN, REFUSED, STAFF, "dossiers.decide", needs_reason=True),
    Action("return_result", _("Result returned"), (APPROVED,), RETURNED, STAFF,
           "dossiers.process"),
    Action("withdraw", _("Withdrawn"), OPEN, WITHDRAWN, STAFF, "dossiers.process",
           needs_reason=True),
    Action("apologise", _("Apology letter issued"), (*OPEN, APPROVED), None, STAFF,
           "dossiers.process", needs_reason=True),
    Action("rate", _("Rated"), FINISHED, None, APPLICANT),
    Action("complain", _("Complaint sent"), (*OPEN, *FINISHED, WITHDRAWN), None, APPLICANT,
           needs_reason=True),
)}

# Events that are not actions on an existing dossier: how it arrived.
EVENT_LABELS: dict[str, str] = {
    "submit": _("Submitted online"),
    "receive": _("Received"),
    "pay_online": _("Fee paid online"),  # procedures.services.payment, once confirmed
    **{name: action.label for name, action in ACTIONS.items()},
}


class TransitionError(ValueError):
    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"'{action}' is not possible when the dossier is '{status}'")
        self.action = action
        self.status = status


def action(name: str) -> Action:
    """The registered action; KeyError for an unknown name."""
    if name not in ACTIONS:
        raise KeyError(f"unknown dossier action {name!r}")
    return ACTIONS[name]


def next_status(name: str, status: str) -> str:
    """The status after ``name``; TransitionError when it is not possible now."""
    spec = action(name)
    if status not in spec.sources:
        raise TransitionError(name, status)
    return spec.target or status


def possible_actions(status: str, by: str | None = None) -> list[str]:
    """The actions the status allows (of staff or of the applicant when ``by`` says)."""
    return [a.name for a in ACTIONS.values()
            if status in a.sources and (by is None or a.by == by)]
