"""An audit event's details as a reader sees them: one line per field, "label: before → after"
for a change, "label: value" otherwise, with the field's name translated where it is known and
dates written the Vietnamese way (dd/mm/yyyy)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# The names services write into their details, with the words a reader knows them by.
LABELS: dict[str, Any] = {
    "name": _("Name"), "name_en": _("Name in English"), "code": _("Code"),
    "level": _("Level"), "kind": _("Kind"), "parent": _("Parent unit"),
    "valid_from": _("Valid from"), "valid_to": _("Valid to"), "successor": _("Successor"),
    "unit": _("Unit"), "role": _("Role"), "user": _("User"), "username": _("User name"),
    "email": _("E-mail"), "phone": _("Phone"), "first_name": _("First name"),
    "last_name": _("Last name"), "is_active": _("Active"), "organisation_name": _("Organisation"),
    "definition": _("Definition"), "legal_basis": _("Legal basis"), "measure": _("Measure"),
    "direction": _("Direction"), "period_type": _("Period type"),
    "reporting_levels": _("Reporting levels"), "aggregation": _("Aggregation"),
    "formula": _("Formula"), "source_kind": _("Source"), "source": _("Source"),
    "owner_unit": _("Owner unit"), "task_group": _("Task group"), "decimals": _("Decimals"),
    "is_headline": _("Headline"), "is_illustrative": _("Illustrative"),
    "indicator": _("Indicator"), "period": _("Period"), "value": _("Value"),
    "year": _("Year"), "baseline_year": _("Baseline year"), "baseline_value": _("Baseline"),
    "status": _("Status"), "reason": _("Reason"), "note": _("Note"), "comment": _("Comment"),
    "procedure": _("Procedure"), "channel": _("Channel"), "due": _("Due"),
    "new_due_at": _("New appointment"), "files": _("Files"), "file": _("File"),
    "size": _("Size"), "count": _("Count"), "deadline": _("Deadline"), "title": _("Title"),
    "start": _("Start"), "due_date": _("Due date"), "weight": _("Weight"),
    "progress": _("Progress"), "date": _("Date"), "number": _("Number"),
    "electronic": _("Electronic result"), "level_rated": _("Rating"), "day": _("Day"),
    # the programme's tasks and reports
    "task": _("Task"), "group": _("Group"), "document": _("Document"),
    "lead_unit": _("Lead unit"), "support_units": _("Supporting units"),
    "start_on": _("Start"), "due_on": _("Due date"), "done_on": _("Completed on"),
    "assigned_by": _("Assigned by"), "result_document": _("Result document"),
    "late": _("Late"), "percent": _("Percent complete"), "evidence": _("Evidence"),
    "follows": _("Follows report"), "dti_codes": _("DTI indicators"),
    "expected_output": _("Expected output"),
    # loads and imports
    "created": _("Created"), "updated": _("Updated"), "rows": _("Rows"),
    "differences": _("Differences"), "codes": _("Codes"), "framework": _("Framework"),
    "indicators": _("Indicators"), "units": _("Units"),
    "accounts_created": _("Accounts created"),
    "tasks_and_reports_created": _("Tasks and reports created"),
    "work_created": _("Work items created"),
    "documents_created": _("Documents created"),
    # the document office
    "arrival_number": _("Arrival number"), "issuer": _("Issuing organisation"),
    "duplicate": _("Registered again"), "reply_to": _("In answer to"), "answer": _("Answer"),
    "from": pgettext_lazy("audit details", "From"), "to": pgettext_lazy("audit details", "To"),
    "state": _("State"), "subject": _("Subject"), "draft": _("Draft"),
    "package": _("Package"), "signatures": _("Signatures"), "sha256": _("SHA-256"),
}

# Stored codes of the fields that hold a status, a channel or a kind, in the reader's words.
VALUE_FIELDS = frozenset({"status", "channel", "kind", "from", "to"})
VALUES: dict[str, Any] = {
    "draft": _("Draft"), "submitted": _("Submitted"), "approved": _("Approved"),
    "returned": _("Returned"), "received": _("Received"), "processing": _("In processing"),
    "supplement": _("Waiting for supplement"), "refused": _("Refused"),
    "withdrawn": _("Withdrawn"), "in_person": _("In person"), "online": _("Online"),
    "postal": _("Postal"), "working_day": _("Working day"), "lead": _("Lead unit's report"),
    "support": _("Supporting unit's part"),
}

CHANGE = pgettext_lazy("audit details", "Change")

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True)
class DetailLine:
    label: str
    value: str = ""
    before: str | None = None  # set for a change (then ``value`` is the value after)
    changed: bool = False


def label(name: str) -> str:
    """The field's translated label, or its own name (underscores as spaces) when unknown."""
    known = LABELS.get(name)
    return str(known) if known is not None else name.replace("_", " ")


def shown_value(name: str, value: Any) -> str:
    """A field's value as text; a status, channel or kind code in the reader's words."""
    if name in VALUE_FIELDS and isinstance(value, str) and value in VALUES:
        return str(VALUES[value])
    return shown(value)


def shown(value: Any) -> str:
    """A value as text: dates dd/mm/yyyy, times HH:MM dd/mm/yyyy, booleans yes/no, lists
    joined, nothing as '–'."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%H:%M %d/%m/%Y}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value) or "–"
    if isinstance(value, Mapping):
        return "; ".join(f"{label(str(k))}: {shown(v)}" for k, v in value.items())
    return str(value)


def _text(value: str) -> str:
    if ISO_DATE.match(value):
        return f"{date.fromisoformat(value):%d/%m/%Y}"
    if ISO_DATETIME.match(value):
        try:
            return shown(datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def _is_change(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) <= {"from", "to"} and "to" in value


def detail_lines(details: Any) -> list[DetailLine]:
    """The lines of an event's details: the changes first (before → after), then the rest; a
    value that is not a mapping is one line."""
    if not details:
        return []
    if not isinstance(details, Mapping):
        return [DetailLine(label="", value=shown(details))]
    lines: list[DetailLine] = []
    changes = details.get("changes")
    if isinstance(changes, Mapping):
        for name, change in changes.items():
            if _is_change(change):
                lines.append(DetailLine(label=label(name),
                                        value=shown_value(name, change.get("to")),
                                        before=shown_value(name, change.get("from")),
                                        changed=True))
            else:
                lines.append(DetailLine(label=label(name), value=shown_value(name, change)))
    top_change = _is_change({k: v for k, v in details.items() if k in ("from", "to")}) \
        and not isinstance(details["to"], Mapping)
    if top_change:  # the details themselves say a value's or a status's before and after
        lines.append(DetailLine(label=str(CHANGE), value=shown_value("to", details["to"]),
                                before=shown_value("from", details.get("from")), changed=True))
    for name, value in details.items():
        if name == "changes" and isinstance(changes, Mapping):
            continue
        if name == "before" and isinstance(changes, Mapping):
            continue  # the whole record before a change: the changed fields say it
        if top_change and name in ("from", "to"):
            continue
        if _is_change(value):
            lines.append(DetailLine(label=label(name), value=shown_value(name, value.get("to")),
                                    before=shown_value(name, value.get("from")), changed=True))
        else:
            lines.append(DetailLine(label=label(name), value=shown_value(name, value)))
    return lines
