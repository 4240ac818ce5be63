from django.urls import path

from tinhso.reports import template_views, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("templates/", template_views.templates, name="templates"),
    path("templates/<str:layout>/<str:which>.docx", template_views.template_file,
         name="template_file"),
    path("runs/<int:pk>/", views.run_page, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/download/", views.download, name="download"),
]
