from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.factories import IndicatorFactory, grant, staff_user
from tinhso.audit.models import AuditEvent
from tinhso.core.imports import ImportRejected
from tinhso.indicators import audit_events
from tinhso.indicators.file_columns import LABELS, column_key
from tinhso.indicators.files import template_workbook, values_import
from tinhso.indicators.models import IndicatorValue, ValueStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(reference_units):
    user = staff_user(unit=reference_units["56.STC"])
    grant(user, "unit_reporter", reference_units["56.STC"])
    return user


@pytest.fixture
def catalogue(db):
    return [IndicatorFactory(code="paperless_meetings", measure="percent"),
            IndicatorFactory(code="smes_supported", measure="count"),
            IndicatorFactory(code="computed_rate", formula="smes_supported * 2")]


def fill(content: bytes, values: dict[str, object]) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in values:
            row[6].value = values[row[0].value]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_template_round_trip(reporter, reference_units, catalogue):
    IndicatorValue.objects.create(indicator=catalogue[0], unit=reference_units["56.STC"],
                                  period="2025", value=40, source="x")
    content = template_workbook(indicators=catalogue, units=[reference_units["56.STC"]],
                                period="2026", title="Báo cáo năm 2026")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["paperless_meetings", "smes_supported"]  # no formula
    assert rows[0][8:] == ("2025", 40.0)  # last value pre-filled
    filled = fill(content, {"paperless_meetings": "64,5", "smes_supported": 120})
    result = values_import(actor=reporter, name="stc.xlsx", content=filled, submit=True)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    stored = IndicatorValue.objects.get(indicator__code="smes_supported")
    assert stored.value == 120 and stored.status == ValueStatus.SUBMITTED
    assert stored.period_start.year == 2026
    assert AuditEvent.objects.filter(action=audit_events.VALUE_SUBMITTED).count() == 2
    assert AuditEvent.objects.filter(action=audit_events.VALUES_IMPORTED).count() == 1


def test_a_bad_file_lists_every_problem_and_writes_nothing(reporter, reference_units, catalogue):
    csv_text = (
        "indicator,unit,period,value,comment\n"
        "paperless_meetings,56.STC,2026,55,ok\n"
        "nope,56.STC,2026,1,\n"
        "paperless_meetings,56.SYT,2026,1,\n"
        "paperless_meetings,XX,2026,1,\n"
        "smes_supported,56.STC,2026Q1,1,\n"
        "smes_supported,56.STC,2026,abc,\n"
        "paperless_meetings,56.STC,2025,150,\n"
        "computed_rate,56.STC,2026,3,\n"
        "smes_supported,56.STC,2024,2.5,\n"
        "paperless_meetings,56.STC,2026,56,duplicate of row 2\n"
    )
    with pytest.raises(ImportRejected) as caught:
        values_import(actor=reporter, name="bad.csv", content=csv_text.encode())
    found = [(e.row, column_key(e.column)) for e in caught.value.errors]
    assert found == [(3, "indicator"), (4, "unit"), (5, "unit"), (6, "period"), (7, "value"),
                     (8, "value"), (9, "indicator"), (10, "value"), (11, "period")]
    messages = " | ".join(str(e) for e in caught.value.errors)
    assert "row 3, Indicator code: 'nope' is not an indicator code" in messages
    assert "row 4, Unit code: you may not enter values for Sở Y tế" in messages
    assert "row 7, Value: 'abc' is not a number" in messages
    assert "between 0 and 100" in messages and "computed from a formula" in messages
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="value").exists()


def test_missing_columns_and_unreadable_files(reporter):
    with pytest.raises(ImportRejected) as caught:
        values_import(actor=reporter, name="x.csv", content=b"indicator,unit\na,b\n")
    assert {e.column for e in caught.value.errors} == {"Period", "Value"}
    with pytest.raises(ImportRejected, match="1 problem"):
        values_import(actor=reporter, name="x.xlsx", content=b"not a zip")
    with pytest.raises(ImportRejected):
        values_import(actor=reporter, name="x.pdf", content=b"%PDF")


def test_approved_values_are_not_overwritten(reporter, reference_units, catalogue):
    IndicatorValue.objects.create(indicator=catalogue[0], unit=reference_units["56.STC"],
                                  period="2026", value=40, source="x",
                                  status=ValueStatus.APPROVED)
    with pytest.raises(ImportRejected, match="1 problem"):
        values_import(actor=reporter, name="x.csv",
                      content=b"indicator,unit,period,value\npaperless_meetings,56.STC,2026,41\n")
    assert IndicatorValue.objects.get().value == 40


def test_semicolon_csv_with_vietnamese_decimals_and_blank_rows(reporter, catalogue):
    content = ("indicator;unit;period;value\n"
               "paperless_meetings;56.STC;2026;64,06\n"
               "smes_supported;56.STC;2026;\n").encode("utf-8-sig")
    result = values_import(actor=reporter, name="x.csv", content=content)
    assert (result.created, result.skipped_blank) == (1, 1)
    assert str(IndicatorValue.objects.get().value.normalize()) == "64.06"


def test_the_template_speaks_the_language_of_its_page_and_reads_back_in_either(
        reporter, reference_units, catalogue):
    from django.utils import translation

    with translation.override("vi"):
        content = template_workbook(indicators=catalogue, units=[reference_units["56.STC"]],
                                    period="2026")
        vietnamese = [translation.gettext(text) for text in LABELS.values()]
    header = [c.value for c in load_workbook(io.BytesIO(content)).worksheets[0][1]]
    assert header == vietnamese  # the page's language (English until the catalogue has it)
    assert all(column_key(text) == key for key, text in zip(LABELS, vietnamese, strict=True))
    assert column_key("Giá trị") == column_key(" value ") == column_key("Value") == "value"
    filled = fill(content, {"smes_supported": 7})
    assert values_import(actor=reporter, name="stc.xlsx", content=filled).created == 1
