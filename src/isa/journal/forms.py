from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.forms import DateField, ModelMultipleChoiceField
from isa.core.models import Role
from isa.core.validators import (
    LONG_TEXT_LENGTH,
    no_control_characters,
    no_control_characters_multiline,
)
from isa.journal.models import RESTRICTED_ROLES, EntryKind, Posture, Tag, Visibility
from isa.people.models import Participant


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ParticipantChoices(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return f"{obj.first_name} {obj.last_name}"


class EntryForm(forms.Form):
    participants = ParticipantChoices(
        label=_("About"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One person, or several for a group moment."),
    )
    written_on = DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=EntryKind.choices, initial=EntryKind.OBSERVATION
    )
    tags = forms.MultipleChoiceField(
        label=_("Ab-compagnement"),
        choices=Tag.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Contain, maintain, preserve, warm up: what this moment was about."),
    )
    posture = forms.ChoiceField(label=_("I write"), choices=Posture.choices)
    visibility = forms.ChoiceField(label=_("Who reads it"), choices=Visibility.choices)
    text = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Describe what you saw and heard. The aid below points out wording that "
            "judges; it never stops you from saving."
        ),
        max_length=LONG_TEXT_LENGTH,
        validators=[no_control_characters_multiline],
    )

    def __init__(self, *args: Any, people: Any, roles: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people
        if not roles & RESTRICTED_ROLES:
            self.fields["visibility"].choices = [
                c for c in Visibility.choices if c[0] != Visibility.RESTRICTED
            ]
        if not self.is_bound:
            for role, posture in (
                (Role.SOCIAL_WORKER, Posture.SOCIAL_WORKER),
                (Role.WATCHER, Posture.WATCHER),
                (Role.FACILITATOR, Posture.FACILITATOR),
            ):
                if role in roles:
                    self.initial.setdefault("posture", posture)
                    break


class CorrectionForm(EntryForm):
    """A correction: the date and the posture stay as written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["written_on"]
        del self.fields["posture"]


class JournalFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Words"), required=False, max_length=200, validators=[no_control_characters]
    )
    participant = forms.ModelChoiceField(
        label=_("About"), queryset=Participant.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *EntryKind.choices]
    )
    tag = forms.ChoiceField(
        label=_("Ab-compagnement"), required=False, choices=[("", _("All")), *Tag.choices]
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = people
