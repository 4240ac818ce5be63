"""An illustrative export of the national procedure database: ``rows`` procedures in the
export's layout (``catalogue_columns``), for the tests and the benchmark of the catalogue
import. Invented: every code starts with ``MINHHOA-``, every name ends with "(minh họa)", and a
title row above the table says so. Not a real catalogue."""

from __future__ import annotations

import csv
import io

from tinhso.procedures.catalogue_columns import COLUMNS

ILLUSTRATIVE_PREFIX = "MINHHOA-"
TITLE = "Dữ liệu minh họa: không phải danh mục thủ tục thật"
FIELDS = ("Hộ tịch", "Đất đai", "Xây dựng", "Đăng ký kinh doanh", "Giáo dục", "Y tế",
          "Lao động", "Giao thông vận tải", "Tài nguyên nước", "Văn hóa")
LIMITS = ("Trong ngày làm việc", "3 ngày làm việc", "5 ngày làm việc", "10 ngày làm việc",
          "15 ngày", "20 ngày làm việc")
ONLINE = ("Toàn trình", "Một phần", "Không")


def illustrative_rows(rows: int, *, changed: frozenset[int] = frozenset()) -> list[list[str]]:
    """The table, header first; the row numbers in ``changed`` (0-based) get a longer time
    limit (a revised catalogue)."""
    table = [[c.header for c in COLUMNS]]
    for n in range(rows):
        level = "Cấp xã" if n % 3 else "Cấp tỉnh"
        limit = LIMITS[n % len(LIMITS)]
        if n in changed:
            limit = "30 ngày làm việc"
        table.append([
            f"{ILLUSTRATIVE_PREFIX}{n + 1:05d}", f"Thủ tục số {n + 1} (minh họa)",
            FIELDS[n % len(FIELDS)], level,
            "UBND cấp xã" if level == "Cấp xã" else f"Sở {FIELDS[n % len(FIELDS)]}",
            limit, "Miễn phí" if n % 4 else f"{(n % 9 + 1) * 10}.000 đồng",
            f"Quyết định minh họa {n % 50 + 1}/2026", ONLINE[n % 3],
            "Tờ khai; Bản sao giấy tờ tùy thân" if n % 2 else "Đơn đề nghị"])
    return table


def illustrative_csv(rows: int, *, changed: frozenset[int] = frozenset()) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([TITLE])
    writer.writerows(illustrative_rows(rows, changed=changed))
    return out.getvalue().encode("utf-8")


def illustrative_xlsx(rows: int, *, changed: frozenset[int] = frozenset()) -> bytes:
    from openpyxl import Workbook  # local: only the generator writes workbooks

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh mục TTHC")
    sheet.append([TITLE])
    for line in illustrative_rows(rows, changed=changed):
        sheet.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
