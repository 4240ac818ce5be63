"""The source of src/tinhso read as syntax trees (nothing imported): its modules, the tinhso
modules each imports (where, in which function, whether only for type checking), and Tarjan's
strongly connected components. Used by tests/test_architecture.py."""

from __future__ import annotations

import ast
import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PACKAGE = SRC / "tinhso"


@dataclass(frozen=True)
class Module:
    name: str  # tinhso.procedures.rules
    path: Path
    tree: ast.Module
    lines: tuple[str, ...]

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]

    @property
    def shown(self) -> str:
        return str(self.path.relative_to(ROOT))

    def marked(self, line: int, marker: re.Pattern[str]) -> bool:
        """Whether line ``line`` (1-based) carries ``marker``."""
        return 1 <= line <= len(self.lines) and bool(marker.search(self.lines[line - 1]))


@dataclass(frozen=True)
class Import:
    target: str  # the tinhso module imported (the nearest that exists)
    line: int
    end_line: int
    function: str | None  # the enclosing function, for a function-local import
    type_only: bool  # under ``if TYPE_CHECKING:``


@functools.cache
def modules() -> dict[str, Module]:
    """Every module of src/tinhso but the migrations."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        text = path.read_text(encoding="utf-8")
        found[name] = Module(name, path, ast.parse(text, str(path)), tuple(text.splitlines()))
    return found


def _existing(name: str) -> str | None:
    """The module ``name`` names, or the nearest package above it that exists."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def absolute(module: Module, node: ast.ImportFrom) -> str:
    """The module a ``from ... import`` statement imports from, relative imports resolved."""
    base = node.module or ""
    if node.level:
        parts = module.package.split(".")
        base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
    return base


def targets(module: Module, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The tinhso modules an import statement loads (as before-stop's shape check reads it)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = absolute(module, node)
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    found = {_existing(name) for name in names if name.startswith("tinhso")}
    return {t for t in found if t and t != module.name}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


class _ImportVisitor(ast.NodeVisitor):
    def __init__(self, module: Module) -> None:
        self.module = module
        self.functions: list[str] = []
        self.type_only = 0
        self.found: list[Import] = []

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self.type_only += 1
            for child in node.body:
                self.visit(child)
            self.type_only -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        function = ".".join(self.functions) if self.functions else None
        for target in sorted(targets(self.module, node)):
            self.found.append(Import(target, node.lineno, node.end_lineno or node.lineno,
                                     function, self.type_only > 0))

    visit_Import = visit_ImportFrom = _import


@functools.cache
def imports(name: str) -> tuple[Import, ...]:
    visitor = _ImportVisitor(modules()[name])
    visitor.visit(modules()[name].tree)
    return tuple(visitor.found)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph) + 100))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(components)


def report(title: str, offenders: list[str]) -> str:
    return f"{title} ({len(offenders)}):\n" + "\n".join(f"  {o}" for o in offenders)


def app_of(name: str) -> str | None:
    """The app of a module inside one (tinhso.<app>.…), else None."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and name in apps()) else None


@functools.cache
def apps() -> frozenset[str]:
    return frozenset(f"tinhso.{p.name}" for p in PACKAGE.iterdir()
                     if (p / "__init__.py").exists())


def models_of(target: str) -> str | None:
    """The app whose models module ``target`` is (``tinhso.<app>.models[.…]``), else None."""
    parts = target.split(".")
    return parts[1] if len(parts) > 2 and parts[2] == "models" else None


@functools.cache
def choices(target: str | None) -> frozenset[str]:
    """The choices enumerations a models module declares (classes of ...Choices)."""
    module = modules().get(target or "")
    if module is None:
        return frozenset()
    return frozenset(node.name for node in module.tree.body if isinstance(node, ast.ClassDef)
                     and any(ast.unparse(b).endswith("Choices") for b in node.bases))


def bindings(module: Module, other: str) -> dict[str, str]:
    """The names ``module`` binds at run time to app ``other``'s models module or its classes,
    choices excepted: {local name: what it names}."""
    bound: dict[str, str] = {}
    typing_only = {i.line for i in imports(module.name) if i.type_only}
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import) and node.lineno not in typing_only:
            for alias in node.names:
                if models_of(alias.name) == other:
                    bound[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.lineno not in typing_only:
            base = absolute(module, node)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if models_of(base) == other and alias.name not in choices(_existing(base)):
                    bound[alias.asname or alias.name] = full
                elif models_of(full) == other and models_of(base) != other:
                    bound[alias.asname or alias.name] = full  # from tinhso.units import models
    return bound


def annotation_nodes(tree: ast.AST) -> set[int]:
    """The ids of every node inside an annotation."""
    roots: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            roots.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            roots.append(node.returns)
    return {id(n) for root in roots for n in ast.walk(root)}


def root_name(node: ast.expr) -> tuple[str | None, bool]:
    """The name a chain such as ``Unit.objects.filter(...).update`` starts from, and whether
    it goes through ``.objects``."""
    through_manager = False
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            through_manager = True
        node = node.func if isinstance(node, ast.Call) else node.value
    return (node.id if isinstance(node, ast.Name) else None), through_manager
