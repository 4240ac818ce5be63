"""A 5,000-task appendix imports in bounded memory (the benchmark times it:
bench/programme_import.py)."""

from __future__ import annotations

import io
import tracemalloc
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from tinhso.accounts.permissions import SYSTEM
from tinhso.programme.appendix import tasks_import
from tinhso.programme.appendix_columns import COLUMNS
from tinhso.programme.models import Task, TaskEvent

TASKS = 5000
PEAK_MB = 100  # the bound: the benchmark measures about 17 MB


def _appendix(tasks: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Phụ lục")
    sheet.append([c.header for c in COLUMNS])
    units = ["Sở Tài chính", "Sở Y tế", "56.SNV", "Sở Giáo dục và Đào tạo", "56.SXD"]
    for n in range(tasks):
        start = date(2026, 1, 1) + timedelta(days=n % 200)
        cells = {"Mã nhóm": f"{n % 4 + 1}.{n % 10 + 1}", "Tên nhóm": f"Mục {n % 10 + 1}",
                 "Mã nhiệm vụ": str(n + 1), "Nhiệm vụ": f"Nhiệm vụ chuyển đổi số số {n + 1}",
                 "Cơ quan chủ trì": units[n % 5],
                 "Cơ quan phối hợp": f"{units[(n + 1) % 5]}; {units[(n + 2) % 5]}",
                 "Ngày bắt đầu": start, "Hạn hoàn thành": f"{start + timedelta(days=90):%d/%m/%Y}",
                 "Chỉ số DTI": "chinh_quyen_so", "Trọng số": 1 + n % 3}
        sheet.append([cells.get(c.header) for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_5000_task_appendix_imports_in_bounded_memory(plan: Any) -> None:
    content = _appendix(TASKS)
    seen: list[tuple[str, int, int]] = []
    tracemalloc.start()
    try:
        result = tasks_import(actor=SYSTEM, document=plan, name="lon.xlsx", content=content,
                              progress_callback=lambda *a: seen.append(a))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.created, result.groups_created) == (TASKS, 20)
    assert Task.objects.filter(group__document=plan).count() == TASKS
    assert TaskEvent.objects.count() == TASKS
    assert peak < PEAK_MB * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert ("read", TASKS, 0) in seen and ("check", TASKS, TASKS) in seen
    assert seen[-1] == ("write", TASKS, TASKS)
