"""Benchmark for issue 16: searching 1,000,000 official documents (the document office).

Fills ROWS documents (default 1,000,000) over five years at the province's units (the reference
units of Khánh Hòa: the People's Committee's office registers a fifth of them), incoming and
outgoing, from a vocabulary of realistic subjects ("Về việc triển khai chuyển đổi số trên địa
bàn xã Cam Lâm năm 2025"), 40 issuing organisations, every status, 1 % confidential, with an
addressee for outgoing documents and a handling slip (lead unit) for half the incoming ones;
the fill is INSERT ... SELECT over generate_series with the indexes made afterwards (not the
ORM). Then, as a clerk of one department (sees about 2 % of them) and as the province's leader
(sees all but the confidential), it runs a mix of searches through ``documents.search``
(free text typed without diacritics, number and notation, issuer with a date range, status):
a page of 20, newest first; and, in the same run, for the same free-text terms, the plain way:
``subject ILIKE '%term%'`` (the term with its diacritics), newest first, a page of 20.

It prints p50 and p95 of each over QUERIES searches per person, and their ratio (compare the
ratio: these machines are shared). Goal: search p95 < 200 ms. PostgreSQL only, in a throwaway
database whose name contains "bench" (dropped and created; --keep keeps and reuses it):

    .venv/bin/python bench/documents_search.py [--rows 100000] [--keep --explain]

Measured on the 2-core development machine (PostgreSQL 15, shared_buffers 128 MB), 1,000,000
documents filled in 33-57 s, 240 searches each, with who may see a document asked of its reach
column in the same GIN index as the words (migration 0005): a department's clerk p50 19 ms,
p95 47 ms (before the reach column: p95 215-257 ms); the province's leader p50 10 ms, p95 80 ms;
ILIKE on the subject p95 2.0 s (search / ILIKE 0.02 and 0.04). The list page (50 rows and the
years, no count) p95 83 ms (clerk) and 460 ms (leader, before the second slice of recent
documents) against 96 ms and 1,433 ms counting every match; under load 3-4: 54 and 352 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import time
from datetime import date
from typing import Any

from timing import on_database, ratio  # bench/timing.py: this script's directory is on the path

GOAL_MS = 200
LIST_PAGES = 40  # the list page, against a counting pager (each count reads every match)
PREFIXES = ("Về việc triển khai", "Về việc báo cáo kết quả", "Về việc ban hành",
            "Về việc hướng dẫn", "Về việc đề nghị góp ý", "Về việc tổ chức",
            "Về việc phê duyệt", "Về việc kiểm tra", "Về việc giao nhiệm vụ",
            "Về việc tăng cường", "Về việc đôn đốc thực hiện", "Về việc điều chỉnh")
TOPICS = ("Bộ chỉ số DTI", "chuyển đổi số", "kế hoạch đầu tư công", "dự toán ngân sách",
          "cải cách hành chính", "phòng chống thiên tai", "xây dựng nông thôn mới",
          "quản lý đất đai", "bảo vệ môi trường", "an toàn thông tin", "chính quyền số",
          "dịch vụ công trực tuyến", "đề án 06", "phát triển du lịch", "an ninh trật tự",
          "phòng cháy chữa cháy", "tiêm chủng mở rộng", "tuyển sinh đầu cấp",
          "giải phóng mặt bằng", "quy hoạch sử dụng đất", "thu hồi đất", "cấp giấy chứng nhận",
          "khai thác thủy sản", "chống khai thác IUU", "bảo hiểm y tế", "giảm nghèo bền vững",
          "thi đua khen thưởng", "công tác cán bộ", "tinh gọn bộ máy", "sắp xếp đơn vị hành chính",
          "kinh tế số", "xã hội số", "hạ tầng viễn thông", "chữ ký số", "lưu trữ điện tử",
          "văn bản điện tử", "thanh toán không dùng tiền mặt", "cơ sở dữ liệu dân cư",
          "phòng chống tham nhũng", "tiếp công dân")
SCOPES = ("năm 2025", "trên địa bàn tỉnh", "quý III", "6 tháng đầu năm",
          "giai đoạn 2026-2030", "tại các xã, phường", "năm 2026", "đợt 2",
          "theo Nghị quyết 57-NQ/TW", "của Sở, ngành", "trên địa bàn xã", "quý I",
          "tháng cao điểm", "năm học 2025-2026", "giai đoạn 2021-2025")
PLACES = ("Cam Lâm", "Nha Trang", "Cam Ranh", "Ninh Hòa", "Vạn Ninh", "Diên Khánh",
          "Khánh Vĩnh", "Khánh Sơn", "Trường Sa", "Phan Rang", "Ninh Hải", "Ninh Phước",
          "Thuận Bắc", "Bác Ái", "Ninh Sơn", "Đông Hải", "Tây Nha Trang", "Bắc Cam Ranh")
KINDS = ("Công văn", "Quyết định", "Kế hoạch", "Báo cáo", "Thông báo", "Tờ trình",
         "Giấy mời", "Chỉ thị")
NOTATIONS = ("UBND-VP", "QĐ-UBND", "KH-UBND", "BC-UBND", "TB-UBND", "TTr-STC", "QĐ-BKHCN",
             "CV-SNV", "KH-SKHCN", "BC-STTTT")
ISSUERS = tuple((f"000.00.{n:02d}.H34", name) for n, name in enumerate((
    "UBND tỉnh Khánh Hòa", "Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính",
    "Sở Khoa học và Công nghệ", "Sở Xây dựng", "Sở Y tế", "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Sở Văn hóa, Thể thao và Du lịch",
    "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Thanh tra tỉnh", "Sở Dân tộc và Tôn giáo",
    "Ban Quản lý Khu kinh tế Vân Phong", "Đài Phát thanh và Truyền hình", "Kho bạc Nhà nước",
    "Cục Thuế tỉnh"))) + tuple((f"000.00.00.G{n:02d}", name) for n, name in enumerate((
        "Bộ Khoa học và Công nghệ", "Bộ Nội vụ", "Bộ Tài chính", "Bộ Công an",
        "Văn phòng Chính phủ", "Bộ Tư pháp", "Bộ Xây dựng", "Bộ Y tế",
        "Bộ Giáo dục và Đào tạo", "Bộ Nông nghiệp và Môi trường"), start=1))
INCOMING = ("registered", "directed", "handling", "answered", "closed")
OUTGOING = ("draft", "issued", "sent")
FIRST_DAY = date(2022, 1, 1)
DAYS = 5 * 365


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=240, help="searches per person")
    parser.add_argument("--database", default="tinhso_bench_documents")
    parser.add_argument("--explain", action="store_true", help="print each plan once")
    parser.add_argument("--keep", action="store_true",
                        help="keep the filled database, and reuse it when run again")
    args = parser.parse_args()
    args.sqlite = False
    if args.keep:
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
        subprocess.run(["psql", "postgres://postgres@127.0.0.1:5432/postgres", "-qc",
                        f"CREATE DATABASE {args.database}"], capture_output=True)
        run(args)
    else:
        on_database(run, args)


def folded(values: tuple[str, ...]) -> list[str]:
    from tinhso.documents.rules import fold

    return [fold(v) for v in values]


def arrays() -> dict[str, Any]:
    """The vocabulary as SQL arrays (with their folded forms for the search text)."""
    return {"prefix": list(PREFIXES), "prefix_f": folded(PREFIXES),
            "topic": list(TOPICS), "topic_f": folded(TOPICS),
            "scope": list(SCOPES), "scope_f": folded(SCOPES),
            "place": list(PLACES), "place_f": folded(PLACES),
            "kind": list(KINDS), "kind_f": folded(KINDS),
            "notation": list(NOTATIONS), "notation_f": folded(NOTATIONS),
            "icode": [c for c, _ in ISSUERS], "iname": [n for _, n in ISSUERS],
            "iname_f": folded(tuple(n for _, n in ISSUERS)),
            "icode_f": [c.lower() for c, _ in ISSUERS],
            "incoming": list(INCOMING), "outgoing": list(OUTGOING)}


# One document per generate_series row: its unit (one in five at the province's office), its
# direction, the vocabulary drawn at random, numbers without gaps per register (row_number),
# the search text folded as rules.search_text does (code, notation, subject, issuer name and
# code, kind; no signer).
FILL = """
    INSERT INTO documents_document (
        direction, unit_id, year, number, notation, arrival_number, arrived_at, issuer_code,
        issuer_name, kind, issued_on, place, subject, content, signer_name, signer_position,
        signer_competence, priority, assigns_work, confidential, status, exchange_id,
        electronic, trace, search_text, created_at, updated_at, is_illustrative, reach)
    SELECT dir, unit_id, yr, n, (%(notation)s::text[])[nt], arr,
        CASE WHEN dir = 'in' THEN issued + interval '2 days' END,
        (%(icode)s::text[])[iss], (%(iname)s::text[])[iss], (%(kind)s::text[])[kd], issued, '',
        (%(prefix)s::text[])[pr] || ' ' || (%(topic)s::text[])[tp] || ' '
            || (%(scope)s::text[])[sc]
            || CASE WHEN pl > 0 THEN ' tại ' || (%(place)s::text[])[pl] ELSE '' END,
        '', '', '', '', '0', false, rc < 0.01,
        CASE WHEN dir = 'in' THEN (%(incoming)s::text[])[st]
             ELSE (%(outgoing)s::text[])[1 + st %% 3] END,
        '', true, '[]'::jsonb,
        lpad(n::text, 2, '0') || '/' || (%(notation_f)s::text[])[nt] || ' '
            || (%(notation_f)s::text[])[nt] || ' ' || (%(prefix_f)s::text[])[pr] || ' '
            || (%(topic_f)s::text[])[tp] || ' ' || (%(scope_f)s::text[])[sc]
            || CASE WHEN pl > 0 THEN ' tai ' || (%(place_f)s::text[])[pl] ELSE '' END
            || ' ' || (%(iname_f)s::text[])[iss] || ' ' || (%(icode_f)s::text[])[iss] || ' '
            || (%(kind_f)s::text[])[kd],
        issued + interval '2 days' + i * interval '1 millisecond', now(), true, '{}'
    FROM (
        SELECT g.*, extract(year FROM issued)::int AS yr,
            CASE WHEN dir = 'in' THEN num ELSE row_number() OVER (
                PARTITION BY unit_id, dir, extract(year FROM issued) ORDER BY i) END AS n,
            CASE WHEN dir = 'in' THEN row_number() OVER (
                PARTITION BY unit_id, dir, extract(year FROM issued) ORDER BY i) END AS arr
        FROM (
            SELECT i, CASE WHEN random() < 0.2 THEN %(office)s ELSE
                    (%(units)s::bigint[])[1 + floor(random() * %(n_units)s)::int] END AS unit_id,
                CASE WHEN random() < 0.6 THEN 'in' ELSE 'out' END AS dir,
                1 + floor(random() * 1500)::int AS num,
                1 + floor(random() * %(n_notation)s)::int AS nt,
                1 + floor(random() * %(n_issuer)s)::int AS iss,
                1 + floor(random() * %(n_kind)s)::int AS kd,
                1 + floor(random() * %(n_prefix)s)::int AS pr,
                1 + floor(random() * %(n_topic)s)::int AS tp,
                1 + floor(random() * %(n_scope)s)::int AS sc,
                floor(random() * (%(n_place)s + 1) * 1.5)::int %% (%(n_place)s + 1) AS pl,
                1 + floor(random() * 5)::int AS st, random() AS rc,
                %(first)s::date + floor(random() * %(days)s)::int AS issued
            FROM generate_series(1, %(rows)s) i
        ) g
    ) h
