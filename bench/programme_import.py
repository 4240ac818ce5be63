"""Benchmark for issue 10: importing a 5,000-task appendix.

Builds an .xlsx appendix of TASKS tasks (four groups of items, units by name, supporting units,
indicators, DTI codes, dates as text and as date cells) for a plan of Khánh Hòa, then measures

  (a) the baseline: reading and parsing the same file with openpyxl read-only, nothing else;
  (b) the import checked and written in full, then rolled back (``dry_run``), so every run
      creates all the tasks afresh;
  (c) the same file imported again once it is in (every row unchanged), and the export;

each printed with the ratio to (a) in the same run (these machines are shared and noisy:
compare ratios, not seconds), rows per second, and the import's peak memory traced with
tracemalloc (a separate run: tracing slows Python down). Goal: peak under 100 MB.

Runs on a throwaway PostgreSQL database whose name contains "bench" (created and dropped), or
on a temporary SQLite file with --sqlite:

    .venv/bin/python bench/programme_import.py                 # 5,000 tasks, PostgreSQL
    .venv/bin/python bench/programme_import.py --sqlite --tasks 2000
"""

from __future__ import annotations

import argparse
import io
import os
import tracemalloc
from datetime import date, timedelta

from timing import (  # bench/timing.py: this script's directory is on the path
    on_database,
    ratio,
    timed,
)

PEAK_GOAL_MB = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--database", default="tinhso_bench_appendix")
    on_database(run, parser.parse_args())


def build_appendix(tasks: int, units: list[str]) -> bytes:
    """The appendix as a coordinator would write it: one row a task."""
    from openpyxl import Workbook

    from tinhso.programme.appendix_columns import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Phụ lục")
    sheet.append([c.header for c in COLUMNS])
    areas = ["Nền tảng", "Chính quyền số", "Kinh tế số", "Xã hội số"]
    dti = ["ha_tang_so", "chinh_quyen_so", "kinh_te_so", "xa_hoi_so"]
    for n in range(tasks):
        area, item = n % 4, (n // 4) % 10
        start = date(2026, 1, 1) + timedelta(days=n % 200)
        values = {
            "Mã nhóm": f"{area + 1}.{item + 1}", "Tên nhóm": f"{areas[area]}: mục {item + 1}",
            "Mã nhiệm vụ": f"{area + 1}.{item + 1}.{n + 1}",
            "Nhiệm vụ": f"Nhiệm vụ số {n + 1}: triển khai nền tảng, số hóa hồ sơ, "
                        "đào tạo kỹ năng số cho cán bộ, công chức và người dân",
            "Cơ quan chủ trì": units[n % len(units)],
            "Cơ quan phối hợp": f"{units[(n + 1) % len(units)]}; {units[(n + 2) % len(units)]}",
            "Ngày bắt đầu": start if n % 2 else f"{start:%d/%m/%Y}",
            "Hạn hoàn thành": f"{start + timedelta(days=180):%d/%m/%Y}",
            "Sản phẩm": "Báo cáo kết quả thực hiện", "Chỉ tiêu": "bench_online; bench_rate",
            "Chỉ số DTI": dti[area], "Trọng số": 1 + n % 3,
        }
        sheet.append([values.get(c.header) for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from openpyxl import load_workbook

    from tinhso.accounts.permissions import SYSTEM
    from tinhso.indicators.models import Indicator
    from tinhso.programme.appendix import tasks_export, tasks_import
    from tinhso.programme.models import Document, Task
    from tinhso.units.loaders import units_load_reference
    from tinhso.units.models import Unit

    call_command("migrate", verbosity=0)
    units_load_reference(actor=SYSTEM)
    province = Unit.objects.get(code="56")
    plan = Document.objects.create(number="10633/KH-UBND", kind="plan", title="Kế hoạch (bench)",
                                   issuer="UBND tỉnh", issued_on=date(2020, 10, 7),
                                   unit=province)
    for code in ("bench_online", "bench_rate"):
        Indicator.objects.create(code=code, name=code, measure="percent", period_type="year")
    names = list(Unit.objects.filter(code__startswith="56.", valid_to__isnull=True)
                 .values_list("name", flat=True))
    content = build_appendix(args.tasks, names)
    print(f"{args.tasks} tasks, {len(content) / 1e6:.1f} MB .xlsx, {len(names)} units; "
          f"{os.environ['DATABASE_URL'].split(':')[0]}")

    def baseline() -> int:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return count

    def dry() -> object:
        return tasks_import(actor=SYSTEM, document=plan, name="bench.xlsx", content=content,
                            dry_run=True)

    base_s, rows = timed(baseline, args.repeat, warm_up=True)
    import_s, result = timed(dry, args.repeat, warm_up=True)
    print(f"(a) openpyxl read-only, parse only   {base_s:8.2f} s  ({rows} rows)")
    print(f"(b) import, all created, rolled back {import_s:8.2f} s  "
          f"{args.tasks / import_s:7.0f} rows/s  ratio {import_s / base_s:5.1f}x  ({result})")
    ratio("appendix import / openpyxl parse", import_s / base_s)
    tasks_import(actor=SYSTEM, document=plan, name="bench.xlsx", content=content)
    assert Task.objects.filter(group__document=plan).count() == args.tasks
    again_s, again = timed(dry, args.repeat)
    print(f"(c) import again, all unchanged     {again_s:8.2f} s  "
          f"{args.tasks / again_s:7.0f} rows/s  ratio {again_s / base_s:5.1f}x  ({again})")
    export_s, exported = timed(lambda: tasks_export(plan), args.repeat)
    print(f"    export                           {export_s:8.2f} s  "
          f"ratio {export_s / base_s:5.1f}x  ({len(exported) / 1e6:.1f} MB)")
    ratio("appendix export / openpyxl parse", export_s / base_s)
    Task.objects.filter(group__document=plan).delete()
    tracemalloc.start()
    dry()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    verdict = "ok" if peak / 2**20 < PEAK_GOAL_MB else "OVER"
    print(f"peak traced memory of the import     {peak / 2**20:8.1f} MB  "
          f"(goal < {PEAK_GOAL_MB} MB: {verdict}; the file itself is "
          f"{len(content) / 2**20:.1f} MB)")


if __name__ == "__main__":
    main()
