"""Writes on dossiers. Every action checks who may do it and whether the dossier's status
allows it (``procedures.workflow``), runs in one transaction with the dossier row locked,
records its public event and its audit event, updates the statistics aggregate, and queues the
applicant's notification for after the commit.

- ``submission``: a dossier arrives (online, or at the desk);
- ``actions``: the officers' workflow actions;
- ``applicant``: what the applicant's own account does;
- ``payment``: the fee paid online, once the payment platform confirmed it.
"""

from tinhso.procedures.services.actions import (
    dossier_apologise,
    dossier_approve,
    dossier_assign,
    dossier_refuse,
    dossier_request_supplement,
    dossier_resume,
    dossier_return_result,
    dossier_withdraw,
)
from tinhso.procedures.services.applicant import (
    dossier_answer_supplement,
    dossier_complain,
    dossier_rate,
)
from tinhso.procedures.services.base import calendar_for, listen_to_events
from tinhso.procedures.services.feedback import feedback_answer, feedback_rate
from tinhso.procedures.services.payment import record_online_payment
from tinhso.procedures.services.submission import (
    Applicant,
    check_submission,
    dossier_receive,
    dossier_submit,
)

__all__ = [
    "Applicant", "calendar_for", "check_submission", "dossier_answer_supplement",
    "dossier_apologise", "dossier_approve", "dossier_assign", "dossier_complain",
    "dossier_rate", "dossier_receive", "dossier_refuse", "dossier_request_supplement",
    "dossier_resume", "dossier_return_result", "dossier_submit", "dossier_withdraw",
    "feedback_answer", "feedback_rate", "listen_to_events", "record_online_payment",
]
