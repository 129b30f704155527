from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("User name or password is incorrect. Both fields are case-sensitive."),
        "inactive": _("This account has been blocked. Contact your administrator."),
    }


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class ProfileForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class AwayForm(forms.Form):
    away_from = forms.DateField(label=_("Away from"), required=False)
    away_until = forms.DateField(label=_("Away until"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("away_from"), data.get("away_until")
        if end and not start:
            self.add_error("away_from", _("Fill in from when you are away."))
        if start and end and end < start:
            self.add_error("away_until", _("'Away until' cannot be before 'away from'."))
        return data
