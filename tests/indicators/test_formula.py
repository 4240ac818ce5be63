from __future__ import annotations

import math

import numpy as np
import pytest

from tinhso.indicators.formula import FormulaError, check_catalogue, parse


def test_ratio_times_factor():
    formula = parse("online_dossiers / received_dossiers * 100")
    assert formula.codes == {"online_dossiers", "received_dossiers"}
    assert formula.evaluate({"online_dossiers": 56, "received_dossiers": 100}) == pytest.approx(56)


def test_arithmetic_with_parentheses_and_signs():
    formula = parse("(a + b) / 2 - -c")
    assert formula.evaluate({"a": 1, "b": 3, "c": 1.5}) == 3.5


def test_missing_input_or_zero_denominator_gives_no_value():
    formula = parse("a / b")
    assert formula.evaluate({"a": 1}) is None
    assert formula.evaluate({"a": 1, "b": None}) is None
    assert formula.evaluate({"a": 1, "b": 0}) is None


def test_arrays_match_scalars():
    formula = parse("a / b * 100")
    a = np.array([1.0, 2.0, np.nan, 4.0])
    b = np.array([2.0, 0.0, 1.0, 8.0])
    result = formula.evaluate_arrays({"a": a, "b": b})
    assert result[0] == 50.0 and math.isnan(result[1]) and math.isnan(result[2])
    assert result[3] == 50.0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("__import__('os').system('rm -rf /')", "not allowed"),
        ("a.b", "not allowed"),
        ("a ** 2", "only \\+ - \\* /"),
        ("a // 2", "only \\+ - \\* /"),
        ("'x' + a", "only numbers"),
        ("a +", "syntax error"),
        ("42", "refers to no indicator"),
        ("", "empty"),
        ("[a]", "not allowed"),
        ("a if b else c", "not allowed"),
        ("a < b", "not allowed"),
    ],
)
def test_anything_but_arithmetic_is_refused(text, reason):
    with pytest.raises(FormulaError, match=reason):
        parse(text)


def test_catalogue_rejects_unknown_codes_self_reference_and_cycles():
    known = {"a", "b", "c", "d"}
    assert check_catalogue({"c": "a / b", "d": "c * 2"}, known) == ["c", "d"]
    with pytest.raises(FormulaError, match="c: unknown indicator code\\(s\\) zz"):
        check_catalogue({"c": "a / zz"}, known)
    with pytest.raises(FormulaError, match="refers to the indicator itself"):
        check_catalogue({"c": "c + 1"}, known)
    with pytest.raises(FormulaError, match="cycle"):
        check_catalogue({"c": "d + 1", "d": "c * 2"}, known)
