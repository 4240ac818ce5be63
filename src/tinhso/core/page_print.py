"""A page's HTML made ready to print as PDF (pure: no Django): each chart drawn as SVG from the
figures the page embeds for Chart.js (``core.print_charts``), then scripts, stylesheet links,
the site's header and menus, forms' controls and the empty canvases removed (a chart's figures
are also in the table beside it, which stays); bars given their widths; closed ``<details>``
opened; a line saying where and when the page was taken put at the top of the content. The
print stylesheet (``core/static/core/page-pdf.css``) does the rest.
"""

from __future__ import annotations

import json
import math

import lxml.html

from tinhso.core.print_charts import chart_svg

REMOVED = ("//script", "//noscript", "//template", "//link", "//style", "//canvas",
           "//header[contains(concat(' ', @class, ' '), ' site-header ')]", "//nav",
           "//button", "//select", "//input", "//textarea", "//iframe", "//object", "//embed",
           "//img[not(starts-with(@src, 'data:'))]")


def print_html(html: str, source_line: str) -> str:
    doc = lxml.html.document_fromstring(html)
    _draw_charts(doc)
    for path in REMOVED:
        for element in doc.xpath(path):
            element.drop_tree()
    for element in doc.xpath("//*[@style]"):
        del element.attrib["style"]
    _place_bars(doc)
    for details in doc.xpath("//details"):
        details.set("open", "open")
    mains = doc.xpath("//main")
    main = mains[0] if mains else doc.body
    note = lxml.html.Element("p")
    note.set("class", "pdf-source")
    note.text = source_line
    main.insert(0, note)
    return lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")


def _draw_charts(doc: lxml.html.HtmlElement) -> None:
    """Each canvas whose figures the page embeds (json_script) becomes an SVG drawing."""
    for canvas in doc.xpath("//canvas"):
        source = canvas.get("data-source") or canvas.get("data-chart") or ""
        found = doc.xpath("//script[@id=$id]", id=source) if source else []
        if not found:
            continue
        try:
            data = json.loads(found[0].text or "")
        except ValueError:
            continue
        svg = chart_svg(data, canvas.get("aria-label", ""))
        if svg is None:
            continue
        box = lxml.html.Element("div")
        box.set("class", "print-chart-box")
        box.append(lxml.html.fragment_fromstring(svg))
        parent = canvas.getparent()
        holder = parent if "chart-box" in (parent.get("class") or "").split() else canvas
        holder.addprevious(box)


def _place_bars(doc: lxml.html.HtmlElement) -> None:
    """A bar's width and place, which site.js sets in the browser from data-width/data-left."""
    for element in doc.xpath("//*[@data-width or @data-left]"):
        rules = []
        for name, prop in (("data-width", "width"), ("data-left", "left")):
            try:
                value = float(element.get(name, "nan"))
            except ValueError:
                continue
            if math.isfinite(value):
                rules.append(f"{prop}: {max(0.0, min(value, 100.0)):.2f}%")
        if rules:
            element.set("style", "; ".join(rules))
