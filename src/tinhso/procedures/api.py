from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tinhso.procedures.selectors import procedure_search

router = Router(tags=["procedures"])


class ProcedureOut(Schema):
    code: str
    national_code: str
    name: str
    field: str
    level: str
    agency: str
    online_level: str
    time_limit: str
    time_rule: dict[str, Any]
    fee: str
    legal_basis: str


@router.get("/", response=list[ProcedureOut], summary="Search the procedures",
            description="q ignores diacritics and case: 'giay phep xay dung' finds 'Cấp giấy "
                        "phép xây dựng'.")
@paginate(LimitOffsetPagination)
def search(request: HttpRequest, q: str = "", field: str = "", agency: str = "",
           online_level: str = "") -> Any:
    return procedure_search(q=q, field=field, agency=agency, online_level=online_level)
