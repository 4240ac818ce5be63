"""The applicant's side of the one-stop: submit, look up, follow, answer, download, rate."""

from django.urls import path

from tinhso.procedures import portal_views

app_name = "dossiers"
urlpatterns = [
    path("", portal_views.mine, name="mine"),
    path("lookup/", portal_views.lookup, name="lookup"),
    path("submit/<str:procedure_code>/", portal_views.submit, name="submit"),
    path("submit/<str:procedure_code>/agencies/", portal_views.agencies, name="agencies"),
    path("<str:code>/", portal_views.detail, name="detail"),
    path("<str:code>/receipt.pdf", portal_views.receipt, name="receipt"),
    path("<str:code>/apology/<int:pk>.pdf", portal_views.apology, name="apology"),
    path("<str:code>/files/<int:pk>/", portal_views.file_download, name="file"),
]
