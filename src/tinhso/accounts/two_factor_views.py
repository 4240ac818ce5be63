"""Pages of two-factor sign-in: the second step after the password, enrolment (QR code and
secret shown once, confirmed with a code, then ten recovery codes shown once), and the account's
two-factor page (status, new recovery codes)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.forms import EnrolForm, SecondFactorForm
from tinhso.accounts.middleware import second_step
from tinhso.accounts.permissions import requires_second_factor
from tinhso.accounts.two_factor import (
    demo_code,
    has_second_factor,
    key_base32,
    may_enrol,
    new_totp_key,
    recovery_codes_left,
    recovery_codes_renew,
    second_factor_verify,
    totp_enrol,
)
from tinhso.core.forms import add_service_errors
from tinhso.core.http import client_ip

PENDING_KEY = "tinhso_2fa_pending_key"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator or a recovery code (used up)."""
    step = second_step(request.user)
    if step == "enrol":
        return redirect(f"{resolve_url('accounts:two_factor_enrol')}?"
                        f"{urlencode({'next': _next(request)})}")
    if step is None:
        return redirect(_next(request))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = second_factor_verify(user=request.user, code=form.cleaned_data["code"],
                                      ip_address=client_ip(request))
        if result.device is not None:
            otp_login(request, result.device)
            request.session.cycle_key()
            return redirect(_next(request))
        form.add_error("code", result.error)
    return render(request, "accounts/two_factor_verify.html", {
        "form": form, "next": _next(request), "demo_code": demo_code(request.user)})


def _qr_data_uri(request: HttpRequest, key: str) -> str:
    url = TOTPDevice(user=request.user, key=key, name="").config_url
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


@never_cache
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: scan or type the secret, confirm with a code; the recovery
    codes follow, shown once."""
    if not may_enrol(request.user):
        raise PermissionDenied(_("Only staff members set up two-factor sign-in."))
    if has_second_factor(request.user):
        return redirect("accounts:two_factor")
    key = request.session.get(PENDING_KEY) or new_totp_key()
    request.session[PENDING_KEY] = key  # the same secret until confirmed, across reloads
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = totp_enrol(user=request.user, key=key, code=form.cleaned_data["code"],
                                       ip_address=client_ip(request))
        except ValidationError as exc:
            add_service_errors(form, exc, default="code")
        else:
            del request.session[PENDING_KEY]
            otp_login(request, device)
            request.session.cycle_key()
            return render(request, "accounts/two_factor_codes.html",
                          {"codes": codes, "next": _next(request), "enrolled": True})
    return render(request, "accounts/two_factor_enrol.html", {
        "form": form, "next": _next(request), "qr": _qr_data_uri(request, key),
        "secret": key_base32(key), "required": requires_second_factor(request.user)})


@never_cache
@login_required
def two_factor_account(request: HttpRequest) -> HttpResponse:
    """The account's two-factor sign-in: set up or not, recovery codes left, renew them."""
    if not may_enrol(request.user):
        raise PermissionDenied(_("Only staff members set up two-factor sign-in."))
    enrolled = has_second_factor(request.user)
    return render(request, "accounts/two_factor.html", {
        "enrolled": enrolled, "required": requires_second_factor(request.user),
        "codes_left": recovery_codes_left(request.user) if enrolled else 0})


@never_cache
@login_required
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes, shown once; the old ones stop working."""
    if not may_enrol(request.user):
        raise PermissionDenied(_("Only staff members set up two-factor sign-in."))
    try:
        codes = recovery_codes_renew(user=request.user, ip_address=client_ip(request))
    except ValidationError:
        return redirect("accounts:two_factor_enrol")
    return render(request, "accounts/two_factor_codes.html",
                  {"codes": codes, "next": resolve_url("accounts:two_factor"), "enrolled": False})
