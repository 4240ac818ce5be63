from django.urls import path

from tinhso.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/export.<str:fmt>", views.export, name="export"),
]
