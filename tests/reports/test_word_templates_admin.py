"""Replacing a layout's Word template: an administrator's valid upload is what the next
report is written with and can be undone; a file that is not a .docx, a zip bomb, a template
without the body's tag or with broken Jinja is refused with a message naming the problem and
nothing stored; the others get 403; every change is audited."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from tests.factories import grant, staff_user
from tests.factories.reports import sample_report
from tinhso.audit.models import AuditEvent
from tinhso.reports import audit_events
from tinhso.reports.models import ReportTemplate
from tinhso.reports.output import render
from tinhso.reports.template_check import TemplateRejected, check_template
from tinhso.reports.word import render_with
from tinhso.reports.word_templates import default_template

pytestmark = pytest.mark.django_db
PAGE = "/reports/templates/"


def rewritten(replace: dict[str, str] | None = None, extra: dict[str, bytes] | None = None,
              layout: str = "state") -> bytes:
    """The default template with texts of word/document.xml replaced and parts added."""
    source = zipfile.ZipFile(io.BytesIO(default_template(layout)))  # type: ignore[arg-type]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                text = data.decode()
                for old, new in (replace or {}).items():
                    assert old in text, old
                    text = text.replace(old, new)
                data = text.encode()
            target.writestr(item, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def report_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def upload(client, content: bytes, layout: str = "state", name: str = "mau.docx"):
    return client.post(PAGE, {"action": "upload", "layout": layout,
                              "file": SimpleUploadedFile(name, content)})


BAD = {
    "not a zip": (b"this is no Word document", "not a Word document"),
    "an old .doc": (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old .doc"),
    "a zip bomb": (rewritten(extra={"word/padding.xml": b" " * (20 * 1024 * 1024)}),
                   "compressed"),
    "a zip without word/document.xml": (b"", "word/document.xml"),
    "no body tag": (rewritten({"{{ body }}": "(thân bài)"}), "no {{ body }} tag"),
    "broken Jinja": (rewritten({"{{ summary }}": "{{ summary "}), "Jinja"),
    "an unknown tag": (rewritten({"{{ summary }}": "{{ summry }}"}), "summry"),
    "a DTD": (rewritten(extra={"word/x.xml": b"<?xml version='1.0'?><!DOCTYPE x []><x/>"}),
              "DTD"),
}


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return out.getvalue()


BAD["a zip without word/document.xml"] = (_plain_zip(), "word/document.xml")


@pytest.mark.parametrize("case", BAD)
def test_a_bad_template_is_refused_with_its_reason(case: str) -> None:
    content, reason = BAD[case]
    with pytest.raises(TemplateRejected, match=reason.replace("{", r"\{").replace(".", r"\.")):
        check_template(content, "state")


def test_the_defaults_pass_their_own_check() -> None:
    for layout in ("state", "party"):
        check_template(default_template(layout), layout)  # type: ignore[arg-type]


@pytest.mark.usefixtures("english_pages")
def test_an_administrator_replaces_and_restores_a_template(client, admin_user) -> None:
    client.force_login(admin_user)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "In use: the default template." in page.content.decode()
    mine = rewritten({"Nơi nhận:": "Nơi gửi đến:"})
    response = upload(client, mine, name="mau-ubnd.docx")
    assert response.status_code == 302
    assert "Nơi gửi đến:" in report_text(render(sample_report("state"), "docx"))
    assert "Nơi gửi đến:" not in report_text(render(sample_report("party"), "docx"))
    assert "mau-ubnd.docx" in client.get(PAGE).content.decode()
    current = client.get("/reports/templates/state/current.docx")
    assert current.status_code == 200 and current.content == mine
    assert current["Content-Disposition"].startswith("attachment;")
    event = AuditEvent.objects.get(action=audit_events.TEMPLATE_REPLACED)
    assert event.details["layout"] == "state" and event.details["name"] == "mau-ubnd.docx"

    assert client.post(PAGE, {"action": "restore", "layout": "state"}).status_code == 302
    assert "Nơi nhận:" in report_text(render(sample_report("state"), "docx"))
    assert AuditEvent.objects.filter(action=audit_events.TEMPLATE_RESTORED).count() == 1
    assert ReportTemplate.objects.filter(active=True).count() == 0
    assert client.get("/reports/templates/state/default.docx").content == \
        default_template("state")


@pytest.mark.usefixtures("english_pages")
@pytest.mark.parametrize("case", ["not a zip", "no body tag", "broken Jinja"])
def test_a_refused_upload_says_why_and_stores_nothing(client, admin_user, case: str) -> None:
    client.force_login(admin_user)
    content, reason = BAD[case]
    response = upload(client, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The template was not saved" in page and reason.split("{")[0].strip() in page
    assert not ReportTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="report_template.").exists()


def test_only_administrators_of_the_platform_may(client, reference_units, province_admin
                                                 ) -> None:
    coordinator = staff_user(unit=reference_units["56.SKHCN"], username="dieuphoi")
    grant(coordinator, "coordinator", reference_units["56"])
    for user in (coordinator, province_admin):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert upload(client, default_template("state")).status_code == 403
        assert client.post(PAGE, {"action": "restore", "layout": "state"}).status_code == 403
        assert client.get("/reports/templates/state/current.docx").status_code == 403
    assert not ReportTemplate.objects.exists()
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_a_plain_word_document_with_the_tags_is_a_template() -> None:
    """A template made in Word from scratch, without the report's styles: they are added."""
    document = Document()
    for tag in ("{{ issuing_body }}", "{{ number_line }}", "{{ place_date }}", "{{ doc_type }}",
                "{{ summary }}", "{{ body }}", "{{ title }}", "{{ name }}"):
        document.add_paragraph(tag)
    out = io.BytesIO()
    document.save(out)
    check_template(out.getvalue(), "state")
    written = Document(io.BytesIO(render_with(sample_report("state"), out.getvalue())))
    assert written.tables[0].rows[1].cells[1].text == "12.345"
    number = written.styles["Report Table Number"]
    assert number.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "Số: 05/BC-UBND" in [p.text for p in written.paragraphs]


def test_a_docxtpl_paragraph_tag_for_the_body_is_refused_with_the_right_spelling() -> None:
    with pytest.raises(TemplateRejected, match=r"not \{\{p body \}\}"):
        check_template(rewritten({"{{ body }}": "{{p body }}"}), "state")


def test_the_reports_page_links_to_the_templates_for_administrators_only(
        client, admin_user, reference_units) -> None:
    client.force_login(admin_user)
    assert 'href="/reports/templates/"' in client.get("/reports/").content.decode()
    coordinator = staff_user(unit=reference_units["56.SKHCN"], username="dieuphoi")
    grant(coordinator, "coordinator", reference_units["56"])
    client.force_login(coordinator)
    page = client.get("/reports/")
    assert page.status_code == 200 and "/reports/templates/" not in page.content.decode()
