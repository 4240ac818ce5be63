"""Stored data in the page's language: the ``<field>_en`` twin on a page that is not Vietnamese
when it is filled, the Vietnamese otherwise (``tinhso.core.languages`` and its filter)."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from tinhso.core.languages import active_language, in_language, localized

DEPARTMENT = SimpleNamespace(name="Sở Nội vụ", name_en="Department of Home Affairs")
NO_TWIN = SimpleNamespace(name="Sở Xây dựng", name_en="")
NO_FIELD = SimpleNamespace(name="Lê Văn Tám")  # a name that has no English field at all


def test_an_english_page_shows_the_twin_and_a_vietnamese_page_the_original():
    with translation.override("en"):
        assert active_language() == "en"
        assert localized(DEPARTMENT) == "Department of Home Affairs"
    with translation.override("vi"):
        assert active_language() == "vi"
        assert localized(DEPARTMENT) == "Sở Nội vụ"


def test_without_a_filled_twin_the_original_stays_in_every_language():
    with translation.override("en"):
        assert localized(NO_TWIN) == "Sở Xây dựng"
        assert localized(NO_FIELD) == "Lê Văn Tám"
        assert localized(None) == ""
        assert in_language("Việt Nam", "") == "Việt Nam"
        assert in_language(None, None) == ""


def test_any_field_of_objects_and_mappings_alike():
    pillar = {"code": "hạ_tầng", "name": "Hạ tầng số", "name_en": "Digital infrastructure"}
    document = SimpleNamespace(title="Nghị quyết về chuyển đổi số", title_en="Resolution on DX")
    with translation.override("en"):
        assert localized(pillar) == "Digital infrastructure"
        assert localized(document, "title") == "Resolution on DX"
        assert in_language("Trong ngày", "Same day") == "Same day"
    assert localized(pillar, language="vi") == "Hạ tầng số"
    assert in_language("Trong ngày", "Same day", "vi") == "Trong ngày"


def test_the_template_filter_follows_the_active_language():
    template = Template('{% load localized %}{{ unit|localized:"name" }} · '
                        "{{ document|localized:'title' }} · {{ other|localized }}")
    context = {"unit": DEPARTMENT, "document": SimpleNamespace(title="Kế hoạch", title_en=""),
               "other": NO_TWIN}
    with translation.override("en"):
        assert template.render(Context(context)) == (
            "Department of Home Affairs · Kế hoạch · Sở Xây dựng")
    with translation.override("vi"):
        assert template.render(Context(context)) == "Sở Nội vụ · Kế hoạch · Sở Xây dựng"
