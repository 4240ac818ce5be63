"""Each role's landing page shows what waits for that person first, each item linking to the
page where it is done; anonymous visitors are sent to log in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

pytestmark = pytest.mark.django_db


def need(page: str, key: str) -> tuple[int, list[str]]:
    """The count shown at the top for ``key`` and the links of its first items."""
    count = re.search(rf'data-testid="today-{key}"><span class="big">(\d+)<', page)
    block = re.search(rf'data-testid="need-{key}">(.*?)</article>', page, re.S)
    assert count and block, f"{key} is not among what needs me today"
    links = re.findall(r'<a href="([^"]+)" data-testid="need-item"', block.group(1))
    return int(count.group(1)), links


def landing(client: Any, user: Any) -> str:
    """The landing page in English (the words the tests read)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/me/")
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client: Any) -> None:
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/"


def test_the_coordinator_sees_rounds_values_tasks_reports_and_answers(
        client: Any, people: dict[str, Any], work: dict[str, Any]) -> None:
    page = landing(client, people["coordinator"])
    assert need(page, "rounds") == (1, [f"/indicators/rounds/{work['round'].pk}/"])
    assert need(page, "values-to-approve") == (1, [f"/indicators/values/{work['value'].pk}/"])
    assert need(page, "late-tasks") == (1, [f"/programme/tasks/{work['task'].pk}/"])
    assert need(page, "reports-to-review") == (1, [f"/programme/tasks/{work['task'].pk}/"])
    count, links = need(page, "answers-to-verify")
    assert (count, links) == (1, ["/rankings/self-assessment/khanhhoa-units/2025/verify/"])
    assert "0 of 2 units reported" in page  # the round's completeness, neither reported
    assert "Q1 2026 · 40\u00a0%" in page  # the report's period as people write it
    # where each is done: the round's board, the value's approve button, the review form,
    # the answer in the verify list
    board = client.get(f"/indicators/rounds/{work['round'].pk}/").content.decode()
    assert work["round"].title in board
    value_page = client.get(f"/indicators/values/{work['value'].pk}/").content.decode()
    assert f"/indicators/values/{work['value'].pk}/approve/" in value_page
    task_page = client.get(f"/programme/tasks/{work['task'].pk}/").content.decode()
    assert f'data-testid="accept-{work["report"].pk}"' in task_page
    verify = client.get(links[0]).content.decode()
    assert f"/rankings/self-assessment/answers/{work['answer'].pk}/verify/" in verify


def test_the_reporter_sees_what_to_enter_by_when_and_the_report_to_send(
        client: Any, people: dict[str, Any], work: dict[str, Any]) -> None:
    page = landing(client, people["reporter"])
    count, links = need(page, "values-to-enter")
    assert count == 1 and links == ["/indicators/to-report/"]
    assert "1 of 2 values entered" in page  # one submitted, one not yet
    with translation.override("en"):
        deadline = date_format(work["round"].deadline, "SHORT_DATE_FORMAT")
    assert f"deadline {deadline}" in page
    to_report = client.get(links[0]).content.decode()
    assert f'data-testid="round-{work["round"].pk}"' in to_report
    assert "values-to-approve" not in page and "section-leader" not in page


def test_the_approver_sees_the_value_to_approve_and_its_approve_button(
        client: Any, people: dict[str, Any], work: dict[str, Any]) -> None:
    page = landing(client, people["approver"])
    count, links = need(page, "values-to-approve")
    assert (count, links) == (1, [f"/indicators/values/{work['value'].pk}/"])
    value_page = client.get(links[0]).content.decode()
    assert f"/indicators/values/{work['value'].pk}/approve/" in value_page


def test_the_officer_sees_the_overdue_dossier_and_reaches_it_at_the_desk(
        client: Any, people: dict[str, Any], work: dict[str, Any]) -> None:
    page = landing(client, people["officer"])
    code = work["overdue"].code
    assert need(page, "desk-overdue") == (1, [f"/desk/{code}/"])
    # the page leads with the desk's counts, each linking to the queue it counts
    counts = dict(re.findall(r'href="(/desk/[^"]*)" data-testid="desk-[\w-]+"><span class="big">'
                             r'(\d+)<', page))
    assert counts == {"/desk/?mark=today": "0", "/desk/?mark=overdue": "1", "/desk/": "1",
                      "/desk/?status=supplement": "0"}
    assert page.index('data-testid="desk-overdue"') < page.index('data-testid="need-desk-overdue"')
    desk = client.get(f"/desk/{code}/").content.decode()
    assert f'data-testid="dossier-code">{code}<' in desk
    assert work["supplement"].code not in page  # another unit's dossier


def test_the_applicant_sees_the_supplement_asked_the_result_and_the_rating(
        client: Any, people: dict[str, Any], work: dict[str, Any]) -> None:
    page = landing(client, people["citizen"])
    asked, resolved = work["supplement"].code, work["resolved"].code
    assert need(page, "supplement") == (1, [f"/dossiers/{asked}/#supplement"])
    assert need(page, "results") == (1, [f"/dossiers/{resolved}/"])
    assert need(page, "to-rate") == (1, [f"/dossiers/{resolved}/#rating"])
    assert 'data-testid="supplement"' in client.get(f"/dossiers/{asked}/").content.decode()
    assert 'data-testid="rating"' in client.get(f"/dossiers/{resolved}/").content.decode()
    assert "section-officer" not in page and "desk" not in page.split("<main", 1)[1]


def test_the_leader_sees_late_tasks_and_charts_with_their_tables(
        client: Any, people: dict[str, Any], work: dict[str, Any]) -> None:
    page = landing(client, people["leader"])
    assert need(page, "late-tasks") == (1, [f"/programme/tasks/{work['task'].pk}/"])
    assert 'data-testid="chart-late-tasks"' in page
    chart = re.search(r'data-testid="chart-late-tasks">(.*?)</figure>', page, re.S).group(1)
    finance = work["task"].lead_unit
    assert f"<td>{finance.name_en}</td>" in chart and 'href="/programme/overdue/"' in chart
    assert 'data-testid="chart-service-quality"' in page
    assert "vendor/chartjs/chart.umd.js" in page


def test_a_person_with_several_roles_sees_each_section_and_each_need_once(
        client: Any, reference_units: dict[str, Any], people: dict[str, Any],
        work: dict[str, Any]) -> None:
    from tests.factories import grant

    coordinator = people["coordinator"]
    grant(coordinator, "approver", reference_units["56.STC"])
    grant(coordinator, "leader", reference_units["56"])
    page = landing(client, coordinator)
    for key in ("coordinator", "approver", "leader"):
        assert f'data-testid="section-{key}"' in page
    assert page.count('data-testid="today-values-to-approve"') == 1
    assert page.count('data-testid="today-late-tasks"') == 1


def test_a_person_with_nothing_waiting_is_told_so(client: Any, reference_units: dict[str, Any]
                                                  ) -> None:
    from tests.factories import citizen

    page = landing(client, citizen())
    assert 'data-testid="nothing-today"' in page


def test_my_page_comes_first_in_the_menu_for_signed_in_people(
        client: Any, people: dict[str, Any]) -> None:
    client.force_login(people["citizen"])
    menu = client.get("/units/").content.decode().split('class="container main-nav"', 1)[1]
    assert re.search(r'<li><a href="([^"]+)"', menu).group(1) == "/me/"
    client.logout()
    assert 'href="/me/"' not in client.get("/units/").content.decode()
