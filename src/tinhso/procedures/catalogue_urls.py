"""The catalogue's pages for the staff who keep it (``/catalogue/``)."""

from django.urls import path

from tinhso.procedures import catalogue_views

app_name = "catalogue"
urlpatterns = [
    path("", catalogue_views.manage_list, name="list"),
    path("new/", catalogue_views.manage_new, name="new"),
    path("import/", catalogue_views.import_upload, name="import"),
    path("import/<int:pk>/", catalogue_views.import_job, name="import_job"),
    path("<str:code>/", catalogue_views.manage_detail, name="detail"),
    path("<str:code>/edit/", catalogue_views.manage_edit, name="edit"),
    path("<str:code>/retire/", catalogue_views.manage_retire, name="retire"),
]
