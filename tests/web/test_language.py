"""Every page speaks one language: no English on a Vietnamese page, no Vietnamese on an English
one (issue 12, "Vietnamese throughout").

The walk: every named page without arguments, and the main pages with arguments (a procedure, a
unit, an indicator, a value, a ranking and a unit's gap, the programme's documents and tasks,
the statistics and their trace, a dossier for its applicant and at the desk, the look-up, the
staff pages, the calendar), after ``tinhso demo``; each is read by the first of the visitor and
the demo accounts who may see it, in Vietnamese (the default) and in English (the language
cookie). Its visible text is the text nodes (not script or style) and the attributes people
read (title, placeholder, aria-label, alt, a button's value); an element marked with ``lang``
is in that language and is not checked against the page's.

The detectors, and why:

- A Vietnamese page must not contain **English words**. English and Vietnamese share the Latin
  alphabet, so letters alone cannot tell them apart; common English function words and the UI's
  own words ("the", "of", "and", "days", "working", "not", "published", "Submit", "Search"...)
  matched as whole words, case-insensitively, can: none of them is a Vietnamese word. Words
  that are also Vietnamese ("an", "can", "do", "in", "may", "thu", "to", "tin", "email") are
  left out of the list. Codes are not words: anything with "_", "@", "://", a dotted name
  (file.csv) or a slash between letters (16-NQ/TU) is removed first, and a short list of proper
  names and acronyms that stay as they are in Vietnamese (PDF, Excel, API...) is allowed.
- An English page must not contain **Vietnamese**: letters outside Latin-1 that only Vietnamese
  uses (ă, â with tones, đ, ơ, ư, and the tone-marked vowels of U+1EA0-U+1EF9). Data that has no
  English twin is shown in its original language (procedure names, unit names without
  ``name_en``, people, document titles and numbers), so a Vietnamese phrase is allowed when it
  is part of a text stored in the database; a stored Vietnamese text whose English twin
  (``<field>_en``) is filled is not allowed, since the page should have shown the twin.

Both detectors are tested on their own (a page that must fail, one that must pass).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tinhso

pytestmark = pytest.mark.django_db

_ENGLISH = """
the of and or not no yes is are was were be been has have had this that these those with
without from for by at on into than then there here what which who when where how why all
any none more less each every other your you our we they it its their must will
should would please only also
day days working week weeks month months year years today yesterday tomorrow date time
monday tuesday wednesday thursday friday saturday sunday mon tue wed fri sat sun
january february march april june july august september october november december
submit search filter save cancel delete edit new add remove back next previous page pages
sign log login logout password username name code show hide open close closed download
upload export import file files print send
published unpublished illustrative demo source sources unit units value values period
periods status rank ranks ranking score scores target targets indicator indicators task tasks
report reports document documents dossier dossiers received approved returned refused
withdrawn overdue late due soon progress done draft submitted review comment comments
fee fees free online council provincial agency department commune art per set same
total average rate share number count details history result results form
"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())

# Proper names and acronyms written as they are in Vietnamese text.
ALLOWED_WORDS = frozenset({"pdf", "excel", "word", "csv", "xlsx", "api", "htmx", "dti", "par",
                           "sipas", "ict", "openapi", "zalo", "sms", "id"})

# The language's own name on the language switch (marked with lang) needs no entry; these are
# the only Vietnamese words an English page may carry besides data.
ALLOWED_VIETNAMESE: frozenset[str] = frozenset()

_CODE = re.compile(r"\S*(?:_|@|://|[A-Za-z0-9]\.[A-Za-z]|[A-Za-z0-9]/[A-Za-z0-9])\S*")
# The scoring frameworks' codes ("khanhhoa-units"), shown as they are (the audit log's details).
FRAMEWORK_CODES = re.compile("|".join(sorted(
    re.escape(p.stem) for p in (Path(tinhso.__file__).parent / "scoring" / "frameworks")
    .glob("*.json"))))
