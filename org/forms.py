from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The login form, with the browser hints a call-centre PC wants (no autocapitalise, autofocus)."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,  # User.username's length: a longer one is refused before authentication (and axes) sees it
        widget=forms.TextInput(attrs={"autofocus": True, "autocapitalize": "none", "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
