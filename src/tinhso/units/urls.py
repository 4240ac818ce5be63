from django.urls import path

from tinhso.units import views

app_name = "units"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("merger-2025/", views.merger, name="merger"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/edit/", views.edit, name="edit"),
]
