from django.urls import path

from tinhso.transparency import opendata_views as views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("catalog.jsonld", views.catalog, name="catalog"),
    path("<slug:slug>.csv", views.dataset_csv, name="csv"),
    path("<slug:slug>.json", views.dataset_json, name="json"),
    path("<slug:slug>/", views.dataset_page, name="dataset"),
    path("<slug:slug>/dictionary.json", views.dataset_dictionary, name="dictionary"),
]
