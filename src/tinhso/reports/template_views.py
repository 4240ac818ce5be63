"""The Word templates page (``/reports/templates/``): each layout's template in use, its
download and the default's, a replacement's upload and the way back to the default. For
administrators (``reports.templates``). Thin: the checks and writes are
``template_services``'."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.permissions import may
from tinhso.core.forms import add_service_errors
from tinhso.reports.document import Layout
from tinhso.reports.models import TemplateLayout
from tinhso.reports.permissions import MANAGE_TEMPLATES
from tinhso.reports.template_check import MAX_BYTES
from tinhso.reports.template_services import template_replace, template_restore_default
from tinhso.reports.word import CONTENT_TYPE
from tinhso.reports.word_store import current_template, template_states
from tinhso.reports.word_templates import LAYOUTS, default_template


class TemplateUploadForm(forms.Form):
    layout = forms.ChoiceField(choices=TemplateLayout.choices, widget=forms.HiddenInput)
    file = forms.FileField(label=gettext_lazy("Replacement template (.docx, at most 5 MB)"))


def _require(request: HttpRequest) -> None:
    if not may(request.user, MANAGE_TEMPLATES, None):
        raise PermissionDenied(_("Only the platform's administrators replace report templates."))


def _post(request: HttpRequest) -> tuple[TemplateUploadForm | None, HttpResponse | None]:
    """Upload or restore; a redirect when done, else the form with its errors."""
    layout = request.POST.get("layout", "")
    if request.POST.get("action") == "restore":
        try:
            restored = template_restore_default(actor=request.user, layout=layout)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if restored:
                messages.success(request, _("The default template is in use again."))
        return None, redirect("reports:templates")
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            template_replace(actor=request.user, layout=form.cleaned_data["layout"],
                             name=upload.name or "", content=upload.read(MAX_BYTES + 1))
        except ValidationError as exc:
            add_service_errors(form, exc, default="file")
        else:
            messages.success(request, _("The new template is in use for every report made "
                                        "from now on."))
            return None, redirect("reports:templates")
    return form, None


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    _require(request)
    failed: TemplateUploadForm | None = None
    if request.method == "POST":
        failed, done = _post(request)
        if done is not None:
            return done
    rows = []
    for state in template_states():
        form = (failed if failed is not None and failed.data.get("layout") == state.layout
                else TemplateUploadForm(initial={"layout": state.layout}))
        form.auto_id = f"id_{state.layout}_%s"
        rows.append({"state": state, "form": form})
    return render(request, "reports/templates.html", {"rows": rows},
                  status=400 if failed is not None else 200)


@login_required
def template_file(request: HttpRequest, layout: str, which: str) -> HttpResponse:
    """The template in use (``current``) or the committed default (``default``) as .docx."""
    _require(request)
    if layout not in LAYOUTS or which not in ("current", "default"):
        raise Http404(_("No such template."))
    checked: Layout = "party" if layout == "party" else "state"
    content = current_template(checked) if which == "current" else default_template(checked)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tinhso-{layout}-{which}.docx"'
    return response
