"""The officers' workspace: receive, queues, actions."""

from django.urls import path

from tinhso.procedures import desk_views

app_name = "desk"
urlpatterns = [
    path("", desk_views.queue, name="queue"),
    path("receive/", desk_views.receive, name="receive"),
    path("<str:code>/", desk_views.detail, name="detail"),
    path("<str:code>/act/<str:action>/", desk_views.act, name="act"),
    path("<str:code>/files/<int:pk>/", desk_views.file_download, name="file"),
]
