"""What a dossier owes online: the online rate of an online dossier, nothing when the fee is
free online, none for a dossier no longer being handled, none once paid."""

from __future__ import annotations

import pytest

from tests.payments.conftest import RESIDENCE
from tinhso.payments.selectors import amount_due
from tinhso.procedures.services import dossier_refuse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def test_an_online_dossier_owes_the_online_rate(submit):
    assert amount_due(submit(RESIDENCE)).amount == 10_000


def test_free_online_owes_nothing_and_says_so(submit):
    due = amount_due(submit("Đăng ký thành lập doanh nghiệp", unit="56.STC"))
    assert due.amount is None and due.reason == ("The procedure is free of charge when "
                                                 "submitted online.")


def test_a_refused_dossier_is_not_paid_online_any_more(submit, desk):
    dossier = submit(RESIDENCE)
    dossier_refuse(actor=desk["commune"], dossier=dossier, reason="Không đủ điều kiện")
    due = amount_due(dossier)
    assert due.amount is None and "refused" in due.reason


def test_a_paid_dossier_owes_nothing(submit):
    due = amount_due(submit(RESIDENCE, paid_online=True))
    assert due.amount is None and due.reason == "The fee was paid online."
