"""The programme's pages: each view module keeps its own ``urlpatterns`` list."""

from tinhso.programme import appendix_views, board_views, document_views, views, work_views

app_name = "programme"
urlpatterns = (views.urlpatterns + work_views.urlpatterns + document_views.urlpatterns
               + board_views.urlpatterns + appendix_views.urlpatterns)
