from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from tinhso.accounts.forms import RegistrationForm
from tinhso.accounts.services import public_user_register
from tinhso.core.forms import add_service_errors


class LoginView(auth_views.LoginView):
    """Django's login page; a user's chosen language follows them to any browser."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                                max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
        return response


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST (the header's button) and returns to the home page."""


@sensitive_post_parameters("password1", "password2")
def register(request: HttpRequest) -> HttpResponse:
    """Citizens and businesses open their own account (staff accounts are made by admins)."""
    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        first, _sep, last = data["full_name"].strip().rpartition(" ")
        try:
            user = public_user_register(
                username=data["username"], password=data["password1"], kind=data["kind"],
                email=data["email"], phone=data["phone"], tax_code=data["tax_code"],
                organisation_name=data["organisation_name"],
                first_name=first, last_name=last,
            )
        except ValidationError as exc:  # the password validators give no field
            add_service_errors(form, exc, default="password1")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("web:home")
    return render(request, "accounts/register.html", {"form": form})
