"""``{% exchange_panel as panel %}``: the signing and exchange part of a document's page."""

from __future__ import annotations

from typing import Any

from django import template

from tinhso.documents.exchange_selectors import ExchangePanel, document_panel, follows_exchange

register = template.Library()


@register.simple_tag(takes_context=True)
def exchange_panel(context: Any) -> ExchangePanel:
    return document_panel(context["request"].user, context["document"])


@register.simple_tag(takes_context=True)
def may_follow_exchange(context: Any) -> bool:
    """Whether the exchange page is for the user of the page (the link in the nav)."""
    return follows_exchange(context["request"].user)
