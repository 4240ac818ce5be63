"""The units' pages name each unit in the page's language: its English name on an English page
when the reference data has one, its Vietnamese name otherwise."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_tree_and_a_unit_name_departments_in_the_page_language(client, reference_units):
    client.cookies["django_language"] = "en"
    tree = client.get("/units/").content.decode()
    unit = client.get("/units/56/").content.decode()
    for page in (tree, unit):
        assert "Department of Home Affairs" in page and "Sở Nội vụ" not in page
        assert "Office of the Provincial People&#x27;s Committee" in page
    assert "Viet Nam" in tree and "Việt Nam" not in tree
    client.cookies["django_language"] = "vi"
    tree = client.get("/units/").content.decode()
    assert "Sở Nội vụ" in tree and "Department of Home Affairs" not in tree


def test_a_unit_without_an_english_name_keeps_its_vietnamese_name(client, reference_units):
    commune = next(u for u in reference_units.values() if u.level == "commune" and not u.name_en)
    client.cookies["django_language"] = "en"
    page = client.get(f"/units/{commune.code}/").content.decode()
    assert commune.name in page
