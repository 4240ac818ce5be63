"""Benchmark for issue 14: searching a catalogue of 2,000 procedures.

Loads PROCEDURES illustrative procedures (generated: verbs × subjects × fields × agencies, with
household and enterprise registration among them, ``source`` marked illustrative), then
measures, in the same run:

  (a) the baseline: a plain lookup by code (the unique index), as a submission does;
  (b) a search as the API answers it: the first page of 20, best first, and the count, over a
      few queries typed without diacritics (some matching a handful, some hundreds);

and prints (b)'s time as a ratio to (a) (these machines are shared and noisy: compare ratios,
not seconds). Goal: a search costs at most GOAL lookups by code.

Runs on a throwaway PostgreSQL database whose name contains "bench" (created and dropped), or
on a temporary SQLite file with --sqlite:

    .venv/bin/python bench/procedure_search.py                 # 2,000 procedures, PostgreSQL
    .venv/bin/python bench/procedure_search.py --sqlite
"""

from __future__ import annotations

import argparse

from timing import (  # bench/timing.py: this script's directory is on the path
    on_database,
    ratio,
    timed,
)

GOAL = 30  # a search's time, in lookups by code
QUERIES = ("dang ky kinh doanh", "giay phep xay dung", "cap lai", "ho tich khai sinh",
           "so tai chinh", "thu hoi giay chung nhan dau tu")
VERBS = ("Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Thu hồi", "Đăng ký", "Xác nhận",
         "Thẩm định", "Chấp thuận", "Công nhận")
SUBJECTS = ("giấy phép xây dựng", "giấy chứng nhận đầu tư", "giấy phép kinh doanh",
            "thành lập hộ kinh doanh", "thành lập doanh nghiệp", "khai sinh", "kết hôn",
            "giấy phép lái xe", "chứng chỉ hành nghề", "giấy phép môi trường",
            "quyền sử dụng đất", "giấy phép khai thác", "biển hiệu quảng cáo",
            "cơ sở giáo dục", "cơ sở y tế", "hợp tác xã", "tài sản gắn liền với đất",
            "giấy phép lao động", "phương tiện thủy nội địa", "di tích lịch sử")
FIELDS = ("Hoạt động xây dựng", "Đầu tư", "Thành lập và hoạt động doanh nghiệp", "Hộ tịch",
          "Đất đai", "Môi trường", "Giáo dục", "Y tế", "Lao động", "Văn hóa")
AGENCIES = ("Sở Xây dựng", "Sở Tài chính (Phòng Đăng ký kinh doanh)", "Sở Tư pháp",
            "Sở Nông nghiệp và Môi trường", "Sở Y tế", "UBND cấp xã", "Công an tỉnh",
            "Sở Văn hóa, Thể thao và Du lịch", "Sở Giáo dục và Đào tạo", "Sở Nội vụ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--database", default="tinhso_bench_search")
    on_database(run, parser.parse_args())


def load(count: int) -> list[str]:
    """``count`` illustrative procedures; their codes."""
    from tinhso.procedures.models import Procedure, fold

    rows = []
    for n in range(count):
        verb, subject = VERBS[n % len(VERBS)], SUBJECTS[(n // len(VERBS)) % len(SUBJECTS)]
        round_ = n // (len(VERBS) * len(SUBJECTS))
        name = f"{verb} {subject}" + (f" (trường hợp {round_ + 1})" if round_ else "")
        field, agency = FIELDS[n % len(FIELDS)], AGENCIES[(n // 3) % len(AGENCIES)]
        code = f"BENCH.{n:05d}"
        rows.append(Procedure(
            code=code, national_code=f"9.{n:06d}", name=name, field=field, level="province",
            agency=agency, online_level="partial", time_limit="5 ngày làm việc",
            time_rule={"type": "working_days", "days": 5}, fee="Miễn lệ phí",
            source="bench (illustrative)",
            search_text=fold(" ".join([name, field, agency, code, f"9.{n:06d}"]))))
    Procedure.objects.bulk_create(rows, batch_size=500)
    return [p.code for p in rows]


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tinhso.procedures.catalogue import procedure_search
    from tinhso.procedures.models import Procedure

    call_command("migrate", verbosity=0)
    codes = load(args.procedures)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE procedures_procedure")
    sizes = {q: procedure_search(q=q).count() for q in QUERIES}
    print(f"{args.procedures} illustrative procedures; {connection.vendor}; matches: "
          + ", ".join(f"'{q}' {n}" for q, n in sizes.items()))
    picks = codes[:: max(1, len(codes) // len(QUERIES))][: len(QUERIES)]

    def lookups() -> int:
        return sum(Procedure.objects.filter(code=code).first() is not None for code in picks)

    def searches() -> int:
        found = 0
        for q in QUERIES:
            results = procedure_search(q=q)
            found += len(list(results[:20])) + results.count()
        return found

    base_s, _ = timed(lookups, args.repeat, warm_up=True)
    search_s, _ = timed(searches, args.repeat, warm_up=True)
    per_lookup, per_search = base_s / len(picks), search_s / len(QUERIES)
    print(f"(a) lookup by code          {per_lookup * 1000:8.2f} ms")
    print(f"(b) search, page of 20 + count {per_search * 1000:8.2f} ms  "
          f"ratio {per_search / per_lookup:6.1f}x")
    value = per_search / per_lookup
    ratio(f"search of {args.procedures} procedures / lookup by code", value,
          f"<= {GOAL}", value <= GOAL)


if __name__ == "__main__":
    main()
