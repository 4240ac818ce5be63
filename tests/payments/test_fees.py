"""The catalogue's fee texts read as amounts, never guessed: every text of the shipped sample
has its expected reading here, so a new text fails until someone says how it reads."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tinhso.payments.fees import (
    AMOUNT,
    EXEMPTION,
    FREE,
    FREE_ONLINE,
    IS_FREE,
    NO_AMOUNT,
    NO_TEXT,
    PER_ITEM,
    SEVERAL,
    UNCLEAR,
    parse_fee,
)

SAMPLE = (Path(__file__).resolve().parents[2] / "src" / "tinhso" / "procedures" / "data"
          / "procedures_sample.csv")

# text -> (kind, usual amount, amount online, why nothing is paid online for an online dossier)
EXPECTED = {
    "Miễn lệ phí": (FREE, None, None, IS_FREE),
    "Miễn lệ phí (đăng ký đúng hạn)": (FREE, None, None, IS_FREE),
    "8.000 đồng/bản sao": (UNCLEAR, None, None, PER_ITEM),
    "Do Hội đồng nhân dân tỉnh quy định": (UNCLEAR, None, None, NO_AMOUNT),
    "2.000 đồng/trang; từ trang thứ ba: 1.000 đồng/trang; tối đa 200.000 đồng/bản": (
        UNCLEAR, None, None, SEVERAL),
    "10.000 đồng/trường hợp": (AMOUNT, 10_000, None, ""),
    "50.000 đồng/hợp đồng, giao dịch": (UNCLEAR, None, None, PER_ITEM),
    "200.000 đồng (100.000 đồng đối với học sinh, sinh viên, người có công với cách mạng)": (
        UNCLEAR, None, None, SEVERAL),
    "50.000 đồng (miễn lệ phí khi đăng ký trực tuyến)": (AMOUNT, 50_000, 0, FREE_ONLINE),
    "20.000 đồng (10.000 đồng khi đăng ký trực tuyến)": (AMOUNT, 20_000, 10_000, ""),
    "15.000 đồng (7.000 đồng khi đăng ký trực tuyến)": (AMOUNT, 15_000, 7_000, ""),
}


def sample_fees() -> list[str]:
    with SAMPLE.open(encoding="utf-8") as f:
        return sorted({row["fee"] for row in csv.DictReader(f)})


def test_every_fee_text_of_the_sample_has_its_expected_reading() -> None:
    unread = [text for text in sample_fees() if text not in EXPECTED]
    assert not unread, f"fee texts without an expected reading: {unread}"


@pytest.mark.parametrize("text", sample_fees())
def test_a_sample_fee_reads_as_expected(text: str) -> None:
    kind, amount, online, why = EXPECTED[text]
    fee = parse_fee(text)
    assert (fee.kind, fee.amount, fee.online_amount) == (kind, amount, online)
    assert fee.why_not(online=True)[0] == why
    due_online = online if online is not None else amount
    assert fee.due(online=True) == (0 if kind == FREE else due_online)


def test_a_per_copy_rate_names_its_unit_and_gives_no_amount() -> None:
    fee = parse_fee("8.000 đồng/bản sao")
    assert fee.due(online=True) is None and fee.due(online=False) is None
    assert fee.why_not(online=False) == (PER_ITEM, {"unit": "bản sao"})


@pytest.mark.parametrize(("text", "amount"), [
    ("50.000 đồng/hồ sơ", 50_000),
    ("50.000đ/lần", 50_000),
    ("1.500.000 đồng", 1_500_000),
    ("1,5 triệu đồng/hồ sơ", 1_500_000),
    ("  300.000   đồng ", 300_000),
])
def test_one_clear_amount_for_the_dossier(text: str, amount: int) -> None:
    fee = parse_fee(text)
    assert fee.kind == AMOUNT and fee.due(online=False) == fee.due(online=True) == amount


@pytest.mark.parametrize(("text", "reason"), [
    ("", NO_TEXT),
    ("Theo quy định", NO_AMOUNT),
    ("100.000 đồng; miễn đối với hộ nghèo", EXEMPTION),
    ("100.000 đồng hoặc 200.000 đồng", SEVERAL),
    ("50.000 đồng/giấy phép", PER_ITEM),
])
def test_anything_else_is_unclear_with_its_reason(text: str, reason: str) -> None:
    fee = parse_fee(text)
    assert fee.kind == UNCLEAR and fee.due(online=True) is None
    assert fee.why_not(online=True)[0] == reason


def test_the_usual_amount_for_a_desk_dossier_and_the_online_one_online() -> None:
    fee = parse_fee("20.000 đồng (10.000 đồng khi đăng ký trực tuyến)")
    assert fee.due(online=False) == 20_000 and fee.due(online=True) == 10_000
    free_online = parse_fee("50.000 đồng (miễn lệ phí khi đăng ký trực tuyến)")
    assert free_online.due(online=False) == 50_000 and free_online.due(online=True) == 0
