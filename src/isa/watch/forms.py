from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.forms import DateField
from isa.core.validators import no_control_characters_multiline
from isa.watch.models import OutreachKind
from isa.watch.rules import Rule


class OutreachForm(forms.Form):
    kind = forms.ChoiceField(label=_("How"), choices=OutreachKind.choices)
    on = DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, descriptively. The person's words if possible."),
        validators=[no_control_characters_multiline],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How things stand"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: we spoke on the phone, she is ill and will come back next week."),
        error_messages={
            "required": _("Say in a few words how things stand, to close the alert."),
        },
        validators=[no_control_characters_multiline],
    )

    def clean_resolution(self) -> str:
        value = self.cleaned_data["resolution"].strip()
        if not value:
            raise forms.ValidationError(self.fields["resolution"].error_messages["required"])
        return value


class RuleForm(forms.Form):
    """One rule of the programme: on or off, and its whole-number parameters."""

    enabled = forms.BooleanField(label=_("On"), required=False)

    def __init__(self, *args: Any, rule: Rule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        for name in rule.default_params:
            spec = rule.spec(name)
            self.fields[name] = forms.IntegerField(
                label=spec.label,
                min_value=spec.minimum,
                max_value=spec.maximum,
                help_text=spec.help,
            )

    def params(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in self.rule.default_params}
