from django.urls import path

from tinhso.calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.year_page, name="year"),
]
