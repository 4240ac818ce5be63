from django.urls import path, re_path

from tinhso.web import views
from tinhso.web.context_processors import AREAS

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    re_path(r"^(?P<key>%s)/$" % "|".join(key for key, _l, _u in AREAS), views.area, name="area"),
]
