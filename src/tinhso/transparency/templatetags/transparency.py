"""``{% published_cell cell "count" %}``: a published figure, "<5" when suppressed (with why),
"not published" when there is none (never 0)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tinhso.core.numbers import format_number, format_percent
from tinhso.core.templatetags.vn import _lang
from tinhso.transparency.disclosure import Cell
from tinhso.transparency.published import min_count

register = template.Library()


@register.simple_tag
def published_cell(cell: Cell, kind: str = "count") -> SafeString:
    if cell.suppressed:
        n = min_count()
        return format_html(
            '<abbr class="suppressed" data-testid="suppressed" title="{}">&lt;{}</abbr>',
            _("Fewer than %(n)d: not published, so that no person can be recognised; rates "
              "computed from it are not shown either.") % {"n": n}, n)
    if cell.value is None:
        return format_html('<small class="not-published">{}</small>', _("not published"))
    if kind == "percent":
        return format_html("{}", format_percent(cell.value, 2, _lang()))
    if kind == "score":
        return format_html("{}", format_number(cell.value, 2, _lang()))
    return format_html("{}", format_number(cell.value, 0, _lang()))
