"""Formula indicators: parsed safely (Python's ``ast``, a whitelist, never ``eval``).

A formula is arithmetic over other indicators' codes and numbers:
``online_dossiers / received_dossiers * 100``. Pure Python: no Django imports.

- :func:`parse` checks the syntax and returns a :class:`Formula` (its codes and a function).
- :func:`check_catalogue` rejects unknown codes and cycles across a whole catalogue.
- Division by zero, or any input missing, gives ``None`` (no value), not an error.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

import numpy as np

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}


class FormulaError(ValueError):
    """A formula that cannot be used, with the reason in words."""


@dataclass(frozen=True)
class Formula:
    text: str
    codes: frozenset[str]
    tree: ast.expr

    def evaluate(self, values: Mapping[str, float | None]) -> float | None:
        """The value for one unit and period; None when an input is missing or a division is
        by zero."""
        try:
            return _eval(self.tree, values)
        except (_Missing, ZeroDivisionError):
            return None

    def evaluate_arrays(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        """Vectorised: each input an array (NaN = missing); NaN where no value."""
        with np.errstate(divide="ignore", invalid="ignore"):
            result = _eval_array(self.tree, values)
        result = np.asarray(result, dtype=float)
        result[~np.isfinite(result)] = np.nan
        return result


class _Missing(Exception):
    pass


def _eval(node: ast.expr, values: Mapping[str, float | None]) -> float:
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]  # parse() lets only numbers in
    if isinstance(node, ast.Name):
        value = values.get(node.id)
        if value is None:
            raise _Missing(node.id)
        return float(value)
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, values))
    raise FormulaError("unexpected element")  # parse() lets nothing else through


def _eval_array(node: ast.expr, values: Mapping[str, np.ndarray]) -> np.ndarray | float:
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp):
        left = _eval_array(node.left, values)
        right = _eval_array(node.right, values)
        return _BINARY[type(node.op)](left, right)  # type: ignore[arg-type]
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval_array(node.operand, values))  # type: ignore[arg-type]
    raise FormulaError("unexpected element")


def parse(text: str) -> Formula:
    """Parse a formula; FormulaError says what is wrong and where."""
    if not text or not text.strip():
        raise FormulaError("the formula is empty")
    if len(text) > 500:
        raise FormulaError("the formula is longer than 500 characters")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(f"syntax error at character {exc.offset}: {text.strip()}") from exc
    codes: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            codes.add(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise FormulaError(f"only numbers are allowed, not {node.value!r}")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise FormulaError("only + - * / and parentheses are allowed")
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                raise FormulaError("only + - * / and parentheses are allowed")
        elif not isinstance(node, ast.operator | ast.unaryop | ast.expr_context):
            raise FormulaError(
                f"'{ast.unparse(node)}' is not allowed: use indicator codes, numbers, "
                "+ - * / and parentheses"
            )
    if not codes:
        raise FormulaError("the formula refers to no indicator")
    return Formula(text.strip(), frozenset(codes), tree)


def check_catalogue(formulas: Mapping[str, str], known: set[str]) -> list[str]:
    """Check every formula of a catalogue (code -> text); returns codes in evaluation order.

    Raises FormulaError naming the indicator and the reason: syntax, an unknown code, a
    formula that refers to itself, or a cycle (a -> b -> a).
    """
    graph: dict[str, set[str]] = {}
    for code, text in formulas.items():
        try:
            formula = parse(text)
        except FormulaError as exc:
            raise FormulaError(f"{code}: {exc}") from exc
        unknown = sorted(formula.codes - known)
        if unknown:
            raise FormulaError(f"{code}: unknown indicator code(s) {', '.join(unknown)}")
        if code in formula.codes:
            raise FormulaError(f"{code}: the formula refers to the indicator itself")
        graph[code] = {c for c in formula.codes if c in formulas}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise FormulaError(f"the formulas make a cycle: {cycle}") from exc
    return [code for code in order if code in formulas]
