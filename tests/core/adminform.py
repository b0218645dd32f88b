"""Submitting Django admin pages from a test: the page's own form, with changes."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm, MultiWidget
from django.http import HttpResponse


def _form_data(form: BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()  # already prepared for display
        if isinstance(field.widget, MultiWidget):  # a date and a time, say
            parts = value if isinstance(value, list) else field.widget.decompress(value)
            for suffix, part in zip(field.widget.widgets_names, parts, strict=True):
                data[f"{key}{suffix}"] = "" if part is None else part
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = "" if value is None else value
    return data


def page_data(response: HttpResponse) -> dict[str, Any]:
    """What the admin's add or change page would post back untouched."""
    assert response.status_code == 200, response.status_code
    data = _form_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def inline_row(prefix: str, index: int, **fields: Any) -> dict[str, Any]:
    return {f"{prefix}-{index}-{name}": value for name, value in fields.items()}
