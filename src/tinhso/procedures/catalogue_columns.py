"""The national procedure database's export, as the catalogue import reads it: its columns
(the Vietnamese headers the export writes, the English names accepted too), the check of its
header, and each row read into the values a version holds, every problem named by row and
column (never guessed). The same readers check what staff type on the catalogue's pages.

Columns (docs/operations/catalogue-import.md): Mã thủ tục (code), Tên thủ tục (name), Lĩnh vực
(field), Cấp thực hiện (level: "Cấp tỉnh", "Cấp xã"), Cơ quan thực hiện (agencies), Thời hạn
giải quyết (time limit, as ``timelimits.parse_time_limit`` reads it), Phí, lệ phí (fee), Căn
cứ pháp lý (legal basis), Mức độ dịch vụ công trực tuyến (online level: "Toàn trình", "Một
phần", "Không"), Thành phần hồ sơ (required documents, separated by ";" or new lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tinhso.core.imports import RowError
from tinhso.core.xlsx import cell_text, fold, header_key, split_list
from tinhso.procedures.models import OnlineLevel
from tinhso.procedures.timelimits import parse_time_limit


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the national database's export writes it
    names: tuple[str, ...]  # other headers accepted (English, abbreviations)
    required: bool = True  # a value is needed in every row


COLUMNS = (
    Column("code", "Mã thủ tục", ("code", "procedure code", "ma TTHC", "ma so")),
    Column("name", "Tên thủ tục", ("name", "procedure name", "ten TTHC")),
    Column("field", "Lĩnh vực", ("field",)),
    Column("level", "Cấp thực hiện", ("level", "level of government")),
    Column("agency", "Cơ quan thực hiện", ("agencies", "agency", "implementing agencies")),
    Column("time_limit", "Thời hạn giải quyết", ("time limit", "thoi han")),
    Column("fee", "Phí, lệ phí", ("fee", "fees", "phi le phi", "le phi"), required=False),
    Column("legal_basis", "Căn cứ pháp lý", ("legal basis",), required=False),
    Column("online_level", "Mức độ dịch vụ công trực tuyến",
           ("online level", "muc do DVC", "muc do DVCTT", "muc do"), ),
    Column("required_documents", "Thành phần hồ sơ", ("required documents", "documents"),
           required=False),
)
BY_HEADER = {header_key(name): column for column in COLUMNS
             for name in (column.header, column.key, *column.names)}
TEXT_KEYS = ("name", "field", "agency", "time_limit", "fee", "legal_basis")

LEVELS = {"cap tinh": "province", "tinh": "province", "province": "province",
          "cap xa": "commune", "xa": "commune", "commune": "commune"}
ONLINE_LEVELS = {
    "toan trinh": OnlineLevel.FULL, "full": OnlineLevel.FULL, "fully online": OnlineLevel.FULL,
    "mot phan": OnlineLevel.PARTIAL, "partial": OnlineLevel.PARTIAL,
    "partly online": OnlineLevel.PARTIAL,
    "khong": OnlineLevel.NONE, "none": OnlineLevel.NONE, "not online": OnlineLevel.NONE,
    "cung cap thong tin": OnlineLevel.NONE, "thong tin truc tuyen": OnlineLevel.NONE,
}


def read_level(text: str) -> str:
    """'province' or 'commune' from the export's words; ValueError otherwise."""
    found = LEVELS.get(fold(text))
    if found is None:
        raise ValueError(_("'%(value)s' is not a level of government: write Cấp tỉnh or "
                           "Cấp xã") % {"value": text})
    return found


def read_online_level(text: str) -> str:
    found = ONLINE_LEVELS.get(fold(text))
    if found is None:
        raise ValueError(_("'%(value)s' is not an online level: write Toàn trình, Một phần "
                           "or Không") % {"value": text})
    return str(found)


def read_time_limit(text: str) -> dict[str, Any]:
    try:
        return parse_time_limit(text)
    except ValueError:
        raise ValueError(_("the platform cannot read the time limit '%(value)s' (write e.g. "
                           "'3 ngày làm việc', '15 ngày' or 'Trong ngày làm việc')")
                         % {"value": text}) from None


def header_problems(headers: list[str], row: int) -> tuple[dict[str, int], list[RowError]]:
    """column key -> its position, and the header's problems: unknown, repeated and missing
    columns."""
    positions: dict[str, int] = {}
    problems: list[RowError] = []
    for position, text in enumerate(headers):
        if not text:
            continue
        column = BY_HEADER.get(header_key(text))
        if column is None:
            problems.append(RowError(row, text, _("unknown column (the columns are: %(names)s)")
                                     % {"names": ", ".join(c.header for c in COLUMNS)}))
        elif column.key in positions:
            problems.append(RowError(row, text, _("this column appears twice")))
        else:
            positions[column.key] = position
    for column in COLUMNS:
        if column.key not in positions:
            problems.append(RowError(row, column.header, _("missing column")))
    return positions, problems


@dataclass(frozen=True)
class CatalogueRow:
    row: int
    code: str
    values: dict[str, Any]  # text fields, level, online_level, time_rule, documents (names)


def read_row(row: int, cells: dict[str, Any], headers: dict[str, str]
             ) -> tuple[CatalogueRow | None, list[RowError]]:
    """A row of the export read into a version's values, or its problems (``headers``: column
    key -> the header as the file writes it, for the messages)."""
    text = {c.key: " ".join(cell_text(cells.get(headers[c.key])).split()) for c in COLUMNS}
    problems = [RowError(row, headers[c.key], _("a value is needed"))
                for c in COLUMNS if c.required and not text[c.key]]
    values: dict[str, Any] = {key: text[key] for key in TEXT_KEYS}
    values["required_documents"] = split_list(cells.get(headers["required_documents"]))
    readers = (("level", read_level, "level"), ("online_level", read_online_level,
               "online_level"), ("time_limit", read_time_limit, "time_rule"))
    for key, reader, target in readers:
        if not text[key]:
            continue
        try:
            values[target] = reader(text[key])
        except ValueError as exc:
            problems.append(RowError(row, headers[key], str(exc)))
    if problems:
        return None, problems
    return CatalogueRow(row, text["code"], values), []


_SLUG = re.compile(r"[^a-z0-9]+")


def documents(names: list[str], previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The required documents as the catalogue keeps them: a document already listed keeps
    its entry (its code, which the applicants' files refer to); a new one gets a code."""
    kept = {d.get("name", ""): d for d in previous}
    used = {d.get("code") for d in previous}
    result = []
    for name in names:
        if name in kept:
            result.append(kept[name])
            continue
        base = _SLUG.sub("_", fold(name)).strip("_")[:30] or "giay_to"
        code, n = base, 2
        while code in used:
            code, n = f"{base}_{n}", n + 1
        used.add(code)
        result.append({"code": code, "name": name, "required": True})
    return result


def document_names(entries: list[dict[str, Any]]) -> list[str]:
    return [str(d.get("name", "")) for d in entries or []]
