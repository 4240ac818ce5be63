from django.urls import path

from tinhso.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
]
