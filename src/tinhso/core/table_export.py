"""The tables of an HTML page as typed rows, ready for a spreadsheet. Pure: no Django.

A page's ``<table>`` s are read with lxml: the header rows from ``<th>`` (``<thead>``, or the
leading rows made only of ``<th>``), the body rows after them; ``colspan`` and ``rowspan`` are
spread over the grid (the text at the first cell, the rest merged by the writer). Each table is
named by its ``<caption>`` or the nearest heading before it. A table marked ``data-export="no"``
(a layout table, a form) is left out.

A cell's text is typed as the page's language writes it (``vi``: "1.234", "0,71", "64,06 %",
"27/11/2026"; ``en``: "1,234", "0.71", "64.06 %"; both: "27/11/2026", "14:30 27/11/2026"
and ISO dates, the forms the templates write): numbers become numbers, percentages real
fractions with a percent format, dates real dates. A rank "16/34", a code, "–" (no figure)
and everything else stay text: nothing is ever turned into a zero. A ``data-value`` attribute
(an ISO date, or a number with a point as the decimal sign; a percentage as its percent
figure, 64.06) wins over the text when present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import lxml.html

INT_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
TEXT_FORMAT = "General"
Value = str | int | float | date | datetime | None
# Elements whose text is not part of a cell's figure (actions, scripts, the hidden template).
DROPPED = ("script", "style", "template", "button", "select", "textarea", "svg", "noscript")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Typed:
    value: Value
    number_format: str = TEXT_FORMAT


@dataclass(frozen=True)
class Span:
    """A merged block of the grid: first row and column (0-based), how many of each."""

    row: int
    col: int
    rows: int
    cols: int


@dataclass
class PageTable:
    name: str
    header: list[list[str]] = field(default_factory=list)
    rows: list[list[Typed]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)  # rows counted from the first header row

    @property
    def width(self) -> int:
        return max([*(len(r) for r in self.header), *(len(r) for r in self.rows)], default=0)


# --- typing a cell's text -----------------------------------------------------------------

SEPARATORS = {"vi": (",", "."), "en": (".", ",")}  # decimal sign, thousands separator
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _plain_number(text: str, lang: str) -> tuple[Decimal, bool] | None:
    """"1.234,5" (vi) or "1,234.5" (en) as a Decimal and whether it was grouped in thousands;
    None when the text is not a number (or is a code: "056", a long identity number)."""
    decimal_sep, thousand_sep = SEPARATORS.get(lang, SEPARATORS["vi"])
    text = text.replace("\u2212", "-")
    sep_d, sep_t = re.escape(decimal_sep), re.escape(thousand_sep)
    grouped = re.fullmatch(rf"[-+]?\d{{1,3}}(?:{sep_t}\d{{3}})+(?:{sep_d}\d+)?", text)
    if not grouped and not re.fullmatch(rf"[-+]?\d{{1,9}}(?:{sep_d}\d+)?", text):
        return None
    if re.fullmatch(rf"[-+]?0\d+(?:{sep_d}\d+)?", text) or (grouped and re.match(r"[-+]?0", text)):
        return None  # a code with a leading zero ("056"), or "0.707" (no thousands): text
    try:
        return Decimal(text.replace(thousand_sep, "").replace(decimal_sep, ".")), bool(grouped)
    except InvalidOperation:
        return None


def _decimal_format(number: Decimal, percent: bool = False) -> str:
    exponent = number.as_tuple().exponent
    digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    fraction = "." + "0" * digits if digits else ""
    return f"0{fraction}%" if percent else f"#,##0{fraction}"


def _number(number: Decimal, percent: bool, grouped: bool = True) -> Typed:
    """A number typed with the format the page showed: "1.234" -> #,##0; "2026" -> 0 (a year
    or a small count, shown without a separator); "0,71" -> #,##0.00; "64,06 %" -> 0.00%."""
    fmt = _decimal_format(number, percent)
    if percent:
        return Typed(float(number / 100), fmt)
    if number == number.to_integral_value() and "." not in fmt:
        return Typed(int(number), INT_FORMAT if grouped else "0")
    return Typed(float(number), fmt)


_DMY = r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
_HM = r"(?P<h>\d{1,2}):(?P<mi>\d{2})"
DATE_PATTERNS = (re.compile(_DMY), re.compile(_DMY + " " + _HM), re.compile(_HM + " " + _DMY))
# A month: "01/2026", "1/2026" (a rank "16/34" has no four-digit year in its field size).
MONTH = re.compile(r"(?P<m>0?[1-9]|1[0-2])/(?P<y>(?:19|20|21)\d\d)")
MONTH_FORMAT = "mm/yyyy"


def _date(text: str) -> Typed | None:
    """27/11/2026, 27/11/2026 14:30 or 14:30 27/11/2026 (the pages' forms), or ISO."""
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        parts = match.groupdict()
        try:
            day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
            if parts.get("h") is None:
                return Typed(day, DATE_FORMAT)
            return Typed(datetime(day.year, day.month, day.day, int(parts["h"]),
                                  int(parts["mi"])), DATETIME_FORMAT)
        except ValueError:
            return None
    month = MONTH.fullmatch(text)
    if month:
        return Typed(date(int(month["y"]), int(month["m"]), 1), MONTH_FORMAT)
    return _iso_date(text)


