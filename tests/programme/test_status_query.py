"""The status as a query says what the pure rule says, for every day of a year."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.factories import programme_task
from tinhso.programme import schedule
from tinhso.programme.models import Task
from tinhso.programme.selectors import clock, status_q, task_status, with_status

pytestmark = pytest.mark.django_db


def test_query_form_agrees_with_the_rule(group: Any, reference_units: Any) -> None:
    unit = reference_units["56.STC"]
    start = date(2026, 1, 1)
    # one open task due each day from late January to March (Tết inside), at 0 % and 30 %,
    # and closed ones, done on time, late and cancelled
    tasks = []
    for n in range(70):
        due = date(2026, 1, 25) + timedelta(days=n)
        tasks.append(Task(group=group, code=f"o{n}", title="x", lead_unit=unit,
                          start_on=start, due_on=due, progress=30 * (n % 2)))
    tasks += [
        Task(group=group, code="d1", title="x", lead_unit=unit, start_on=start,
             due_on=date(2026, 2, 10), done_on=date(2026, 2, 9), progress=100),
        Task(group=group, code="d2", title="x", lead_unit=unit, start_on=start,
             due_on=date(2026, 2, 10), done_on=date(2026, 2, 12), finished_late=True,
             progress=100),
        Task(group=group, code="c1", title="x", lead_unit=unit, start_on=start,
             due_on=date(2026, 2, 10), cancelled_on=date(2026, 2, 1), cancel_reason="x"),
    ]
    Task.objects.bulk_create(tasks)
    day = date(2026, 2, 1)
    while day < date(2026, 3, 15):
        clk = clock(day)
        annotated = {t.pk: t.status for t in with_status(Task.objects.all(), clk)}
        for task in Task.objects.all():
            expected = task_status(task, clk)
            assert annotated[task.pk] == expected, (day, task.code)
            assert Task.objects.filter(status_q(expected, clk), pk=task.pk).exists()
        day += timedelta(days=3)


def test_every_status_has_a_query(group: Any, reference_units: Any) -> None:
    programme_task(group, reference_units["56.STC"])
    clk = clock(date(2026, 12, 1))
    matched = sum(Task.objects.filter(status_q(s, clk)).count() for s in schedule.STATUSES)
    assert matched == 1
    with pytest.raises(ValueError):
        status_q("late-ish", clk)


def test_open_is_the_union_of_the_open_statuses(group: Any, reference_units: Any) -> None:
    from functools import reduce
    from operator import or_

    from tinhso.programme.selectors import open_q

    unit = reference_units["56.STC"]
    programme_task(group, unit, code="a", due_on=date(2026, 11, 2))
    programme_task(group, unit, code="b", due_on=date(2027, 6, 30), progress=10)
    programme_task(group, unit, code="c", done_on=date(2026, 3, 1), progress=100)
    programme_task(group, unit, code="d", cancelled_on=date(2026, 3, 1), cancel_reason="x")
    clk = clock(date(2026, 12, 1))
    union = reduce(or_, (status_q(s, clk) for s in schedule.OPEN_STATUSES))
    assert set(Task.objects.filter(open_q()).values_list("code", flat=True)) == {"a", "b"}
    assert set(Task.objects.filter(union).values_list("code", flat=True)) == {"a", "b"}
