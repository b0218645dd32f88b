from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from isa.core.access import id_or_none
from isa.core.models import AuditAction, Role, User
from isa.core.validators import (
    FIRST_YEAR,
    LAST_YEAR,
    no_control_characters,
    no_control_characters_multiline,
    sane_date,
)


class DateField(forms.DateField):
    """A date typed in a form, between 1900 and 2100 (:func:`isa.core.validators.sane_date`):
    a typing slip like 0024 or 20240 is refused instead of computed with."""

    default_validators = [sane_date]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "date" or widget.attrs.get("type") == "date":
            for name, value in (("min", f"{FIRST_YEAR}-01-01"), ("max", f"{LAST_YEAR}-12-31")):
                if name not in widget.attrs:
                    attrs[name] = value
        return attrs


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by id: an id too large for the database is refused like an
    unknown one (Django would hand it to the database, which cannot even compare it)."""

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None and isinstance(value, list | tuple):
            for raw in value:
                try:
                    number = int(str(raw))
                except ValueError:
                    continue  # Django refuses it as it is
                if id_or_none(number) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": raw},
                    )
        return super()._check_values(value)


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when it names one of the form's,
    on the form as a whole otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail or the password is not right. Mind upper and lower case in the password."
        ),
        "inactive": _("This account is disabled."),
    }


class ResetRequestForm(PasswordResetForm):
    """Asks for a link to set a new password, e-mailed in the account's own language."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def save(self, **kwargs: Any) -> None:
        # Links lead to the public address of the site when one is set (ISA_SITE_URL), not
        # to whatever host the request named.
        if settings.ISA_SITE_URL:
            site = urlsplit(settings.ISA_SITE_URL)
            kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        super().save(**kwargs)

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        user = args[2]["user"] if len(args) > 2 else kwargs["context"]["user"]
        language = user.language if user.language in dict(settings.LANGUAGES) else None
        with translation.override(language or settings.LANGUAGE_CODE):
            super().send_mail(*args, **kwargs)


class LanguageForm(forms.Form):
    """The account's language, posted to the language switch (``set_language``)."""

    language = forms.ChoiceField(label=_("Language of ISA"), choices=settings.LANGUAGES)


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return token


class GrantRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of an existing account"), validators=[no_control_characters]
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed only when you give a role to yourself: the heads of the programme read it."
        ),
        validators=[no_control_characters_multiline],
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        try:
            return User.objects.get(email__iexact=email, is_active=True)
        except User.DoesNotExist:
            raise forms.ValidationError(
                _("No active account uses this e-mail. Create the account below.")
            ) from None


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150, validators=[no_control_characters])
    email = forms.EmailField(label=_("E-mail"), validators=[no_control_characters])
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters and hard to guess: a short sentence of several words. "
            "Give it to the person in a safe way."
        ),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail already exists."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password = data.get("password")
        if password:
            probe = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All actions")), *AuditAction.choices], required=False
    )
    actor = forms.CharField(
        label=_("Member of the team"),
        required=False,
        max_length=254,
        validators=[no_control_characters],
        help_text=_("Name or e-mail."),
        widget=forms.TextInput(attrs={"list": "audit-members"}),
    )
    person = forms.CharField(
        label=_("Person concerned"),
        required=False,
        max_length=100,
        validators=[no_control_characters],
        help_text=_("Name of a participant."),
    )
    object_type = forms.CharField(
        label=_("Kind of record"),
        required=False,
        max_length=64,
        validators=[no_control_characters],
    )
    date_from = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


def posted_version(request: HttpRequest) -> int:
    """The record version the editor's form was opened on (optimistic locking; see
    :func:`isa.core.services.lock_version`).  A missing or garbled value never matches."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1