_WORD = re.compile(r"[^\W\d_]+")
_VIETNAMESE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169"
                              "\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_SEGMENT = re.compile(r"[^·,;:.!?()\[\]|/\-–—\"'«»•→…\n\t0-9%]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
SKIPPED = {"script", "style", "template"}
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class VisibleText(HTMLParser):
    """The texts people read on a page, each with the language of its element."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = [("", language)]
        self.texts: list[tuple[str, str]] = []

    @property
    def language(self) -> str:
        return self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        language = (values.get("lang") or self.language).split("-")[0]
        if tag not in VOID:  # translate="no": a secret, a code (random letters, no language)
            self.stack.append((tag, "skip" if tag in SKIPPED or self.language == "skip"
                               or values.get("translate") == "no" else language))
        if self.language == "skip":
            return
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.texts.append((str(values[name]), language))
        if tag == "input" and values.get("type") in ("submit", "button", "reset") \
                and values.get("value"):
            self.texts.append((str(values["value"]), language))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and self.language != "skip":
            self.texts.append((" ".join(data.split()), self.language))


def visible_texts(html: str, language: str) -> list[tuple[str, str]]:
    parser = VisibleText(language)
    parser.feed(html)
    parser.close()
    return parser.texts


def english_words(text: str) -> list[str]:
    """The English words of a text meant to be Vietnamese."""
    words = _WORD.findall(_CODE.sub(" ", FRAMEWORK_CODES.sub(" ", nfc(text))))
    return [w for w in words if w.lower() in ENGLISH_WORDS and w.lower() not in ALLOWED_WORDS]


def vietnamese_phrases(text: str, data: str = "") -> list[str]:
    """The Vietnamese phrases of a text meant to be English that are not part of a stored text
    (``data``: every stored text, lowercased, one per line)."""
    found = []
    for segment in _SEGMENT.findall(nfc(text)):
        words = segment.split()
        marked = [i for i, w in enumerate(words) if _VIETNAMESE_ONLY.search(w)]
        if not marked:
            continue
        first, last = marked[0], marked[-1]  # and the accented words around them
        while first > 0 and not words[first - 1].isascii():
            first -= 1
        while last < len(words) - 1 and not words[last + 1].isascii():
            last += 1
        phrase = " ".join(words[first:last + 1])
        if phrase in ALLOWED_VIETNAMESE or (data and phrase.lower() in data):
            continue
        found.append(phrase)
    return found


# --- the detectors on their own -------------------------------------------------------------


def test_the_english_detector_finds_english_in_vietnamese_and_spares_codes():
    assert english_words("Thời hạn: 15 days (set by the provincial council)") == [
        "days", "set", "by", "the", "provincial", "council"]
    assert english_words("Luật Xây dựng art. 102") == ["art"]
    assert english_words("Tải mẫu Excel, PDF của 16-NQ/TU; mã online_services_rate, "
                         "tệp procedures_sample.csv, thư dieuphoi@example.vn") == []
    assert english_words("Đăng ký khai sinh · Trong ngày làm việc · Nguyễn Văn An") == []


def test_the_vietnamese_detector_finds_vietnamese_in_english_unless_it_is_data():
    assert vietnamese_phrases("Time limit: 15 ngày làm việc") == ["ngày làm việc"]
    assert vietnamese_phrases("Fee: Do Hội đồng nhân dân tỉnh quy định") == [
        "Hội đồng nhân dân tỉnh quy định"]
    data = "cấp giấy phép xây dựng nhà ở riêng lẻ\nsở tài chính"
    assert vietnamese_phrases("Cấp giấy phép xây dựng nhà ở riêng lẻ · Sở Tài chính", data) == []
    assert vietnamese_phrases("Agency: Department of Finance (Sở Tài chính) – Khánh Hòa") == [
        "Sở Tài chính"]  # Khánh Hòa uses Latin-1 letters only: not told apart from French
    assert vietnamese_phrases("Same working day (received after 15:00: next working day)") == []
    assert vietnamese_phrases("What needs you today, Nguyễn Văn An.", "nguyễn văn an") == []


def test_text_marked_not_to_translate_is_not_read():
    html = '<html lang="vi"><body><p>Khóa: <code translate="no">ONBE THE</code></p></body></html>'
    assert visible_texts(html, "vi") == [("Khóa:", "vi")]


def test_text_is_read_from_nodes_and_attributes_by_the_language_of_its_element():
    html = ('<html lang="vi"><head><title>Thủ tục</title><style>.the {}</style></head><body>'
            '<script>var the = 1;</script><p title="Tìm kiếm">Trang <b>chủ</b></p>'
            '<button lang="en">EN</button><input type="submit" value="Gửi">'
            '<img alt="Biểu đồ"><br><span aria-label="Đóng">×</span></body></html>')
    assert visible_texts(html, "vi") == [
        ("Thủ tục", "vi"), ("Tìm kiếm", "vi"), ("Trang", "vi"), ("chủ", "vi"), ("EN", "en"),
        ("Gửi", "vi"), ("Biểu đồ", "vi"), ("Đóng", "vi"), ("×", "vi")]


# --- the walk -------------------------------------------------------------------------------

# Named pages without arguments that are not pages to read, each with its reason.
NOT_PAGES = {
    "healthz": "the health check answers JSON for the load balancer",
    "healthz-worker": "the task worker's health check answers JSON for the monitoring",
    "accounts:logout": "POST only",
    "accounts:two_factor_recovery_codes": "POST only (new recovery codes)",
    "accounts:two_factor_verify": "only for whoever has an authenticator and has not given its "
                                  "code (tests/accounts/test_two_factor.py)",
    "web:set_language": "POST only (the language switch)",
    "web:favicon": "an image",
    "programme:appendix_template": "an Excel file",
    "reports:template_file": "a Word template (.docx)",
    "reports:download": "a report's file (.docx, .xlsx, .pdf)",
    "reports:run_progress": "the part of a report's page that htmx polls (tests/reports)",
    "payments:callback": "the payment gateway's signed callback: POST only, answers JSON",
    "opendata:catalog": "the open data's DCAT catalogue: JSON-LD for machines",
    "opendata:csv": "an open dataset as a CSV file",
    "opendata:json": "an open dataset as JSON",
    "opendata:dictionary": "an open dataset's data dictionary as JSON (both languages in it)",
    "documents:file": "an official document's file",
}
# Who reads the pages a visitor may not, in this order: the first who gets the page reads it.
READERS = ("congdan", "motcua.nhatrang", "baocao.stc", "pheduyet.stc", "dieuphoi", "lanhdao",
           "admin")


def named_routes(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            yield from named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def pages_without_arguments() -> dict[str, str]:
    pages = {}
    for name, pattern in named_routes(get_resolver().url_patterns):
        if name in NOT_PAGES or name.startswith("api:") or pattern.pattern.regex.groups:
            continue  # the API answers JSON (its texts are English by design, see its docs)
        pages[name] = reverse(name)
    return pages


@dataclass
class Page:
    url: str
    reader: str = ""  # a demo account; "" tries the visitor, then READERS
    post: dict[str, str] = field(default_factory=dict)


def pages_with_arguments() -> dict[str, Page]:
    """The main pages that need an object, from the demo's data."""
    # local: the models of several apps, read only to name the demo's objects
    from tinhso.accounts.models import User
    from tinhso.indicators.models import IndicatorValue
    from tinhso.procedures.models import Dossier, Procedure
    from tinhso.programme.models import Document, Task
    from tinhso.reports.models import ReportRun
    from tinhso.scoring.models import PublishedResult

    procedure = Procedure.objects.get(national_code="2.000815")  # the cut-off at 15:00
    ranking = PublishedResult.objects.filter(framework="dti-province-922").exclude(
        values={}).latest("year")  # the latest year whose values were published (2022)
    fw, year = ranking.framework, ranking.year
    value = IndicatorValue.objects.order_by("pk").first()
    desk = Dossier.objects.filter(unit__code="22366").order_by("pk").first()
    mine = Dossier.objects.exclude(pk=getattr(desk, "pk", None)).order_by("pk").first()
    assert desk and mine and value, "the demo has dossiers and values"
    mine.applicant = User.objects.get(username="congdan")
    mine.save(update_fields=["applicant"])
    pages = {
        "services:detail": Page(reverse("procedures:detail", args=[procedure.code])),
        "catalogue:detail": Page(reverse("catalogue:detail", args=[procedure.code]), "dieuphoi"),
        "dossiers:submit": Page(reverse("dossiers:submit", args=[procedure.code]), "congdan"),
        "dossiers:detail": Page(reverse("dossiers:detail", args=[mine.code]), "congdan"),
        "dossiers:lookup (found)": Page(reverse("dossiers:lookup"), post={
            "code": mine.code, "phone": mine.applicant_phone}),
        "desk:detail": Page(reverse("desk:detail", args=[desk.code]), "motcua.nhatrang"),
        "units:detail": Page(reverse("units:detail", args=["56"])),
        "units:detail (commune)": Page(reverse("units:detail", args=["22366"])),
        "units:edit": Page(reverse("units:edit", args=["56"]), "admin"),
        "staff:detail": Page(reverse("staff:detail", args=["dieuphoi"]), "admin"),
        "indicators:detail": Page(reverse("indicators:detail", args=["online_services_rate"])),
        "indicators:value": Page(reverse("indicators:value", args=[value.pk]), "dieuphoi"),
        "scoring:ranking": Page(reverse("scoring:ranking", args=[fw, year])),
        "scoring:ranking (2024, among 63)": Page(reverse(
            "scoring:ranking", args=["dti-province-405", 2024]) + "?field=63"),
        "scoring:framework": Page(reverse("scoring:framework", args=["dti-province-405"])),
        "scoring:points": Page(reverse("scoring:points", args=["dti-province-405"]), "admin"),
        "scoring:unit": Page(reverse("scoring:unit", args=[fw, year, "56"])),
        "scoring:explain": Page(reverse("scoring:explain", args=[fw, year, "56"])),
        "procedures:trace": Page(reverse("procedures:trace") + "?indicator=dossiers_received"
                                 f"&unit=56&year={date.today().year}", "dieuphoi"),
        "scoring:units_ranking": Page(reverse("scoring:units_ranking", args=[
            "khanhhoa-units", date.today().year, "56"])),
        "scoring:answer": Page(reverse("scoring:answer", args=[fw, year]), "baocao.stc"),
        "calendars:year (administrator)": Page(reverse("calendars:year"), "admin"),
        "reports:run": Page(reverse("reports:run", args=[ReportRun.objects.create(
            created_by=User.objects.get(username="baocao.stc"), created_by_label="baocao.stc",
            kind="services", period="2026", unit=desk.unit, fmt="docx", status="failed",
            message="—").pk]), "baocao.stc"),
        "opendata:dataset": Page(reverse("opendata:dataset", args=["indicator-values"])),
        "opendata:dataset (DTI)": Page(reverse("opendata:dataset", args=["dti-ranks"])),
    }
    # The landing page differs by role: each demo account's own.
    pages.update({f"dashboard:home ({who})": Page(reverse("dashboard:home"), who)
                  for who in READERS})
    document = Document.objects.order_by("pk").first()
    task = Task.objects.order_by("pk").first()
    if document:
        pages["programme:document"] = Page(reverse("programme:document", args=[document.pk]),
                                           "dieuphoi")
    if task:
        pages["programme:task"] = Page(reverse("programme:task", args=[task.pk]), "dieuphoi")
    return pages


def stored_texts() -> str:
    """Every text stored in the project's tables and shipped JSON files (the frameworks, the
    catalogue's forms), lowercased, one per line; a text whose English twin (``<key>_en``) is
    filled is left out (an English page should show the twin). People's names are also kept
    whole, as pages show them (first and last name together)."""
    texts: list[str] = []
    for model in apps.get_models():
        if not model.__module__.startswith("tinhso."):
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField)]
        for row in model.objects.values(*fields).iterator():
            texts.extend(strings_in(row))
            if "first_name" in row and "last_name" in row:
                texts.append(f"{row['first_name']} {row['last_name']}")
    source = Path(tinhso.__file__).parent
    for path in [*source.glob("*/frameworks/*.json"), *source.glob("*/data/*.json")]:
        texts.extend(strings_in(json.loads(path.read_text(encoding="utf-8"))))
    return "\n".join(nfc(t).lower() for t in texts)


