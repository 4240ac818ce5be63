from django.urls import path

from tinhso.accounts import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("two-factor/", two_factor_views.two_factor_account, name="two_factor"),
    path("two-factor/verify/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/enrol/", two_factor_views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/recovery-codes/", two_factor_views.two_factor_recovery_codes,
         name="two_factor_recovery_codes"),
]
