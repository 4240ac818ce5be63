from django.urls import path

from tinhso.reports import template_views, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("templates/", template_views.templates, name="templates"),
    path("templates/<str:layout>/<str:which>.docx", template_views.template_file,
         name="template_file"),
]
