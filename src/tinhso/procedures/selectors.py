from __future__ import annotations

from django.db.models import QuerySet

from tinhso.procedures.models import Procedure, fold


def procedure_search(*, q: str = "", field: str = "", agency: str = "", online_level: str = ""
                     ) -> QuerySet[Procedure]:
    """Search ignoring diacritics and case: 'giay phep xay dung' finds 'Cấp giấy phép xây
    dựng'; every word must appear."""
    qs = Procedure.objects.all()
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    if field:
        qs = qs.filter(field=field)
    if agency:
        qs = qs.filter(agency=agency)
    if online_level:
        qs = qs.filter(online_level=online_level)
    return qs.order_by("field", "name")
