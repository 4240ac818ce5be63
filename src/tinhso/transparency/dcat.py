"""The open-data catalogue as DCAT-AP JSON-LD (``/open-data/catalog.jsonld``): a dcat:Catalog
whose dcat:Dataset entries carry title, description, publisher, issued, modified, update
frequency (the EU frequency vocabulary), licence, keywords and their distributions (CSV,
JSON and the data dictionary, each with its download URL and media type)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import override

from tinhso.transparency.cadence import FREQUENCY_URI
from tinhso.transparency.opendata import (
    CSV_TYPE,
    JSON_TYPE,
    LICENCE_URL,
    MEDIA_TYPE_URI,
    Built,
    publisher,
)

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "tinhso": "https://tinhso.vn/ns/opendata#",
}
LANGUAGE_URI = "http://publications.europa.eu/resource/authority/language/"


def _both(text: Any) -> list[dict[str, str]]:
    """A translatable text in Vietnamese and in English, tagged with its language."""
    out = []
    for language in ("vi", "en"):
        with override(language):
            out.append({"@language": language, "@value": str(text)})
    return out


def _moment(moment: datetime | None) -> dict[str, str] | None:
    if moment is None:
        return None
    return {"@value": timezone.localtime(moment).isoformat(timespec="seconds"),
            "@type": "xsd:dateTime"}


def _agent(home: str) -> dict[str, Any]:
    names = publisher()
    return {"@id": f"{home}#publisher", "@type": "foaf:Agent",
            "foaf:name": [{"@language": "vi", "@value": names["name"]},
                          {"@language": "en", "@value": names["name_en"]}]}


def _distribution(url: str, media: str, title: str, licence: dict[str, str]
                  ) -> dict[str, Any]:
    return {"@id": url, "@type": "dcat:Distribution", "dct:title": title,
            "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": {"@id": MEDIA_TYPE_URI + media},
            "dct:format": media, "dct:license": licence}


def _dataset(b: Built, url: Callable[[str, str], str], agent: dict[str, Any]
             ) -> dict[str, Any]:
    d = b.dataset
    licence = {"@id": LICENCE_URL}
    entry: dict[str, Any] = {
        "@id": url("page", d.slug), "@type": "dcat:Dataset", "dct:identifier": d.slug,
        "dct:title": _both(d.title), "dct:description": _both(d.description),
        "dct:publisher": agent, "dct:license": licence,
        "dct:accrualPeriodicity": {"@id": FREQUENCY_URI[d.frequency]},
        "dct:language": [{"@id": LANGUAGE_URI + "VIE"}],
        "dcat:landingPage": {"@id": url("page", d.slug)},
        "dct:conformsTo": {"@id": url("dictionary", d.slug)},
        "tinhso:nextDue": {"@value": b.due.on.isoformat(), "@type": "xsd:date"},
        "dcat:distribution": [
            _distribution(url("csv", d.slug), CSV_TYPE, f"{d.slug}.csv", licence),
            _distribution(url("json", d.slug), JSON_TYPE, f"{d.slug}.json", licence),
            _distribution(url("dictionary", d.slug), JSON_TYPE,
                          f"{d.slug} dictionary.json", licence),
        ],
    }
    for key, moment in (("dct:issued", b.table.issued), ("dct:modified", b.table.modified)):
        value = _moment(moment)
        if value is not None:
            entry[key] = value
    return entry


def catalog(datasets: list[Built], url: Callable[[str, str], str], home: str,
            title: Any, description: Any) -> dict[str, Any]:
    """The catalogue; ``url(kind, slug)`` gives a dataset's absolute URLs (kind: page, csv,
    json, dictionary; ``catalog`` for the catalogue itself)."""
    agent = _agent(home)
    modified = [b.table.modified for b in datasets if b.table.modified]
    issued = [b.table.issued for b in datasets if b.table.issued]
    document: dict[str, Any] = {
        "@context": CONTEXT, "@id": url("catalog", ""), "@type": "dcat:Catalog",
        "dct:title": _both(title), "dct:description": _both(description),
        "dct:publisher": agent, "dct:license": {"@id": LICENCE_URL},
        "dct:language": [{"@id": LANGUAGE_URI + "VIE"}, {"@id": LANGUAGE_URI + "ENG"}],
        "foaf:homepage": {"@id": url("index", "")},
        "dcat:dataset": [_dataset(b, url, agent) for b in datasets],
    }
    if issued:
        document["dct:issued"] = _moment(min(issued))
    if modified:
        document["dct:modified"] = _moment(max(modified))
    return document
