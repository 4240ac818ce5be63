"""Online payment: start from the dossier's page, come back from the gateway, the gateway's
callback, and the illustrative fake gateway."""

from django.urls import path

from tinhso.payments import views

app_name = "payments"
urlpatterns = [
    path("callback/", views.callback, name="callback"),
    path("dossiers/<str:code>/start/", views.start, name="start"),
    path("dossiers/<str:code>/return/", views.returned, name="returned"),
    path("fake-gateway/<str:reference>/", views.fake_gateway, name="fake"),
]
