"""Forms of the privacy app: the retention policy, the anonymisation's confirmation, a study."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from isa.core.forms import DateField, ModelMultipleChoiceField
from isa.core.models import Programme, Role, User
from isa.core.validators import NOTE_LENGTH
from isa.privacy.models import MAX_RETENTION_YEARS


class RetentionPolicyForm(forms.Form):
    years = forms.IntegerField(
        label=_("Years kept after the last exit"), min_value=1, max_value=MAX_RETENTION_YEARS
    )
    legal_minimum_years = forms.IntegerField(
        label=_("Legal minimum (years)"),
        min_value=0,
        max_value=MAX_RETENTION_YEARS,
        help_text=_("The shortest period the law or the funders' contracts require."),
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm: the person asked for it, and this cannot be undone."), required=True
    )


class StudyForm(forms.Form):
    name = forms.CharField(label=_("Name of the study"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=NOTE_LENGTH, widget=forms.Textarea)
    starts_on = DateField(label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    researchers = ModelMultipleChoiceField(
        label=_("Researchers"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["researchers"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__programme=programme, memberships__role=Role.RESEARCHER, is_active=True
        ).distinct()
