"""The reports' pages: the form limited to the user's scope, the background job run to its end
with its progress partial, the history that downloads the same bytes again under a Vietnamese
name, and a failure recorded without a file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import grant, staff_user
from tinhso.accounts.models import User
from tinhso.reports.models import ReportRun, RunStatus
from tinhso.reports.versions import data_version
from tinhso.units.selectors import unit_by_code

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(User.objects.get(username=username))
    return client


def member(role: str, unit_code: str) -> Client:
    """A new staff member with ``role`` at the unit (the demo's coordinator and officer have
    an authenticator: they would be asked for a code)."""
    unit = unit_by_code(unit_code)
    user = staff_user(unit=unit, username=f"{role}.{unit_code}")
    grant(user, role, unit)
    return signed_in(user.username)


def coordinator() -> Client:
    return member("coordinator", "56")


def ask(client: Client, django_capture_on_commit_callbacks, **data: str):
    form = {"kind": "services", "period": "2026", "unit": "56.STC", "fmt": "txt",
            "layout": "state", "number": "", **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/reports/", form)


def test_the_form_offers_only_the_units_of_ones_scope(demo, fake_format) -> None:
    page = signed_in("baocao.stc").get("/reports/").content.decode()
    assert 'value="56.STC"' in page and 'value="56"' not in page
    everything = coordinator().get("/reports/").content.decode()
    assert 'value="56"' in everything and 'value="56.STC"' in everything
    assert member("officer", "22366").get("/reports/").status_code == 403  # an officer
    assert Client().get("/reports/").status_code == 302  # the anonymous sign in first


def test_a_report_for_another_unit_is_refused_with_a_message(
        demo, fake_format, django_capture_on_commit_callbacks) -> None:
    client = signed_in("baocao.stc")
    response = ask(client, django_capture_on_commit_callbacks, unit="56")
    assert response.status_code == 403
    assert "You may not make reports on Khánh Hòa (56)." in response.content.decode()
    assert not ReportRun.objects.exists()
    bad = ask(client, django_capture_on_commit_callbacks, period="2026-13")
    assert bad.status_code == 400 and "is not a period" in bad.content.decode()


def test_the_job_runs_to_done_and_the_history_downloads_the_same_bytes(
        demo, fake_format, django_capture_on_commit_callbacks) -> None:
    client = signed_in("baocao.stc")
    response = ask(client, django_capture_on_commit_callbacks, kind="programme")
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/runs/{run.pk}/"
    assert run.status == RunStatus.DONE and run.progress == 100 and run.message == ""
    assert run.data_version == data_version() and run.data_version.startswith("a")
    stored = Path(settings.MEDIA_ROOT, run.file.name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == run.sha256 and len(stored) == run.size
    assert run.parameters == {"kind": "programme", "period": "2026", "unit": "56.STC",
                              "format": "txt", "layout": "state", "number": ""}
    history = client.get("/reports/").content.decode()
    assert f"/reports/runs/{run.pk}/download/" in history
    download = client.get(f"/reports/runs/{run.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o%20ti%E1%BA%BFn" in download[
        "Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert body == stored and "SỞ TÀI CHÍNH".encode() in body
    # a coordinator of the province sees it in the history; another department's does not
    assert f"/reports/runs/{run.pk}/" in coordinator().get("/reports/").content.decode()
    other = member("unit_reporter", "22366")
    assert other.get(f"/reports/runs/{run.pk}/").status_code == 404
    assert other.get(f"/reports/runs/{run.pk}/download/").status_code == 404


def test_the_progress_partial_polls_while_running_then_stops(demo, fake_format) -> None:
    reporter = User.objects.get(username="baocao.stc")
    run = ReportRun.objects.create(created_by=reporter, created_by_label="baocao.stc",
                                   kind="services", period="2026", unit=reporter.role_assignments
                                   .get().unit, fmt="txt", status=RunStatus.RUNNING,
                                   progress=60)
    client = signed_in("baocao.stc")
    partial = client.get(f"/reports/runs/{run.pk}/progress/", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200 and not html.lstrip().startswith("<!DOCTYPE")
    assert f'hx-get="/reports/runs/{run.pk}/progress/"' in html and 'value="60"' in html
    page = client.get(f"/reports/runs/{run.pk}/").content.decode()
    assert 'data-testid="report-run"' in page and "<html" in page
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, message="Hỏng.")
    done = client.get(f"/reports/runs/{run.pk}/progress/").content.decode()
    assert "hx-get" not in done and "Hỏng." in done
    assert client.get(f"/reports/runs/{run.pk}/download/").status_code == 404


def test_a_failing_renderer_is_recorded_and_keeps_no_file(
        demo, broken_format, django_capture_on_commit_callbacks) -> None:
    client = signed_in("baocao.stc")
    ask(client, django_capture_on_commit_callbacks, fmt=broken_format)
    run = ReportRun.objects.get()
    assert run.status == RunStatus.FAILED and "no file was kept" in run.message
    assert not run.file and run.sha256 == ""
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.broken"))


def test_asking_for_a_report_changes_no_data_version(
        demo, fake_format, django_capture_on_commit_callbacks) -> None:
    client = signed_in("baocao.stc")  # (signing in is an event: before the version is read)
    before = data_version()
    ask(client, django_capture_on_commit_callbacks)
    assert data_version() == before


def test_administrators_find_the_word_templates_from_the_reports_page(demo) -> None:
    assert 'href="/reports/templates/"' in member("administrator", "VN").get(
        "/reports/").content.decode()
    assert 'href="/reports/templates/"' not in member("unit_reporter", "56.STC").get(
        "/reports/").content.decode()
