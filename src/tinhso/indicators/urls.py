from django.urls import path

from tinhso.indicators import target_views, views, work_views

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("new/", work_views.indicator_new, name="new"),
    path("rounds/", work_views.round_list, name="rounds"),
    path("rounds/new/", work_views.round_new, name="round_new"),
    path("rounds/<int:pk>/", work_views.round_board, name="round"),
    path("rounds/<int:pk>/remind/", work_views.round_remind_view, name="round_remind"),
    path("rounds/<int:pk>/template/<str:unit_code>.xlsx", work_views.round_template,
         name="round_template"),
    path("rounds/<int:pk>/upload/", work_views.round_upload, name="round_upload"),
    path("to-report/", work_views.to_report, name="to_report"),
    path("review/", work_views.review, name="review"),
    path("values/<int:pk>/", work_views.value_page, name="value"),
    path("values/<int:pk>/<str:act>/", work_views.value_act, name="value_act"),
    path("evidence/<int:pk>/", work_views.evidence_download, name="evidence"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/targets/", target_views.targets_page, name="targets"),
    path("<slug:code>/targets/<int:pk>/", target_views.target_edit, name="target_edit"),
    path("<slug:code>/targets/<int:pk>/delete/", target_views.target_remove,
         name="target_delete"),
    path("<slug:code>/export.<str:fmt>", views.export, name="export"),
]
