"""The applicant's side of the one-stop: submit, look up, follow, answer, download, rate."""

from django.urls import path  # noqa: F401

app_name = "dossiers"
urlpatterns: list = []
