"""The procedure catalogue and its receiving rules: which procedures there are, how to find
one, which agencies receive its dossiers, and whether it is published in full. Reads only."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from tinhso.core.memo import TimedCache
from tinhso.procedures.models import OnlineLevel, Procedure
from tinhso.procedures.relevance import search_words
from tinhso.procedures.search import ranked
from tinhso.units.selectors import unit_by_code, units_below, units_valid_within

if TYPE_CHECKING:
    from tinhso.units.models import Unit

SAMPLE_SOURCE = "procedures_sample.csv"  # the source of every procedure of the shipped sample

PROCEDURES: TimedCache[Procedure] = TimedCache("procedures by code").clear_on_change(Procedure)


def procedure_by_code(code: str) -> Procedure | None:
    """The procedure with this code, or None; kept a short while per process (core.memo), as
    every submission asks it."""
    return PROCEDURES.get(code, lambda: Procedure.objects.filter(code=code).first())


def procedure_search(*, q: str = "", field: str = "", agency: str = "", online_level: str = ""
                     ) -> QuerySet[Procedure]:
    """Search ignoring diacritics and case: 'giay phep xay dung' finds 'Cấp giấy phép xây
    dựng'; every word must appear; the closest first (``relevance``), by field and name
    without a search. Only procedures in force (not retired, not announced for later)."""
    qs = Procedure.objects.filter(in_force=True)
    if field:
        qs = qs.filter(field=field)
    if agency:
        qs = qs.filter(agency=agency)
    if online_level:
        qs = qs.filter(online_level=online_level)
    words = search_words(q)
    return ranked(qs, words) if words else qs.order_by("field", "name")


def procedure_fields() -> list[str]:
    """The fields (lĩnh vực) of the catalogue, in order, each once."""
    return list(Procedure.objects.order_by("field").values_list("field", flat=True).distinct())


def procedure_choices() -> QuerySet[Procedure]:
    """Every procedure in force by field and name, with what a picker shows."""
    return (Procedure.objects.filter(in_force=True).order_by("field", "name")
            .only("code", "name", "field"))


def receives(procedure: Procedure, unit: Unit, on: datetime | None = None) -> bool:
    """Whether ``unit`` receives dossiers of ``procedure`` (no query: the same rule as
    :func:`receiving_units`, read from the unit itself): the named department for a provincial
    procedure, every commune of the province for a commune-level one, valid on the day."""
    day = timezone.localtime(on or timezone.now()).date()
    home = settings.TINHSO_HOME_UNIT
    inside = f"/{home}/" in unit.path and unit.code != home
    valid = (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_to is None or day <= unit.valid_to)
    if not (inside and valid):
        return False
    if procedure.receiving_unit_code:
        return unit.code == procedure.receiving_unit_code
    return unit.level == ("commune" if procedure.level == "commune" else "department")


def home_unit() -> Unit | None:
    return unit_by_code(settings.TINHSO_HOME_UNIT)


def agencies(on: datetime | None = None) -> QuerySet[Unit]:
    """The units of the province valid on the day (the province itself excluded)."""
    home = home_unit()
    if home is None:
        return units_below(None).none()
    day = timezone.localtime(on or timezone.now()).date()
    return units_valid_within(home, day).exclude(pk=home.pk)


def receiving_units(procedure: Procedure, on: datetime | None = None) -> list[Unit]:
    """The agencies that receive dossiers of ``procedure``, by name."""
    return [unit for unit in agencies(on).order_by("name") if receives(procedure, unit, on)]


def published_in_full(procedure: Procedure) -> bool:
    """This platform's reading of "publicly disclosed in full" (Decision 766, transparency):
    the catalogue names the time limit, the fee, the legal basis and the documents to bring,
    and an online procedure also has its electronic form."""
    return bool(procedure.time_limit.strip() and procedure.fee.strip()
                and procedure.legal_basis.strip() and procedure.required_documents
                and (procedure.online_level == OnlineLevel.NONE or procedure.form_schema))


def sample_procedures() -> int:
    """How many procedures of the catalogue come from the shipped sample (figures computed from
    such a catalogue are illustrative)."""
    return Procedure.objects.filter(source__startswith=SAMPLE_SOURCE).count()
