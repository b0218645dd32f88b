"""The technical administration (system administrators).

Every write here that concerns access is audited in the transaction of the admin's page:
roles go through the services (a role the administrator gives himself needs a written
reason: break-glass access, shown to the programme's heads); passwords, the active flag,
administration rights and two-factor devices are audited where they are saved
(:mod:`isa.core.signals`), since Django's and django-otp's own forms save them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from isa.core import services
from isa.core.models import Membership, Organisation, Programme, Role, User

SELF_GRANT_REASON = _(
    "You are giving this role to yourself: say why. The heads of the programme will read it."
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ()

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        services.user_delete(user=obj, actor=request.actor)  # type: ignore[attr-defined]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_delete(user=user, actor=request.actor)  # type: ignore[attr-defined]


class MembershipInlineForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        help_text=_("Required when you give a role to yourself (break-glass access)."),
    )

    class Meta:
        model = Membership
        fields = ["user", "role"]

    def __init__(self, *args: Any, acting_user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user

    def grants(self) -> bool:
        """Whether saving this row gives someone a role (a new row, another holder or role)."""
        if self.cleaned_data.get("DELETE"):
            return False
        return self.instance.pk is None or bool({"user", "role"} & set(self.changed_data))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user = data.get("user")
        if (
            user is not None
            and self.acting_user is not None
            and user.pk == self.acting_user.pk
            and self.grants()
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", SELF_GRANT_REASON)
        return data


class MembershipInlineFormSet(BaseInlineFormSet):
    acting_user: User | None = None

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "acting_user": self.acting_user}

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        had_head = Membership.objects.filter(programme=self.instance, role=Role.HEAD).exists()
        keeps_head = any(
            f.cleaned_data.get("role") == Role.HEAD and not f.cleaned_data.get("DELETE")
            for f in self.forms
            if f.cleaned_data
        )
        if had_head and not keeps_head:
            raise forms.ValidationError(_("A programme keeps at least one head."))


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipInlineForm
    formset = MembershipInlineFormSet
    fk_name = "programme"
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_at", "granted_by"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.acting_user = request.user  # a class made for this request
        return formset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "place", "capacity"]
    list_filter = ["organisation"]
    search_fields = ["name", "place"]
    inlines = [MembershipInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Roles change through the services, so that each is audited (and a role one gives
        oneself is break-glass access); grants first, so a programme never lacks a head."""
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        programme = form.instance
        actor = request.actor  # type: ignore[attr-defined]
        # What Django's change message reads (ModelAdmin.construct_change_message).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed() or not row.grants():
                continue
            data = row.cleaned_data
            if row.instance.pk is None:
                membership = services.membership_grant(
                    programme=programme,
                    user=data["user"],
                    role=data["role"],
                    actor=actor,
                    reason=data.get("reason", ""),
                )
                formset.new_objects.append(membership)
            else:
                membership = services.membership_change(
                    membership=row.instance,
                    user=data["user"],
                    role=data["role"],
                    actor=actor,
                    reason=data.get("reason", ""),
                )
                changed = [f for f in row.changed_data if f in ("user", "role")]
                formset.changed_objects.append((membership, changed))
        for row in formset.deleted_forms:
            membership = Membership.objects.filter(pk=row.instance.pk).first()
            if membership is not None:
                services.membership_revoke(membership=membership, actor=actor)
                formset.deleted_objects.append(membership)

    def delete_model(self, request: HttpRequest, obj: Programme) -> None:
        services.programme_delete(programme=obj, actor=request.actor)  # type: ignore[attr-defined]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Programme]) -> None:
        for programme in queryset:
            services.programme_delete(programme=programme, actor=request.actor)  # type: ignore[attr-defined]


# The audit log and break-glass accesses are not in the technical admin: system
# administrators see no personal data, heads read the log of their programme and acknowledge
# break-glass accesses on its pages.
