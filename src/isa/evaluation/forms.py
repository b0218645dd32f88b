from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.forms import DateField
from isa.core.validators import no_control_characters, no_control_characters_multiline
from isa.evaluation.effects import EFFECTS
from isa.evaluation.instruments import Instrument
from isa.evaluation.models import (
    MAX_EMERGENCY_VISITS,
    MAX_HOSPITAL_DAYS,
    MedicationChange,
    MedicationClass,
    PeriodKind,
    Perspective,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TabletAnswerForm(forms.Form):
    """One question on the tablet: big buttons, or "skip this question"."""

    value = forms.TypedChoiceField(coerce=int, required=False, widget=forms.RadioSelect)

    def __init__(self, *args: Any, options: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [(v, label) for v, label in options]
        self.fields["value"].error_messages["invalid_choice"] = _(
            "This answer is not one of the options: choose one of the answers offered."
        )


class PaperForm(forms.Form):
    """Every item of a questionnaire answered on paper, and the date of the answer."""

    on = DateField(
        label=_("Date of the paper answer"), initial=timezone.localdate, widget=DateInput()
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            options = [(o.value, f"{o.value} · {o.label}") for o in instrument.options_for(item)]
            field = forms.TypedChoiceField(
                label=f"{item.number}. {item.text}",
                choices=[("", _("not answered")), *options],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            field.error_messages["invalid_choice"] = _(
                "This answer is not one of the questionnaire's options: choose one of the "
                "answers offered."
            )
            self.fields[f"item_{item.number}"] = field

    def answers(self) -> dict[int, int | None]:
        return {
            item.number: self.cleaned_data.get(f"item_{item.number}")
            for item in self.instrument.items
        }

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{item.number}"] for item in self.instrument.items]


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Instrument file (TOML)"),
        help_text=_("A questionnaire described as a TOML file, like the shipped ones."),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 200_000:
            raise forms.ValidationError(_("This file is too large for an instrument file."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file must be text in UTF-8.")) from None


class EffectsForm(forms.Form):
    """The whole grid: for each effect, a level on its scale and a comment."""

    perspective = forms.ChoiceField(
        label=_("Whose view"), choices=Perspective.choices, widget=forms.RadioSelect
    )
    on = DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for effect in EFFECTS:
            self.fields[f"{effect.code}_level"] = forms.TypedChoiceField(
                label=effect.label,
                help_text=effect.help,
                choices=[("", _("not assessed")), *effect.choices],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{effect.code}_comment"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                validators=[no_control_characters_multiline],
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "effect": e,
                "level": self[f"{e.code}_level"],
                "comment": self[f"{e.code}_comment"],
            }
            for e in EFFECTS
        ]

    def values(self) -> dict[str, dict[str, Any]]:
        return {
            e.code: {
                "level": self.cleaned_data.get(f"{e.code}_level"),
                "comment": self.cleaned_data.get(f"{e.code}_comment", ""),
            }
            for e in EFFECTS
        }


class HealthPeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    starts_on = DateField(label=_("From"), widget=DateInput())
    ends_on = DateField(label=_("Until"), widget=DateInput())
    costs_chf = forms.DecimalField(
        label=_("Health costs (CHF)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=False,
    )
    cost_source = forms.CharField(
        label=_("Source of the amount"),
        required=False,
        max_length=200,
        help_text=_("For example: the insurer's yearly statement."),
        validators=[no_control_characters],
    )
    hospital_days = forms.IntegerField(
        label=_("Psychiatric hospital days"),
        required=False,
        min_value=0,
        max_value=MAX_HOSPITAL_DAYS,
    )
    emergency_visits = forms.IntegerField(
        label=_("Emergency visits"), required=False, min_value=0, max_value=MAX_EMERGENCY_VISITS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for cls, label in MedicationClass.choices:
            self.fields[f"med_{cls}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", _("not concerned")), *MedicationChange.choices],
            )

    def medication_fields(self) -> list[forms.BoundField]:
        return [self[f"med_{cls}"] for cls in MedicationClass.values]

    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[n]
            for n in (
                "kind",
                "starts_on",
                "ends_on",
                "costs_chf",
                "cost_source",
                "hospital_days",
                "emergency_visits",
            )
        ]

    def medications(self) -> dict[str, str]:
        return {
            cls: self.cleaned_data.get(f"med_{cls}") or ""
            for cls in MedicationClass.values
            if self.cleaned_data.get(f"med_{cls}")
        }