"""
# An addressee (a unit of the installation) for each outgoing document, a handling slip with a
# lead unit for half the incoming ones past "registered".
LINKS = """
    INSERT INTO documents_recipient (document_id, unit_id, organ_code, organ_name,
                                     for_information)
    SELECT id, u, 'U' || u, 'Đơn vị ' || u, false FROM (
        SELECT id, (%(units)s::bigint[])[1 + floor(random() * %(n_units)s)::int] AS u
        FROM documents_document WHERE direction = 'out') r;
    INSERT INTO documents_assignment (document_id, lead_unit_id, due_on, instruction,
                                      directed_at, task_id, closed_on)
    SELECT id, (%(units)s::bigint[])[1 + floor(random() * %(n_units)s)::int],
        issued_on + 15, 'Chủ trì tham mưu', created_at, NULL,
        CASE WHEN status = 'closed' THEN issued_on + 10 END
    FROM documents_document WHERE direction = 'in' AND status <> 'registered'
        AND random() < 0.5;
"""

# Who may see each document (``Document.reach``, as ``access.reach_of``): the units it reaches;
# the confidential ones name no readers here, so they reach nobody.
REACH = """
    UPDATE documents_document d SET reach = x.reach FROM (
        SELECT document_id, array_agg(DISTINCT u ORDER BY u) AS reach FROM (
            SELECT id AS document_id, unit_id AS u FROM documents_document
            UNION ALL SELECT document_id, unit_id FROM documents_recipient
                WHERE unit_id IS NOT NULL
            UNION ALL SELECT document_id, lead_unit_id FROM documents_assignment
            UNION ALL SELECT a.document_id, s.unit_id
                FROM documents_assignment_support_units s
                JOIN documents_assignment a ON a.id = s.assignment_id
        ) y GROUP BY document_id
    ) x WHERE x.document_id = d.id AND NOT d.confidential
