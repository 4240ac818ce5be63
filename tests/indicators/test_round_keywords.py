"""A round's reporting units named by a level, in either language (issue 12)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import IndicatorFactory
from tinhso.indicators.forms import RoundForm, level_keyword


def test_level_keywords_in_english_and_in_vietnamese():
    assert level_keyword("department") == level_keyword("sở") == level_keyword("Sở") \
        == "department"
    assert level_keyword("commune") == level_keyword("xã") == level_keyword("XÃ") == "commune"
    assert level_keyword("56.STC") is None and level_keyword("so") is None


@pytest.mark.django_db
@pytest.mark.parametrize("words", ["xã", "commune"])
def test_a_round_for_every_commune_named_in_either_language(reference_units, words):
    form = RoundForm({"title": "Báo cáo", "period": "2026", "deadline": "2026-12-15",
                      "indicators": [IndicatorFactory().pk], "units": f"{words} 56.STC"},
                     owner=reference_units["56"])
    assert form.is_valid(), form.errors
    levels = {unit.level for unit in form.cleaned_data["units"]}
    assert levels == {"commune", "department"}
    assert len(form.cleaned_data["units"]) > 60  # Khánh Hòa's 65 communes, wards, zone + STC


def test_the_help_text_names_the_keywords_of_the_page_language():
    help_text = str(RoundForm.base_fields["units"].help_text)
    assert "'department'" in help_text and "'commune'" in help_text
    with translation.override("vi"):
        shown = str(RoundForm.base_fields["units"].help_text)
        word = translation.pgettext("reporting level keyword", "department")
    assert f"'{word}'" in shown and level_keyword(word) == "department"
