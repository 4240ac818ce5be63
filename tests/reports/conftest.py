"""The reports' tests: the demo data once per module (rolled back after it; each test runs in
a savepoint inside), and a small fake format registered while a test needs one, so the report
types, the job and the command are tested whichever renderers are installed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.helpers import demo_for_module
from tinhso.reports import output
from tinhso.reports.document import Figure, Paragraph, Report, Table

FAKE = "txt"


def fake_render(report: Report) -> bytes:
    """The report as plain text: the frame's lines, then each block (tables row by row)."""
    f = report.frame
    lines = [f.parent_body, f.issuing_body, f"Số: {f.number or ''}/{f.symbol}", f.doc_type,
             f.summary]
    for block in report.blocks:
        if isinstance(block, Table):
            lines.append(block.caption)
            lines += [" | ".join("" if c is None else str(c) for c in row) for row in block.rows]
        elif isinstance(block, Figure):
            lines.append(f"[{block.caption}: {len(block.png)} bytes]")
        elif isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.append(getattr(block, "text", ""))
    lines += [f.signature.authority, f.signature.deputy, f.signature.title,
              f"data version {report.data_version}"]
    return "\n".join(lines).encode("utf-8")


@pytest.fixture
def fake_format() -> Iterator[str]:
    """A format "txt" (text/plain) registered for the test."""
    output.register(FAKE, "text/plain; charset=utf-8")(fake_render)
    try:
        yield FAKE
    finally:
        output.FORMATS.pop(FAKE, None)


@pytest.fixture
def broken_format() -> Iterator[str]:
    """A format whose renderer fails half-way, for the no-half-file tests."""
    def render(report: Report) -> bytes:
        raise RuntimeError("the renderer broke")
    output.register("broken", "application/octet-stream")(render)
    try:
        yield "broken"
    finally:
        output.FORMATS.pop("broken", None)


@pytest.fixture(scope="module")
def demo_data(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
              ) -> Iterator[None]:
    """The demo, loaded once for the module and rolled back after it."""
    with demo_for_module(django_db_blocker, tmp_path_factory, "reports-demo"):
        yield


@pytest.fixture
def demo(demo_data: None, db: None) -> None:
    """The module's demo data, in this test's savepoint."""


Run = Callable[..., Any]
