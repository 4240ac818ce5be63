"""The report types: code -> its label, its builder (live data -> ``document.Report``) and the
parameters it takes. Each builder reads only through the selectors the pages use and raises
``common.NoData`` (a clear message) when the period or unit has none of its figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tinhso.reports.document import Report
from tinhso.reports.kinds import dti, indicators, programme, services
from tinhso.reports.kinds.common import Asked


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # lazy text
    build: Callable[[Asked], Report]
    check: Callable[[Asked], None]  # NoData when the period or unit has none of its figures
    file_name: str = ""  # the file's name, in Vietnamese (without period and extension)
    parameters: tuple[str, ...] = ("period", "unit")
    layouts: tuple[str, ...] = ("state",)  # the Party's layout: a report to the Party committee


KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("programme", _("Programme progress (Resolution 16-NQ/TU)"), programme.build,
         programme.check, "Báo cáo tiến độ Chương trình chuyển đổi số",
         layouts=("state", "party")),
    Kind("indicators", _("Indicators against targets"), indicators.build, indicators.check,
         "Báo cáo chỉ tiêu chuyển đổi số so với mục tiêu"),
    Kind("dti", _("DTI rank, gap to the target and the plan that closes it"), dti.build,
         dti.check, "Báo cáo Chỉ số chuyển đổi số DTI"),
    Kind("services", _("Public services and dossiers, Decision 766 scores"), services.build,
         services.check, "Báo cáo giải quyết thủ tục hành chính"),
)}
