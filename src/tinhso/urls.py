from django.urls import include, path

from tinhso.api.api import api
from tinhso.core.views import healthz
from tinhso.ops.views import healthz_worker

handler400 = "tinhso.core.views.bad_request"
handler403 = "tinhso.core.views.permission_denied"
handler404 = "tinhso.core.views.page_not_found"
handler500 = "tinhso.core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/worker", healthz_worker, name="healthz-worker"),
    path("api/v1/", api.urls),
    path("accounts/", include("tinhso.accounts.urls")),
    path("units/", include("tinhso.units.urls")),
    path("audit/", include("tinhso.audit.urls")),
    path("staff/", include("tinhso.accounts.staff_urls")),
    path("indicators/", include("tinhso.indicators.urls")),
    path("rankings/", include("tinhso.scoring.urls")),
    path("services/", include("tinhso.procedures.urls")),
    path("dossiers/", include("tinhso.procedures.portal_urls")),
    path("desk/", include("tinhso.procedures.desk_urls")),
    path("portal-sync/", include("tinhso.portalsync.urls")),
    path("catalogue/", include("tinhso.procedures.catalogue_urls")),
    path("payments/", include("tinhso.payments.urls")),
    path("programme/", include("tinhso.programme.urls")),
    path("documents/", include("tinhso.documents.urls")),
    path("calendar/", include("tinhso.calendars.urls")),
    path("me/", include("tinhso.dashboard.urls")),
    path("reports/", include("tinhso.reports.urls")),
    path("transparency/", include("tinhso.transparency.urls")),
    path("open-data/", include("tinhso.transparency.opendata_urls")),
    path("", include("tinhso.web.urls")),
]
