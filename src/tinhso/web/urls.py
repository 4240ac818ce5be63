from django.urls import path, re_path

from tinhso.web import views
from tinhso.web.context_processors import AREAS

AREA_KEYS = "|".join(key for key, _label, _url in AREAS)

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # (no placeholder area left: the route comes back when AREAS names one)
    *([re_path(rf"^(?P<key>{AREA_KEYS})/$", views.area, name="area")] if AREAS else []),
]
