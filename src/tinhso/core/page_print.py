"""A page's HTML made ready to print as PDF (pure: no Django): scripts, stylesheet links, the
site's header and menus, forms' controls and the charts' empty canvases removed (a chart's
figures are in the table beside it, which stays); closed ``<details>`` opened; a line saying
where and when the page was taken put at the top of the content. The print stylesheet
(``core/static/core/page-pdf.css``) does the rest.
"""

from __future__ import annotations

import lxml.html

REMOVED = ("//script", "//noscript", "//template", "//link", "//style", "//canvas",
           "//header[contains(concat(' ', @class, ' '), ' site-header ')]", "//nav",
           "//button", "//select", "//input", "//textarea", "//iframe", "//object", "//embed",
           "//img[not(starts-with(@src, 'data:'))]")


def print_html(html: str, source_line: str) -> str:
    doc = lxml.html.document_fromstring(html)
    for path in REMOVED:
        for element in doc.xpath(path):
            element.drop_tree()
    for element in doc.xpath("//*[@style]"):
        del element.attrib["style"]
    for details in doc.xpath("//details"):
        details.set("open", "open")
    mains = doc.xpath("//main")
    main = mains[0] if mains else doc.body
    note = lxml.html.Element("p")
    note.set("class", "pdf-source")
    note.text = source_line
    main.insert(0, note)
    return lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")