"""


def fill(rows: int) -> tuple[int, list[int]]:
    """``rows`` documents (seeded: the same every run); the office's and the units' ids."""
    from django.db import connection, transaction

    from tinhso.units.models import Unit

    office = Unit.objects.get(code="56.VP").pk
    units = list(Unit.objects.filter(path__startswith="/VN/56/").exclude(pk=office)
                 .order_by("code").values_list("pk", flat=True))
    params = arrays() | {"office": office, "units": units, "n_units": len(units),
                         "first": FIRST_DAY, "days": DAYS, "rows": rows}
    params |= {f"n_{name}": len(params[name]) for name in
               ("notation", "kind", "prefix", "topic", "scope", "place")}
    params["n_issuer"] = len(ISSUERS)
    # one transaction: a fill that fails leaves the table and its indexes as they were
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""SELECT indexname, indexdef FROM pg_indexes
            WHERE tablename = 'documents_document' AND indexname NOT IN (
                SELECT conname FROM pg_constraint WHERE contype = 'p')""")
        indexes = cursor.fetchall()
        for index, _definition in indexes:
            cursor.execute(f'DROP INDEX "{index}"')
        cursor.execute("SELECT setseed(0.16)")
        cursor.execute(FILL, params)
        for statement in LINKS.split(";")[:2]:
            cursor.execute(statement, params)
        cursor.execute(REACH)
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _index, definition in indexes:
            cursor.execute(definition)
    with connection.cursor() as cursor:
        for table in ("document", "recipient", "assignment"):
            cursor.execute(f"VACUUM ANALYZE documents_{table}")
    return office, units


