from django.urls import path

from tinhso.scoring import points_views, views, work_views

app_name = "scoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("framework/<slug:code>/", points_views.framework_page, name="framework"),
    path("framework/<slug:code>/points/", points_views.points_page, name="points"),
    path("self-assessment/answers/<int:pk>/<str:act>/", work_views.verify_act,
         name="verify_act"),
    path("self-assessment/<slug:code>/<int:year>/", work_views.answer_page, name="answer"),
    path("self-assessment/<slug:code>/<int:year>/verify/", work_views.verify_page,
         name="verify"),
    path("<slug:code>/<int:year>/units-of/<str:parent>/", work_views.units_ranking,
         name="units_ranking"),
    path("<slug:code>/<int:year>/explain/<str:unit_code>/", work_views.explain_page,
         name="explain"),
    path("<slug:code>/<int:year>/", views.ranking_page, name="ranking"),
    path("<slug:code>/<int:year>/<str:unit_code>/", views.unit_page, name="unit"),
]
