"""A person's landing page: the sections of each role they hold, and first of all what needs
them today. Every section reads a fixed number of queries, whatever the number of tasks,
values, rounds or dossiers; the programme's boards are read once for all sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from tinhso.accounts.models import Role, UserKind
from tinhso.accounts.today import roles_held
from tinhso.dashboard.blocks import Need, Section
from tinhso.dashboard.leader import leader_section
from tinhso.dashboard.public import applicant_section, officer_section
from tinhso.dashboard.work import approver_section, coordinator_section, reporter_section
from tinhso.programme.board_selectors import mine_board, overdue_board
from tinhso.programme.selectors import clock
from tinhso.units.selectors import unit_by_code


@dataclass
class Landing:
    sections: list[Section] = field(default_factory=list)

    @property
    def needs(self) -> list[Need]:
        """What waits for the person, across their sections, each once (a coordinator who is
        also an approver has one list of values to approve)."""
        seen: dict[str, Need] = {}
        for section in self.sections:
            for need in section.needs:
                seen.setdefault(need.key, need)
        return [n for n in seen.values() if n.count]


def landing(user: Any) -> Landing:
    """The sections of each role the user holds, in the order of the day's work."""
    page = Landing()
    if getattr(user, "kind", None) in (UserKind.CITIZEN, UserKind.BUSINESS):
        page.sections.append(applicant_section(user))
        return page
    roles = roles_held(user)
    today = timezone.localdate()
    clk = clock(today) if roles & {Role.LEADER, Role.COORDINATOR, Role.UNIT_REPORTER} else None
    board = overdue_board(user, clk) if clk and roles & {Role.LEADER, Role.COORDINATOR} \
        else None
    if Role.OFFICER in roles:
        page.sections.append(officer_section(user))
    if Role.COORDINATOR in roles and board is not None:
        page.sections.append(coordinator_section(user, board, today))
    if Role.UNIT_REPORTER in roles and clk is not None:
        page.sections.append(reporter_section(user, mine_board(user, clk), today))
    if Role.APPROVER in roles:
        page.sections.append(approver_section(user))
    if Role.LEADER in roles and board is not None:
        page.sections.append(leader_section(unit_by_code(settings.TINHSO_HOME_UNIT), board,
                                            today))
    return page
