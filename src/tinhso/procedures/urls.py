from django.urls import path

from tinhso.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<str:code>/", views.detail, name="detail"),
]