def strings_in(value: Any) -> Iterator[str]:
    """The strings of a value, leaving out those of a mapping whose key has a filled twin."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if not value.get(f"{key}_en"):
                yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


@pytest.fixture
def demo(db: None) -> None:
    call_command("demo", "--quiet-accounts", verbosity=0)


def read(page: Page, language: str) -> tuple[str, str] | None:
    """(who read it, the page's HTML) for the first reader who gets it, or None."""
    # local: the demo's accounts, to sign in as each
    from tinhso.accounts.models import User

    readers = (page.reader,) if page.reader else ("", *READERS)
    for reader in readers:
        client = Client()
        client.cookies["django_language"] = language
        if reader:
            client.force_login(User.objects.get(username=reader))
        response = client.post(page.url, page.post) if page.post else client.get(page.url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            return reader or "visitor", response.content.decode()
    return None


def offences(language: str) -> tuple[list[str], list[str]]:
    """(what is in the other language, by page and reader; pages nobody could read)."""
    data = stored_texts() if language == "en" else ""
    pages = {name: Page(url) for name, url in pages_without_arguments().items()}
    pages.update(pages_with_arguments())
    found, unread = [], []
    for name, page in sorted(pages.items()):
        got = read(page, language)
        if got is None:
            unread.append(f"{name} {page.url}")
            continue
        reader, html = got
        seen: set[str] = set()
        for text, text_language in visible_texts(html, language):
            if text_language != language:
                continue
            bad = english_words(text) if language == "vi" else vietnamese_phrases(text, data)
            for phrase in bad:
                if (phrase, text) not in seen:
                    seen.add((phrase, text))
                    found.append(f"{page.url} [{language}, {reader}]: {phrase!r} in {text!r}")
    return found, unread


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_speaks_one_language(demo: None, language: str) -> None:
    found, unread = offences(language)
    assert not unread, "pages nobody could read (add a reader or a reason):\n" + "\n".join(
        unread)
    other = "English" if language == "vi" else "Vietnamese"
    assert not found, f"{len(found)} {other} text(s) on {language} pages:\n" + "\n".join(found)
