"""The document office's pages (/documents/)."""

from django.urls import path

from tinhso.documents import action_views, entry_views, exchange_views, views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("incoming/new/", entry_views.incoming_new, name="incoming_new"),
    path("outgoing/new/", entry_views.outgoing_new, name="outgoing_new"),
    path("registers/incoming/", views.register_incoming, name="register_incoming"),
    path("registers/outgoing/", views.register_outgoing, name="register_outgoing"),
    path("overdue/", views.overdue, name="overdue"),
    path("exchange/", exchange_views.overview, name="exchange"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/files/<int:file_id>/", views.file_download, name="file"),
    path("<int:pk>/direct/", action_views.direct, name="direct"),
    path("<int:pk>/comment/", action_views.comment, name="comment"),
    path("<int:pk>/close/", action_views.close, name="close"),
    path("<int:pk>/task-close/", action_views.task_close, name="task_close"),
    path("<int:pk>/issue/", action_views.issue, name="issue"),
    path("<int:pk>/files/<int:file_id>/sign/", exchange_views.sign, name="sign"),
    path("<int:pk>/send/", exchange_views.send, name="send"),
]