def people(office: int) -> dict[str, Any]:
    """A clerk of one department and the province's leader (their roles, as the demo's)."""
    from tinhso.accounts.models import RoleAssignment, User, UserKind
    from tinhso.units.models import Unit

    department = Unit.objects.get(code="56.STC")
    province = Unit.objects.get(code="56")
    clerk, new = User.objects.get_or_create(username="bench.vanthu", kind=UserKind.STAFF,
                                            unit=department)
    if new:
        RoleAssignment.objects.create(user=clerk, role="clerk", unit=department)
    leader, new = User.objects.get_or_create(username="bench.lanhdao", kind=UserKind.STAFF,
                                             unit=province)
    if new:
        RoleAssignment.objects.create(user=leader, role="leader", unit=province)
    return {"clerk of a department": clerk, "the province's leader": leader}


def searches(count: int) -> list[tuple[dict[str, str], str | None]]:
    """``count`` searches (parameters, and the term for the ILIKE comparison when free text),
    drawn from the vocabulary (seeded)."""
    from tinhso.documents.rules import fold

    draw = random.Random(16)
    mix: list[tuple[dict[str, str], str | None]] = []
    while len(mix) < count:
        topic, place = draw.choice(TOPICS), draw.choice(PLACES)
        code, name = draw.choice(ISSUERS)
        start = date.fromordinal(FIRST_DAY.toordinal() + draw.randrange(DAYS - 90))
        end = date.fromordinal(start.toordinal() + draw.choice((7, 30, 90)))
        mix += [
            ({"q": fold(topic)}, topic),
            ({"q": fold(f"{topic} tại {place}")}, f"{topic} tại {place}"),
            ({"code": f"{draw.randrange(1, 400)}/{draw.choice(NOTATIONS)}"}, None),
            ({"code": str(draw.randrange(1, 1500))}, None),
            ({"issuer": draw.choice((code, fold(name))), "date_from": f"{start:%d/%m/%Y}",
              "date_to": f"{end:%d/%m/%Y}"}, None),
            ({"status": draw.choice(INCOMING + OUTGOING)}, None),
            ({"q": fold(draw.choice(PREFIXES)), "status": draw.choice(INCOMING),
              "year": str(draw.randrange(2022, 2027))}, None),
        ]
    return mix[:count]


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(user: Any, mix: list[tuple[dict[str, str], str | None]],
            explain: bool) -> tuple[list[float], list[float], int]:
    """Milliseconds of each search and of each ILIKE page; rows found."""
    from django.db import connection

    from tinhso.documents.search import DocumentQuery, search

    found, times, plain = 0, [], []
    explained: set[str] = set()
    for params, term in mix:
        query = DocumentQuery.parse(params)
        shape = ",".join(sorted(params))
        if explain and shape not in explained:
            explained.add(shape)
            from tinhso.documents.search import matching

            print(f"--- {params}\n" + matching(user, query)[:21].explain(analyze=True))
        start = time.perf_counter()
        found += len(search(user, query).rows)
        times.append((time.perf_counter() - start) * 1000)
        if term is not None:
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SELECT id, subject FROM documents_document "
                               "WHERE subject ILIKE %s "
                               "ORDER BY issued_on DESC NULLS FIRST, created_at DESC, id DESC "
                               "LIMIT 21", [f"%{term}%"])
                cursor.fetchall()
            plain.append((time.perf_counter() - start) * 1000)
    if explain:
        slowest = sorted(zip(times, [p for p, _ in mix], strict=True), key=lambda t: -t[0])
        print("slowest: " + "; ".join(f"{ms:.0f} ms {p}" for ms, p in slowest[:5]))
    return times, plain, found


