from django.urls import path

from tinhso.portalsync import views

app_name = "portalsync"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("dossiers/<str:code>/", views.dossier, name="dossier"),
]
