from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.forms import DateField
from isa.core.validators import (
    NOTE_LENGTH,
    TEXT_LENGTH,
    no_control_characters,
    no_control_characters_multiline,
)
from isa.people.access import FileRights
from isa.people.models import (
    ConsentKind,
    ConsentMethod,
    ConsentState,
    ExitReason,
    HalfDay,
    MilestoneKind,
    Participant,
    ReferralStatus,
    Status,
)
from isa.people.services import IDENTITY_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, initial_today: bool = True) -> forms.DateField:
    return DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if initial_today else None,
    )


CONTACT_FIELDS = ("phone", "email", "address")
ADMINISTRATIVE_FIELDS = ("avs_number", "social_aid_reference")


class IdentityForm(forms.ModelForm):
    """The identity part of a file; fields the user may not see are left out entirely."""

    class Meta:
        model = Participant
        fields = IDENTITY_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, rights: FileRights | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if rights is not None:
            if not rights.contact:
                for name in CONTACT_FIELDS:
                    self.fields.pop(name)
            if not rights.administrative:
                for name in ADMINISTRATIVE_FIELDS:
                    self.fields.pop(name)
        self.fields["birth_date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value and (value > today or value.year < today.year - 110):
            raise forms.ValidationError(_("Please check the birth date."))
        return value


class ReferralForm(forms.Form):
    referred_on = date_field(_("Referral date"))
    referring_service = forms.CharField(
        label=_("Referring service"),
        max_length=150,
        initial="CMS de Sion",
        validators=[no_control_characters],
    )
    referring_person = forms.CharField(
        label=_("Referring person"),
        max_length=150,
        required=False,
        validators=[no_control_characters],
    )
    context = forms.CharField(
        label=_("Context"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the team should know to welcome the person. Describe, do not judge."),
        max_length=TEXT_LENGTH,
        validators=[no_control_characters_multiline],
    )
    not_a_duplicate = forms.BooleanField(
        label=_("I checked: this is another person with the same name and birth date"),
        required=False,
    )


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ReferralStatus.WAITING, ReferralStatus.WAITING.label),
            (ReferralStatus.NOT_TAKEN_UP, ReferralStatus.NOT_TAKEN_UP.label),
        ],
    )
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, validators=[no_control_characters]
    )


class AdmitForm(forms.Form):
    on = date_field(_("Admission date"))
    override_capacity = forms.BooleanField(
        label=_("Admit above capacity (decision of the head, recorded in the audit log)"),
        required=False,
    )

    def __init__(self, *args: Any, rights: FileRights, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not rights.override_capacity:
            self.fields.pop("override_capacity")


class PauseForm(forms.Form):
    on = date_field(_("Pause from"))
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=300,
        required=False,
        validators=[no_control_characters],
    )


class ResumeForm(forms.Form):
    on = date_field(_("Back on"))


class ExitForm(forms.Form):
    on = date_field(_("Date of leaving"))
    reason = forms.ChoiceField(label=_("Reason"), choices=ExitReason.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_LENGTH,
        validators=[no_control_characters_multiline],
    )


class PactForm(forms.Form):
    valid_from = date_field(_("Valid from"))
    half_days = forms.MultipleChoiceField(
        label=_("Usual half-days"),
        choices=HalfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A habit agreed together, renegotiable at any time. None is possible too."),
    )
    note = forms.CharField(
        label=_("What was agreed"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[no_control_characters_multiline],
    )


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Moment"), choices=MilestoneKind.choices)
    on = date_field(_("Date"))
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, validators=[no_control_characters]
    )


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent"), choices=ConsentKind.choices)
    state = forms.ChoiceField(label=_("Decision"), choices=ConsentState.choices)
    on = date_field(_("Date"))
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, validators=[no_control_characters]
    )


SORTS = {
    "name": ("search_name", "pk"),
    "-name": ("-search_name", "-pk"),
    "since": ("accompanied_since", "search_name", "pk"),
    "-since": ("-accompanied_since", "search_name", "pk"),
    "status": ("status", "search_name", "pk"),
}


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"), required=False, max_length=100, validators=[no_control_characters]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    referrer = forms.ChoiceField(label=_("Referred by"), required=False, choices=[])
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("since", _("Accompanied since (oldest first)")),
            ("-since", _("Accompanied since (newest first)")),
            ("status", _("Status")),
        ],
    )

    def __init__(self, *args: Any, referrers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referrer"].choices = [("", _("All")), *[(r, r) for r in referrers]]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "The template filled in (step 1 above): one row per person, dates as dd.mm.yyyy."
        ),
    )
