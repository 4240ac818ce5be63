"""Administrators manage the staff of their units: list, create, grant and revoke roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from tinhso.accounts.forms import RoleGrantForm, SecondFactorResetForm, StaffUserForm
from tinhso.accounts.models import RoleAssignment, User
from tinhso.accounts.permissions import (
    may,
    may_somewhere,
    require,
    requires_second_factor,
    scope_paths,
)
from tinhso.accounts.selectors import staff_in_scope
from tinhso.accounts.services import role_grant, role_revoke, staff_user_create, user_update
from tinhso.accounts.two_factor import has_second_factor, second_factor_reset
from tinhso.audit.selectors import object_history
from tinhso.core.forms import add_service_errors


def _require_some_scope(request: HttpRequest) -> None:
    if not may_somewhere(request.user, "users.manage"):
        raise PermissionDenied(_("Only administrators manage users."))


def _staff(request: HttpRequest, username: str) -> User:
    user = staff_in_scope(scope_paths(request.user, "users.manage")).filter(
        username=username).first()
    if user is None:
        raise Http404(_("There is no staff member '%(name)s' in your units.") % {"name": username})
    return user


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _require_some_scope(request)
    search = request.GET.get("q", "").strip()
    users = staff_in_scope(scope_paths(request.user, "users.manage"), search)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_list.html", {"page": page, "q": search})


@login_required
@sensitive_post_parameters("password")
def staff_create(request: HttpRequest) -> HttpResponse:
    _require_some_scope(request)
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = staff_user_create(
                actor=request.user, username=data["username"], unit=data["unit"],
                password=data["password"], roles=[data["role"]] if data["role"] else [],
                first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
            )
        except ValidationError as exc:  # the password validators give no field
            add_service_errors(form, exc, default="password")
        else:
            messages.success(request, _("The user was created."))
            return redirect("staff:detail", username=user.username)
    return render(request, "accounts/staff_form.html", {"form": form})


@login_required
def staff_detail(request: HttpRequest, username: str) -> HttpResponse:
    _require_some_scope(request)
    user = _staff(request, username)
    form = RoleGrantForm(request.POST or None, initial={"unit": user.unit.code if user.unit
                                                        else ""})
    if request.method == "POST" and form.is_valid():
        try:
            role_grant(actor=request.user, user=user, role=form.cleaned_data["role"],
                       unit=form.cleaned_data["unit"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The role was granted."))
            return redirect("staff:detail", username=user.username)
    return render(request, "accounts/staff_detail.html", {
        "member": user, "form": form, "history": list(object_history(user)[:30]),
        "can_toggle": may(request.user, "users.manage", user.unit),
        "has_second_factor": has_second_factor(user),
        "requires_second_factor": requires_second_factor(user),
        "reset_form": SecondFactorResetForm(),
    })


@login_required
@require_POST
def staff_revoke(request: HttpRequest, username: str, assignment_id: int) -> HttpResponse:
    _require_some_scope(request)
    user = _staff(request, username)
    assignment = RoleAssignment.objects.filter(pk=assignment_id, user=user).select_related(
        "unit").first()
    if assignment is None:
        raise Http404(_("This role assignment does not exist."))
    role_revoke(actor=request.user, user=user, role=assignment.role, unit=assignment.unit)
    messages.success(request, _("The role was revoked."))
    return redirect("staff:detail", username=user.username)


@login_required
@require_POST
def staff_toggle_active(request: HttpRequest, username: str) -> HttpResponse:
    _require_some_scope(request)
    user = _staff(request, username)
    require(request.user, "users.manage", user.unit)
    if user.pk == request.user.pk:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    user_update(actor=request.user, user=user, is_active=not user.is_active)
    return redirect("staff:detail", username=user.username)


@login_required
@require_POST
def staff_reset_second_factor(request: HttpRequest, username: str) -> HttpResponse:
    """An administrator removes a staff member's authenticator and recovery codes, with a
    reason (audited); the member sets them up again at the next sign-in. Never one's own."""
    _require_some_scope(request)
    user = _staff(request, username)
    form = SecondFactorResetForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["reason"]))
        second_factor_reset(actor=request.user, user=user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Two-factor sign-in was reset: %(name)s sets it up again at "
                                    "the next sign-in.") % {"name": user.username})
    return redirect("staff:detail", username=user.username)
