"""Forms of the reports app: a draft, a correction, an organisation's proxy."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from isa.core.forms import DateField
from isa.core.validators import (
    NOTE_LENGTH,
    TEXT_LENGTH,
    no_control_characters,
    no_control_characters_multiline,
)
from isa.reports.costbenefit import proxy_choices
from isa.reports.models import REPORT_LANGUAGES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DraftForm(forms.Form):
    start = DateField(label=_("From"), widget=DATE)
    end = DateField(label=_("Until"), widget=DATE)
    language = forms.ChoiceField(label=_("Language of the report"), choices=REPORT_LANGUAGES)
    foreword = forms.CharField(
        label=_("Foreword"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[no_control_characters_multiline],
        help_text=_(
            "What the figures do not say: the year in the team's words. Describe, do not judge."
        ),
    )
    highlights = forms.CharField(
        label=_("Highlights"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters_multiline],
    )
    deadweight = forms.DecimalField(
        label=_("Deadweight (share that would have happened anyway)"),
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        decimal_places=3,
        initial=Decimal("0.3"),
    )
    deadweight_reason = forms.CharField(
        label=_("Why this deadweight"),
        required=False,
        max_length=NOTE_LENGTH,
        validators=[no_control_characters],
    )
    attribution = forms.DecimalField(
        label=_("Attribution to others (share due to other help)"),
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        decimal_places=3,
        initial=Decimal("0.3"),
    )
    attribution_reason = forms.CharField(
        label=_("Why this attribution"),
        required=False,
        max_length=NOTE_LENGTH,
        validators=[no_control_characters],
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("What the correction changes, and why"),
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters_multiline],
    )


class ProxyForm(forms.Form):
    code = forms.ChoiceField(label=_("Proxy"), choices=())
    value = forms.DecimalField(
        label=_("Value (CHF)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("In francs; for the canton's share, a fraction (0.55 for 55 percent)."),
    )
    year = forms.IntegerField(label=_("Year of the figure"), min_value=1990, max_value=2100)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        validators=[no_control_characters],
        help_text=_("Where the figure comes from, e.g. an FSO or FOPH table."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].choices = proxy_choices()  # type: ignore[attr-defined]
