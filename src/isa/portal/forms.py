"""Forms of the participant's space (short labels, one question each) and of the team's
side (open an access, answer a request)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from isa.core.validators import no_control_characters
from isa.portal.models import CORRECTION_LENGTH, CorrectionTopic
from isa.works.models import CreditMode

PASSWORD_HINT = _(
    "At least 12 characters. Easiest: a sentence of several words that only you know, "
    "for example: my cat sleeps on the red chair."
)


class PortalLoginForm(forms.Form):
    login = forms.CharField(
        label=_("Your sign-in name"),
        max_length=60,
        help_text=_("It is on your letter."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Your password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label=_("Code of your phone (only if you set one up)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_login(self) -> str:
        return self.cleaned_data["login"].strip().lower()


class RedeemForm(forms.Form):
    code = forms.CharField(
        label=_("The code on your letter"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        max_length=200,
        strip=False,
        help_text=PASSWORD_HINT,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") != data.get("password"):
            self.add_error("password_again", _("The two passwords are not the same."))
        return data


class PasswordForm(forms.Form):
    """A new password for one's own space: the one in use first, then the new one twice,
    checked by the same rules as every password (zxcvbn included)."""

    current = forms.CharField(
        label=_("Your password now"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        max_length=200,
        strip=False,
        help_text=PASSWORD_HINT,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = RedeemForm.base_fields["password_again"]

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current(self) -> str:
        current: str = self.cleaned_data["current"]
        if not self.user.check_password(current):
            raise forms.ValidationError(_("This is not your password now."), code="current")
        return current

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") != data.get("password"):
            self.add_error("password_again", _("The two passwords are not the same."))
        elif data.get("password"):
            try:
                validate_password(data["password"], self.user)
            except forms.ValidationError as refused:
                self.add_error("password", refused)
        return data


class CreditForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How do you want to be named beside your works?"),
        choices=CreditMode.choices,
        widget=forms.RadioSelect,
    )
    pseudonym = forms.CharField(
        label=_("Your pseudonym (an artist's name)"),
        max_length=100,
        required=False,
        validators=[no_control_characters],
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search in my notes"),
        required=False,
        max_length=200,
        validators=[no_control_characters],
    )


class CorrectionForm(forms.Form):
    topic = forms.ChoiceField(label=_("What is it about?"), choices=CorrectionTopic.choices)
    # The length is checked by the service, with a message in words (not the browser's).
    text = forms.CharField(
        label=_("What is not right?"),
        required=False,
        max_length=CORRECTION_LENGTH * 20,
        help_text=format_lazy(_("A few sentences. At most {n} characters."), n=CORRECTION_LENGTH),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AccessCreateForm(forms.Form):
    agreed = forms.BooleanField(
        label=_("The person said they want their own space."),
        error_messages={"required": _("An access is opened only if the person wants it.")},
    )
    agreement_note = forms.CharField(
        label=_("How and when they said it"),
        max_length=300,
        help_text=_("For example: asked for it during the talk of 3 March, with Sophie."),
    )
    language = forms.ChoiceField(label=_("Language of the letter"), choices=settings.LANGUAGES)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=CORRECTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Short sentences: the person reads it in their space."),
    )
