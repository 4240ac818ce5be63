from django.urls import path

from tinhso.accounts import staff_views as views

app_name = "staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("new/", views.staff_create, name="create"),
    path("<str:username>/", views.staff_detail, name="detail"),
    path("<str:username>/roles/<int:assignment_id>/revoke/", views.staff_revoke, name="revoke"),
    path("<str:username>/active/", views.staff_toggle_active, name="toggle_active"),
    path("<str:username>/two-factor/reset/", views.staff_reset_second_factor,
         name="reset_second_factor"),
]