def list_pages(user: Any, mix: list[tuple[dict[str, str], str | None]],
               ) -> tuple[list[float], list[float]]:
    """Milliseconds of the list page's reads (``selectors.document_list`` and ``list_years``)
    for each search of ``mix``, and, in the same run, of what a pager that counts every match
    and lists the years of every visible document reads (the page before this issue's end)."""
    from django.core.paginator import Paginator

    from tinhso.documents.access import visible_documents
    from tinhso.documents.search import DocumentQuery, matching
    from tinhso.documents.selectors import document_list, list_years

    pages, counted = [], []
    for params, _term in mix:
        start = time.perf_counter()
        len(document_list(user, params).rows), list_years()
        pages.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        query = matching(user, DocumentQuery.parse(params))
        len(Paginator(query.select_related("unit", "assignment"), 50).get_page(1))
        sorted(set(visible_documents(user).values_list("year", flat=True)))
        counted.append((time.perf_counter() - start) * 1000)
    return pages, counted


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from tinhso.accounts.permissions import SYSTEM
    from tinhso.documents.models import Document
    from tinhso.units.loaders import units_load_reference
    from tinhso.units.models import Unit

    call_command("migrate", verbosity=0)
    if args.keep and Document.objects.exists():
        office = Unit.objects.get(code="56.VP").pk
        print(f"reusing {Document.objects.count():,} documents")
    else:
        units_load_reference(actor=SYSTEM)
        start = time.perf_counter()
        office, units = fill(args.rows)
        print(f"filled {args.rows:,} documents at {len(units) + 1} units in "
              f"{time.perf_counter() - start:.1f} s")
    mix = searches(args.queries)
    worst = 0.0
    for label, user in people(office).items():
        measure(user, mix[:20], explain=False)  # warm up
        times, plain, found = measure(user, mix, args.explain)
        p95, plain_p95 = percentile(times, 0.95), percentile(plain, 0.95)
        worst = max(worst, p95)
        print(f"{label}: {len(times)} searches, {found:,} rows shown; search p50 "
              f"{statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms; "
              f"ILIKE on subject ({len(plain)} pages) p50 {statistics.median(plain):.1f} ms, "
              f"p95 {plain_p95:.1f} ms; p95 search / ILIKE {p95 / plain_p95:.2f}")
        ratio(f"documents search p95 / ILIKE p95, {label}", p95 / plain_p95)
        pages, counted = list_pages(user, mix[:LIST_PAGES])
        print(f"{label}: the list page's rows and years ({len(pages)} pages of 50) p95 "
              f"{percentile(pages, 0.95):.1f} ms; a pager counting every match with the years "
              f"read from every row p95 {percentile(counted, 0.95):.1f} ms")
        ratio(f"documents list page p95 / counting pager p95, {label}",
              percentile(pages, 0.95) / percentile(counted, 0.95))
    ratio(f"documents search p95 / {GOAL_MS} ms, {args.rows:,} rows", worst / GOAL_MS,
          "<= 1", worst <= GOAL_MS)


if __name__ == "__main__":
    main()
