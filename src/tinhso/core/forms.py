from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError, default: str | None = None) -> None:
    """Show a service's ValidationError on the form: per field where it names one, else on
    ``default`` (a field name) or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else default, errors)
    else:
        form.add_error(default, exc.messages)
