"""Making a report: build it from the live data (its type's builder), stamp it with its
parameters and data version, render it in its format. Used by the background task and by
``tinhso reports make``; nothing here writes a file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from tinhso.reports import output
from tinhso.reports.validation import Valid
from tinhso.reports.versions import data_version

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Made:
    content: bytes
    file_name: str
    content_type: str
    data_version: str


def file_name(valid: Valid) -> str:
    """The file's name, in Vietnamese: "Báo cáo tiến độ Chương trình chuyển đổi số 2026-Q4
    (56).docx"."""
    period = valid.asked.period
    code = period.code
    if period.type != "year":  # 2026Q4 -> 2026-Q4, 202611 -> 2026-11
        code = f"{code[:4]}-{code[4:]}"
    return f"{valid.kind.file_name} {code} ({valid.asked.unit.code}).{valid.fmt.code}"


def make(valid: Valid, progress: Progress | None = None) -> Made:
    """The report of ``valid`` rendered (``common.NoData`` when its figures are missing)."""
    tell = progress or (lambda _percent, _phase: None)
    version = data_version()
    tell(10, "reading")
    report = valid.kind.build(valid.asked)
    report = replace(report, parameters=valid.parameters, data_version=version)
    tell(60, "rendering")
    content = output.render(report, valid.fmt.code)
    tell(90, "storing")
    return Made(content, file_name(valid), valid.fmt.content_type, version)
