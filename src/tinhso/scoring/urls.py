from django.urls import path

from tinhso.scoring import views

app_name = "scoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/<int:year>/", views.ranking_page, name="ranking"),
    path("<slug:code>/<int:year>/<str:unit_code>/", views.unit_page, name="unit"),
]
