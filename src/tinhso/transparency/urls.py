from django.urls import path

from tinhso.transparency import views

app_name = "transparency"
urlpatterns = [
    path("", views.overview, name="index"),
    path("services/", views.services, name="services"),
    path("rankings/", views.rankings, name="rankings"),
]
