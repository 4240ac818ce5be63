"""A sample report (pure data, no database): the frame of either layout and a body of every
kind of block, for the renderers' tests."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from datetime import date
from typing import Any

from tinhso.reports.document import (
    Column,
    Figure,
    Frame,
    Heading,
    Layout,
    Paragraph,
    Report,
    Signature,
    Table,
)


def png(width: int = 40, height: int = 20) -> bytes:
    """A small grey PNG (a chart's stand-in)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def sample_frame(layout: Layout = "state", **changes: Any) -> Frame:
    if layout == "party":
        frame = Frame(
            layout="party", parent_body="ĐẢNG BỘ TỈNH KHÁNH HÒA", issuing_body="TỈNH ỦY",
            number=15, symbol="BC/TU", place="Khánh Hòa", day=date(2026, 1, 5),
            doc_type="BÁO CÁO", summary="Kết quả thực hiện Nghị quyết về chuyển đổi số năm 2025",
            recipients=("Ban Bí thư Trung ương Đảng,", "Các đồng chí Tỉnh ủy viên,"),
            archive="Lưu Văn phòng Tỉnh ủy.",
            signature=Signature("T/M BAN THƯỜNG VỤ", "", "PHÓ BÍ THƯ", "Nguyễn Văn Mẫu"))
    else:
        frame = Frame(
            layout="state", parent_body="", issuing_body="ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
            number=5, symbol="BC-UBND", place="Khánh Hòa", day=date(2026, 1, 5),
            doc_type="BÁO CÁO",
            summary="Tiến độ thực hiện Chương trình chuyển đổi số quý IV năm 2025",
            recipients=("Bộ Khoa học và Công nghệ;", "Thường trực Tỉnh ủy;"),
            archive="Lưu: VT, KGVX.",
            signature=Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                                "Trần Thị Mẫu"))
    return replace(frame, **changes)


INDICATORS = Table(
    caption="Bảng 1. Chỉ tiêu chủ yếu so với mục tiêu",
    columns=(Column("Chỉ tiêu"), Column("Hồ sơ", "int"), Column("Tỷ lệ", "percent", 2),
             Column("Chỉ số", "decimal", 4), Column("Ngày cập nhật", "date")),
    rows=(("Hồ sơ trực tuyến toàn trình", 12345, 64.06, 0.7071, date(2026, 11, 27)),
          ("Chỉ tiêu chưa công bố", None, None, None, None)),
    note="Nguồn: Cổng Dịch vụ công quốc gia; “–”: chưa công bố.")


def sample_report(layout: Layout = "state", paragraphs: int = 3, **frame: Any) -> Report:
    blocks = (
        Heading("KẾT QUẢ THỰC HIỆN"),
        Heading("Chính quyền số", 2),
        *(Paragraph("Trong kỳ, tỉnh đã triển khai các nhiệm vụ chuyển đổi số theo kế hoạch; "
                    "các chỉ tiêu chủ yếu được nêu tại bảng dưới đây.") for _ in range(paragraphs)),
        INDICATORS,
        Heading("Dịch vụ công trực tuyến", 3),
        Figure(png(), "Hình 1. Hồ sơ trực tuyến theo tháng", width_mm=100),
        Heading("NHIỆM VỤ, GIẢI PHÁP"),
        Paragraph("Tiếp tục đẩy mạnh chuyển đổi số trong năm 2026."),
    )
    return Report(kind="sample", frame=sample_frame(layout, **frame), blocks=blocks,
                  parameters={"period": "2025-Q4"}, data_version="test")
