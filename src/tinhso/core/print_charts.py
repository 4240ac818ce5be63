"""The pages' charts drawn on the server as SVG, for the printed page (WeasyPrint runs no
JavaScript, so Chart.js draws nothing there). Pure: no Django.

A chart's figures come from the JSON the page embeds for Chart.js, in either of the two forms
the pages use: ``{"labels": [...], "series": [{"label", "values"}]}`` or ``{"labels": [...],
"datasets": [{"label", "data"}], "type": "bar"|"line", "reverse": bool}``. Bars, or lines for a
line chart and for a rank (``reverse``: 1 at the top). Anything else: no drawing (the table
beside the chart still prints).
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 10, 28, 46
COLOURS = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#adb5bd", "#d63384")
MAX_LABELS = 60


def _series(data: dict[str, Any]) -> list[tuple[str, list[float | None]]]:
    raw = data.get("series") or data.get("datasets") or []
    out = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict):
            continue
        values = entry.get("values", entry.get("data"))
        if not isinstance(values, list):
            continue
        numbers = [float(v) if isinstance(v, int | float) and math.isfinite(v) else None
                   for v in values]
        out.append((str(entry.get("label", "")), numbers))
    return out


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def _label(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f")


def chart_svg(data: Any, title: str = "") -> str | None:
    """An SVG drawing of the chart's figures, or None when they are not in a known form."""
    if not isinstance(data, dict) or not isinstance(data.get("labels"), list):
        return None
    labels = [str(label) for label in data["labels"]][:MAX_LABELS]
    series = [(name, values[:len(labels)]) for name, values in _series(data)]
    known = [v for _name, values in series for v in values if v is not None]
    if not labels or not series or not known:
        return None
    reverse = bool(data.get("reverse"))
    lines = reverse or data.get("type") == "line"
    low = min(0.0, min(known)) if not reverse else 1.0
    top = _nice_top(max(known))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / len(labels)

    def y(value: float) -> float:
        share = (value - low) / ((top - low) or 1)
        return TOP + (share if reverse else 1 - share) * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'class="print-chart" role="img" aria-label="{escape(title)}">']
    for i in range(5):
        tick = low + (top - low) * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="#dee2e6" stroke-width="0.6"/>'
                     f'<text x="{LEFT - 4}" y="{y(tick) + 3:.1f}" font-size="9" '
                     f'text-anchor="end" fill="#555">{escape(_label(tick))}</text>')
    every = max(1, math.ceil(len(labels) / 16))
    for i, label in enumerate(labels):
        if i % every == 0:
            x = LEFT + band * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 12}" font-size="8.5" '
                         f'text-anchor="middle" fill="#333">{escape(label[:14])}</text>')
    for s, (_name, values) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        if lines:
            points = [f"{LEFT + band * (i + 0.5):.1f},{y(v):.1f}"
                      for i, v in enumerate(values) if v is not None]
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.8" '
                         f'points="{" ".join(points)}"/>')
            parts.extend(f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="2.5" '
                         f'fill="{colour}"/>' for p in points)
            continue
        width = band * 0.8 / len(series)
        for i, v in enumerate(values):
            if v is None:
                continue
            x = LEFT + band * (i + 0.1) + width * s
            y0, y1 = sorted((y(v), y(max(low, 0.0))))
            parts.append(f'<rect x="{x:.1f}" y="{y0:.1f}" width="{width:.1f}" '
                         f'height="{max(y1 - y0, 0.5):.1f}" fill="{colour}"/>')
    for s, (name, _values) in enumerate(series):
        x = LEFT + s * 150
        parts.append(f'<rect x="{x}" y="8" width="10" height="10" '
                     f'fill="{COLOURS[s % len(COLOURS)]}"/><text x="{x + 14}" y="17" '
                     f'font-size="9.5" fill="#222">{escape(name[:28])}</text>')
    parts.append("</svg>")
    return "".join(parts)
