"""Forms of the set-up pages (heads only): workshops and their weekly recurrences, the
generation of sessions, closure days and media."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.forms import ModelMultipleChoiceField
from isa.core.models import TEAM_ROLES, Programme, User
from isa.presence.models import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    ClosureDay,
    Medium,
    Recurrence,
    Workshop,
    recurrence_problems,
)
from isa.presence.services import RecurrenceRow

#: Recurrences of one workshop: every half-day of the week at most.
MAX_RECURRENCES = 14


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """A plain text box for "09:30": as large as the other fields on a tablet (the
    browsers' time pickers are small and differ from one to the other)."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {"inputmode": "numeric", "placeholder": "hh:mm", "maxlength": 5, **(attrs or {})}
        super().__init__(attrs=attrs, format="%H:%M")


def team_members(programme: Programme) -> QuerySet[User]:
    """Users holding a team role on the programme: the people who may facilitate."""
    return (
        User.objects.filter(
            memberships__programme=programme, memberships__role__in=list(TEAM_ROLES)
        )
        .distinct()
        .order_by("full_name", "email")
    )


# -- workshops ---------------------------------------------------------------------------------


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "media", "facilitators", "room", "capacity", "active"]
        field_classes = {
            "media": ModelMultipleChoiceField,
            "facilitators": ModelMultipleChoiceField,
        }
        widgets = {
            "media": forms.CheckboxSelectMultiple,
            "facilitators": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "capacity": _("Optional: how many people the room welcomes."),
            "active": _("An inactive workshop gets no new sessions; its history stays."),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        # The media in use for this programme, plus those the workshop already has (a
        # medium set aside later stays on the workshops that used it).
        current = self.instance.media.all() if self.instance.pk else Medium.objects.none()
        self.fields["media"].queryset = (
            Medium.objects.filter(
                Q(organisation__isnull=True) | Q(organisation_id=programme.organisation_id)
            )
            .filter(Q(active=True) | Q(pk__in=current.values("pk")))
            .order_by("order", "code")
        )
        self.fields["media"].label_from_instance = lambda medium: medium.label
        self.fields["facilitators"].queryset = team_members(programme)
        self.fields["facilitators"].help_text = _("Members of the team of this programme.")
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["capacity"].validators.append(_min_one)

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


def _min_one(value: int | None) -> None:
    if value is not None and value < 1:
        raise forms.ValidationError(_("Leave empty, or give at least one place."))


class RecurrenceForm(forms.ModelForm):
    class Meta:
        model = Recurrence
        fields = ["weekday", "part", "starts_on", "ends_on", "start_time", "end_time"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
        }
        help_texts = {
            "ends_on": _("Optional: leave empty while the workshop goes on."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problems = recurrence_problems(
            part=data.get("part"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            start_time=data.get("start_time"),
            end_time=data.get("end_time"),
        )
        for field, problem in problems.items():
            self.add_error(field, problem)
        return data


class BaseRecurrenceFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this recurrence")
        if index is not None and index >= self.initial_form_count():
            form.fields["starts_on"].initial = timezone.localdate

    def clean(self) -> None:
        super().clean()
        counts = self.management_form.cleaned_data
        if min(counts.get(TOTAL_FORM_COUNT, 0), counts.get(INITIAL_FORM_COUNT, 0)) < 0:
            raise forms.ValidationError(
                _("The form arrived incomplete: please open the page again."), code="counts"
            )
        seen: set[tuple[int, str]] = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            weekday = form.cleaned_data.get("weekday")
            part = form.cleaned_data.get("part")
            if weekday is None or not part:
                continue
            if (weekday, part) in seen:
                form.add_error(
                    "weekday",
                    _("This workshop already has a recurrence on this weekday and half-day."),
                )
            seen.add((weekday, part))

    def rows(self) -> list[RecurrenceRow]:
        """The recurrences the workshop keeps, as the services take them (after
        ``is_valid()``): the rows left empty and those marked for removal are left out."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            rows.append(
                RecurrenceRow(
                    pk=form.instance.pk,
                    weekday=data["weekday"],
                    part=data["part"],
                    starts_on=data["starts_on"],
                    ends_on=data.get("ends_on"),
                    start_time=data.get("start_time"),
                    end_time=data.get("end_time"),
                )
            )
        return rows


RecurrenceFormSet = forms.inlineformset_factory(
    Workshop,
    Recurrence,
    form=RecurrenceForm,
    formset=BaseRecurrenceFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    # Seven weekdays, morning and afternoon: more forms than that is no workshop's week.
    max_num=MAX_RECURRENCES,
    absolute_max=MAX_RECURRENCES,
    validate_max=True,
)


# -- sessions, closure days, media -------------------------------------------------------------


class GenerateForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Weeks ahead"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=DEFAULT_WEEKS,
        help_text=_("Sessions are created from today; existing ones are kept."),
    )


class ClosureForm(forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ["on", "reason"]
        widgets = {"on": DateInput()}
        help_texts = {"reason": _("Optional, e.g. public holiday, team training.")}


class MediumForm(forms.ModelForm):
    class Meta:
        model = Medium
        fields = ["code", "name_fr", "name_de", "name_en"]
        help_texts = {
            "code": _(
                "A short identifier: lower-case letters, digits and hyphens (e.g. ceramics)."
            ),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        for name in ("name_fr", "name_de", "name_en"):
            self.fields[name].required = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        clash = Medium.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id=self.programme.organisation_id),
            code=code,
        )
        if clash.exists():
            raise forms.ValidationError(_("This code is already used by another medium."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("name_fr", "name_de", "name_en"):
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        return data
