"""A page made ready to print (pure): the charts drawn as SVG from the figures the page embeds,
the site's menus and scripts gone, the tables behind the charts opened, bars sized."""

from __future__ import annotations

import json

from tinhso.core.page_print import print_html
from tinhso.core.print_charts import chart_svg

MONTHS = {"labels": ["01/2026", "02/2026"],
          "series": [{"label": "Đã tiếp nhận", "values": [51, 29]},
                     {"label": "Trực tuyến", "values": [30, None]}]}
PAGE = f"""<!DOCTYPE html><html lang="vi"><head><title>T</title>
<link rel="stylesheet" href="/static/web/site.css"><script src="/static/web/site.js"></script>
</head><body><header class="site-header"><nav><a href="/">Trang chủ</a></nav></header>
<main><h1>Thống kê</h1>
<figure><div class="chart-box"><canvas data-chart="months" data-source="m-data" aria-label="Hồ sơ">
</canvas></div><script id="m-data" type="application/json">{json.dumps(MONTHS)}</script>
<figcaption><details><summary>Số liệu</summary><table><tr><th>Tháng</th></tr></table></details>
</figcaption></figure>
<p><span class="bar" data-width="42.5"></span><span class="bar" data-width="x"></span></p>
<form><button>Lọc</button></form></main></body></html>"""


def test_a_chart_is_drawn_as_svg_and_the_menus_and_scripts_are_gone() -> None:
    html = print_html(PAGE, "Trích từ /x")
    assert html.count("<svg") == 1
    assert "Đã tiếp nhận" in html and "Trực tuyến" in html  # the legend
    assert "<script" not in html and "<link" not in html and "<canvas" not in html
    assert "site-header" not in html and "Trang chủ" not in html and "<button" not in html
    assert "<details open" in html
    assert 'style="width: 42.50%"' in html
    assert html.index("Trích từ /x") < html.index("Thống kê")


def test_bars_for_counts_lines_for_ranks() -> None:
    bars = chart_svg(MONTHS)
    assert bars is not None and bars.count("<rect") == 3 + 2  # three bars, two legend keys
    ranks = chart_svg({"labels": ["2022", "2024"], "reverse": True,
                       "datasets": [{"label": "Thứ hạng", "data": [41, 16]}]})
    assert ranks is not None and "<polyline" in ranks


def test_figures_in_an_unknown_form_are_not_drawn() -> None:
    assert chart_svg({"labels": ["a"], "values": [1]}) is None
    assert chart_svg({"labels": [], "series": []}) is None
    assert chart_svg({"labels": ["a"], "series": [{"label": "x", "values": [None]}]}) is None
    assert chart_svg([1, 2]) is None
    page = PAGE.replace(json.dumps(MONTHS), "not json")
    assert "<svg" not in print_html(page, "")
