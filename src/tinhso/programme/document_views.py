"""The coordinator changes a recorded document: its kind, title, issuer, date, and what it
implements, amends or replaces (a later plan replacing an earlier one)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from tinhso.accounts.permissions import may
from tinhso.core.forms import add_service_errors
from tinhso.programme.forms import DocumentForm
from tinhso.programme.models import Document
from tinhso.programme.services import document_update

EDITABLE = ("kind", "title", "issuer", "issued_on", "implements", "supersedes", "supersession")


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("unit"), pk=pk)
    if not may(request.user, "programme.manage", document.unit):
        raise PermissionDenied(_("Only the programme's coordinator changes its documents."))
    initial = {name: getattr(document, name) for name in EDITABLE}
    form = DocumentForm(request.POST or None, initial=initial, units=[document.unit],
                        editing=document)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in EDITABLE}
        if changes["supersedes"] is None:
            changes["supersession"] = ""
        try:
            document_update(actor=request.user, document=document, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Document %(number)s was saved.")
                             % {"number": document.number})
            return redirect("programme:document", pk=document.pk)
    return render(request, "programme/document_edit.html", {"form": form, "document": document})


urlpatterns: list[URLPattern] = [
    path("documents/<int:pk>/edit/", document_edit, name="document_edit"),
]