def _iso_date(text: str) -> Typed | None:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return Typed(date.fromisoformat(text), DATE_FORMAT)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?",
                        text):
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return Typed(moment.replace(tzinfo=None), DATETIME_FORMAT)
    except ValueError:
        return None
    return None


def type_text(text: str, lang: str = "vi") -> Typed:
    """A cell's text as a spreadsheet value: a number, a percentage, a date, or the text."""
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return Typed(None)
    percent = text.endswith("%")
    body = text[:-1].rstrip() if percent else text
    found = _plain_number(body, lang if lang in SEPARATORS else "vi")
    if found is not None:
        return _number(found[0], percent, found[1])
    return _date(text) or Typed(text)


def type_data_value(raw: str, text: str, lang: str = "vi") -> Typed | None:
    """The raw value a template put in ``data-value`` (an ISO date; a number with a point, a
    percentage as its percent figure), shown with the format its text has; None when it does
    not read (the text is typed instead)."""
    raw = raw.strip()
    if not raw:
        return Typed(None)
    found = _iso_date(raw)
    if found:
        return found
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    shown = type_text(text, lang)
    numeric = shown.number_format not in (TEXT_FORMAT, DATE_FORMAT, DATETIME_FORMAT)
    if text.strip().endswith("%"):
        return Typed(float(number / 100), shown.number_format if numeric else "0.00%")
    if numeric:
        value: int | float = int(number) if isinstance(shown.value, int) and \
            number == number.to_integral_value() else float(number)
        return Typed(value, shown.number_format)
    if number == number.to_integral_value() and "." not in raw:
        return Typed(int(number), INT_FORMAT)
    return Typed(float(number), _decimal_format(number))


# --- reading the page -----------------------------------------------------------------------


def cell_text(element: lxml.html.HtmlElement) -> str:
    """The visible words of a cell, blanks collapsed, buttons and scripts left out."""
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in DROPPED:
                walk(child)
                if child.tag == "br":
                    parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return list(table.xpath("./thead/tr | ./tbody/tr | ./tr | ./tfoot/tr"))


def _is_header_row(row: lxml.html.HtmlElement) -> bool:
    if row.getparent().tag == "thead":
        return True
    cells = [c for c in row if c.tag in ("td", "th")]
    return bool(cells) and all(c.tag == "th" for c in cells)


def _span(cell: lxml.html.HtmlElement, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), 100))
    except ValueError:
        return 1


def read_table(table: lxml.html.HtmlElement, name: str, lang: str = "vi") -> PageTable:
    """One ``<table>`` as its header rows (text) and body rows (typed)."""
    out = PageTable(name=name)
    taken: set[tuple[int, int]] = set()
    in_header = True
    for r, row in enumerate(_rows(table)):
        in_header = in_header and _is_header_row(row)
        line: dict[int, Typed | str] = {}
        col = 0
        for cell in (c for c in row if c.tag in ("td", "th")):
            while (r, col) in taken:
                col += 1
            rows, cols = _span(cell, "rowspan"), _span(cell, "colspan")
            text = cell_text(cell)
            if in_header:
                line[col] = text
            else:
                raw = cell.get("data-value")
                line[col] = (type_data_value(raw, text, lang) if raw is not None else None) \
                    or type_text(text, lang)
            for dr in range(rows):
                for dc in range(cols):
                    taken.add((r + dr, col + dc))
            if rows > 1 or cols > 1:
                out.spans.append(Span(r, col, rows, cols))
            col += cols
        width = max([*line, *(c for (rr, c) in taken if rr == r)], default=-1) + 1
        if in_header:
            out.header.append([str(line.get(i, "")) for i in range(width)])
        else:
            out.rows.append([_typed(line.get(i)) for i in range(width)])
    return out


def _typed(value: Typed | str | None) -> Typed:
    return value if isinstance(value, Typed) else Typed(value or None)


def page_tables(html: str | bytes, lang: str = "vi") -> list[PageTable]:
    """Every table of a page (not those inside another table, not ``data-export="no"``),
    in the page's order, each named by its caption or the nearest heading above it."""
    if not html:
        return []
    doc = lxml.html.document_fromstring(html)
    heading = ""
    found: list[PageTable] = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in HEADINGS:
            heading = cell_text(element)
        elif element.tag == "table":
            if element.get("data-export") == "no" or _inside_table(element):
                continue
            table = read_table(element, _table_name(element) or heading, lang)
            if table.header or table.rows:
                found.append(table)
    return found


def _table_name(table: lxml.html.HtmlElement) -> str:
    """The table's caption, or the caption of the figure it sits in (a chart's data)."""
    caption = table.find("caption")
    if caption is not None and cell_text(caption):
        return cell_text(caption)
    for ancestor in table.iterancestors("figure"):
        figcaption = ancestor.find("figcaption")
        if figcaption is not None and table not in figcaption.iterdescendants("table"):
            return cell_text(figcaption)
    return ""


def _inside_table(element: lxml.html.HtmlElement) -> bool:
    return any(a.tag == "table" for a in element.iterancestors())


def page_title(html: str | bytes) -> str:
    """The page's ``<title>``, or its first heading, or ""."""
    if not html:
        return ""
    doc = lxml.html.document_fromstring(html)
    title = doc.find(".//title")
    if title is not None and cell_text(title):
        return cell_text(title)
    first = next((e for e in doc.iter(*HEADINGS)), None)
    return cell_text(first) if first is not None else ""
