from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.forms import DateField, ModelMultipleChoiceField
from isa.core.validators import (
    LONG_TEXT_LENGTH,
    TEXT_LENGTH,
    no_control_characters,
    no_control_characters_multiline,
)
from isa.people.models import Participant
from isa.presence.models import Medium
from isa.works.models import MAX_VISITORS, CreditMode, Work, WorkState

#: The image description is public with the work (gallery, catalogue): say so where it is typed.
ALT_HELP = _(
    "What the image shows, in a sentence (read aloud by screen readers; public with "
    "the work): describe the work, never name the person."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeopleChoices(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return f"{obj.first_name} {obj.last_name}"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return f"{obj.first_name} {obj.last_name}"


class MediumChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Medium) -> str:
        return obj.label


IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


def image_field(required: bool) -> forms.FileField:
    # A plain FileField: the file is judged by decoding it (isa.works.images), never by
    # its name or announced type; ``accept`` only helps the phone's file picker.
    return forms.FileField(
        label=_("Image"),
        required=required,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG or WebP photo. Location and camera data are removed."),
    )


class WorkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[no_control_characters])
    medium = MediumChoice(label=_("Medium"), queryset=Medium.objects.none())
    creators = PeopleChoices(
        label=_("Made by"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One person, or several for a collective work."),
    )
    made_on = DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    technique = forms.CharField(
        label=_("Technique"),
        max_length=200,
        required=False,
        help_text=_("For example: acrylic on canvas"),
        validators=[no_control_characters],
    )
    dimensions = forms.CharField(
        label=_("Dimensions"),
        max_length=100,
        required=False,
        help_text=_("For example: 40 × 50 cm"),
        validators=[no_control_characters],
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown with the work in catalogues and the public gallery: describe the work, "
            "not the person."
        ),
        max_length=TEXT_LENGTH,
        validators=[no_control_characters_multiline],
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("For a written work: the text itself."),
        max_length=LONG_TEXT_LENGTH,
        validators=[no_control_characters_multiline],
    )
    state = forms.ChoiceField(
        label=_("State"), choices=WorkState.choices, initial=WorkState.IN_PROGRESS
    )

    def __init__(self, *args: Any, people: Any, media: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creators"].queryset = people
        self.fields["medium"].queryset = media


class WorkCreateForm(WorkForm):
    """A new work, with a first image if there is one."""

    image = image_field(required=False)
    alt_text = forms.CharField(
        label=_("Image description"),
        max_length=300,
        required=False,
        help_text=ALT_HELP,
        validators=[no_control_characters],
    )


class ImageUploadForm(forms.Form):
    image = image_field(required=True)
    alt_text = forms.CharField(
        label=_("Image description"),
        max_length=300,
        required=False,
        help_text=ALT_HELP,
        validators=[no_control_characters],
    )


class ImageEditForm(forms.Form):
    alt_text = forms.CharField(
        label=_("Image description"),
        max_length=300,
        required=False,
        help_text=ALT_HELP,
        validators=[no_control_characters],
    )


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=WorkState.choices)


class WorkFilterForm(forms.Form):
    medium = MediumChoice(
        label=_("Medium"), queryset=Medium.objects.none(), required=False, empty_label=_("All")
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *WorkState.choices]
    )
    #: A name to search among the creators: no drop-down of every participant (a programme
    #: that has run ten years has hundreds of files; issue 17).
    person = forms.CharField(
        label=_("Made by"),
        required=False,
        max_length=100,
        validators=[no_control_characters],
        help_text=_("Name of a participant."),
    )
    #: One creator, by id: the links from a file or a portfolio (not shown as a field).
    creator = PersonChoice(
        queryset=Participant.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, people: Any, media: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["creator"].queryset = people
        self.fields["medium"].queryset = media


class ExhibitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[no_control_characters])
    venue = forms.CharField(label=_("Venue"), max_length=200, validators=[no_control_characters])
    starts_on = DateField(label=_("Opening"), widget=DateInput())
    ends_on = DateField(label=_("Closing"), required=False, widget=DateInput())
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LENGTH,
        validators=[no_control_characters_multiline],
    )
    visitors = forms.IntegerField(
        label=_("Visitors"), required=False, min_value=0, max_value=MAX_VISITORS
    )


class WorkChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Work) -> str:
        return f"{obj.title} ({obj.made_on:%Y})"


class ExhibitionAddWorkForm(forms.Form):
    work = WorkChoice(label=_("Work"), queryset=Work.objects.none())

    def __init__(self, *args: Any, works: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work"].queryset = works


class PressForm(forms.Form):
    outlet = forms.CharField(label=_("Outlet"), max_length=150, validators=[no_control_characters])
    on = DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=300, validators=[no_control_characters])
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[no_control_characters],
    )


class CreditForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Credited as"), choices=CreditMode.choices, widget=forms.RadioSelect
    )
    pseudonym = forms.CharField(
        label=_("Pseudonym"), max_length=100, required=False, validators=[no_control_characters]
    )


class GalleryForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("The public gallery is open"),
        required=False,
        help_text=_(
            "It shows only works whose every creator consented to online publication, "
            "credited as each person chose."
        ),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LENGTH,
        validators=[no_control_characters_multiline],
    )
