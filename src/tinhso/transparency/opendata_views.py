"""The open data (Decree 47/2020/NĐ-CP): the catalogue page, each dataset's page with its data
dictionary, its CSV and JSON, the dictionary as JSON, and the DCAT-AP catalogue."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.transparency import dcat, published
from tinhso.transparency.datasets import Dataset
from tinhso.transparency.opendata import (
    LICENCE_CODE,
    LICENCE_URL,
    all_built,
    built,
    csv_bytes,
    dataset_or_none,
    dictionary,
    dumps,
    json_document,
    licence_title,
    publisher,
)

CATALOG_TITLE = gettext_lazy("Open data of the digital transformation programme")
CATALOG_DESCRIPTION = gettext_lazy(
    "The province's published figures as open data: indicator values, dossier statistics, "
    "Decision 766 scores, DTI ranks and programme progress, each with its data dictionary.")
FILE_CACHE = "public, max-age=300"


def _dataset(slug: str) -> Dataset:
    dataset = dataset_or_none(slug)
    if dataset is None:
        raise Http404(_("There is no dataset '%(slug)s'.") % {"slug": slug})
    return dataset


def _urls(request: HttpRequest, slug: str) -> dict[str, str]:
    def absolute(name: str, *args: str) -> str:
        return request.build_absolute_uri(reverse(f"opendata:{name}", args=args))
    urls = {"catalog": absolute("catalog"), "index": absolute("index")}
    if slug:
        urls.update({"page": absolute("dataset", slug), "csv": absolute("csv", slug),
                     "json": absolute("json", slug), "dictionary": absolute("dictionary", slug)})
    return urls


def index(request: HttpRequest) -> HttpResponse:
    """``/open-data/``: every dataset with its files, last update, next due and licence."""
    return render(request, "transparency/opendata_index.html", {
        "datasets": all_built(), "licence_name": licence_title(),
        "licence_code": LICENCE_CODE, "licence_url": LICENCE_URL,
        "publisher": publisher(), "minimum": published.min_count(),
        "title": CATALOG_TITLE, "description": CATALOG_DESCRIPTION})


def dataset_page(request: HttpRequest, slug: str) -> HttpResponse:
    """``/open-data/<slug>/``: the dataset's description, dictionary, files and dates."""
    b = built(_dataset(slug))
    return render(request, "transparency/opendata_dataset.html", {
        "b": b, "dictionary": dictionary(b.dataset), "licence_name": licence_title(),
        "licence_code": LICENCE_CODE,
        "licence_url": LICENCE_URL, "publisher": publisher(),
        "minimum": published.min_count(), "rows": len(b.table.rows)})


def _file(content: bytes, content_type: str, filename: str = "") -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = FILE_CACHE
    response["Access-Control-Allow-Origin"] = "*"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def dataset_csv(request: HttpRequest, slug: str) -> HttpResponse:
    b = built(_dataset(slug))
    return _file(csv_bytes(b), "text/csv; charset=utf-8", f"{slug}.csv")


def dataset_json(request: HttpRequest, slug: str) -> HttpResponse:
    b = built(_dataset(slug))
    return _file(dumps(json_document(b, _urls(request, slug))),
                 "application/json; charset=utf-8")


def dataset_dictionary(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    return _file(dumps({"dataset": slug, "title": str(dataset.title),
                        "fields": dictionary(dataset)}), "application/json; charset=utf-8")


def catalog(request: HttpRequest) -> HttpResponse:
    """``/open-data/catalog.jsonld``: DCAT-AP."""
    document = dcat.catalog(all_built(), lambda kind, slug: _urls(request, slug)[kind],
                            request.build_absolute_uri(reverse("transparency:index")),
                            CATALOG_TITLE, CATALOG_DESCRIPTION)
    return _file(dumps(document), "application/ld+json; charset=utf-8")
