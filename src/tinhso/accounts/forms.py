from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role, User, UserKind
from tinhso.units.selectors import unit_by_code

if TYPE_CHECKING:
    from tinhso.units.models import Unit


class RegistrationForm(forms.Form):
    """A citizen or a business opens an account for themselves."""

    kind = forms.ChoiceField(
        label=_("I am"), widget=forms.RadioSelect,
        choices=[(UserKind.CITIZEN, _("a citizen")), (UserKind.BUSINESS, _("a business"))],
        initial=UserKind.CITIZEN,
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    organisation_name = forms.CharField(label=_("Business name"), max_length=200, required=False)
    tax_code = forms.RegexField(label=_("Tax code"), regex=r"^\d{10}(-\d{3})?$", required=False,
                                error_messages={"invalid": _("A tax code has 10 digits "
                                                             "(or 10 digits, a dash and 3).")})
    username = forms.RegexField(
        label=_("User name"), max_length=150, regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and . @ + - _ only."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.RegexField(label=_("Phone"), regex=r"^(\+84|0)\d{9,10}$", required=False,
                             error_messages={"invalid": _("Write a Vietnamese phone number, "
                                                          "e.g. 0912345678.")})
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return str(username)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and \
                data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        if data.get("kind") == UserKind.BUSINESS and not data.get("organisation_name"):
            self.add_error("organisation_name", _("A business gives its name."))
        if data.get("kind") == UserKind.CITIZEN and not data.get("full_name"):
            self.add_error("full_name", _("Give your full name."))
        return data


def _unit_by_code(code: str) -> Unit:
    unit = unit_by_code(code.strip())
    if unit is None:
        raise forms.ValidationError(
            _("There is no unit with code '%(code)s'."), params={"code": code})
    return unit


class StaffUserForm(forms.Form):
    username = forms.RegexField(label=_("User name"), max_length=150, regex=r"^[\w.@+-]+$")
    first_name = forms.CharField(label=_("Family and middle name"), max_length=150,
                                 required=False)
    last_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    unit = forms.CharField(label=_("Unit (code)"), max_length=40)
    role = forms.ChoiceField(label=_("Role at that unit"), required=False,
                             choices=[("", "–"), *Role.choices])
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def clean_unit(self) -> Unit:
        return _unit_by_code(self.cleaned_data["unit"])

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.CharField(label=_("Unit (code)"), max_length=40)

    def clean_unit(self) -> Unit:
        return _unit_by_code(self.cleaned_data["unit"])


class SecondFactorForm(forms.Form):
    """The second step: six digits from the authenticator, or a recovery code."""

    code = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        help_text=_("The six digits your authenticator app shows, or one of your recovery "
                    "codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "inputmode": "text", "spellcheck": "false"}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"), max_length=12, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             help_text=_("Why: e.g. the phone was lost. Kept in the audit log."))
