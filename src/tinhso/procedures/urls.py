from django.urls import path

from tinhso.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/trace/", views.trace_page, name="trace"),
    path("<str:code>/", views.detail, name="detail"),
]
