"""The forms' renderer: Django's own templates, with the drop-down written in Python.

Django renders a ``<select>`` through three templates, ``select.html``, then
``select_option.html`` and ``attrs.html`` for each option: the participant file's two small
forms (a moment's kind, the check-in symbol) cost 88 template renderings per request, about
a tenth of the page's time.  :class:`FormRenderer` writes the same markup, byte for byte
(``tests/core/test_renderers.py`` compares it with Django's on generated choices, groups,
values and attributes, and on the file's two forms), and hands every other template, and
any select whose options use another template, to Django.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from isa.core.text import escaped

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """``{{ value }}`` in a template: localised, then escaped unless marked safe."""
    return escaped(localize(value))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe (as ``str`` of a
    ``SafeString`` does)."""
    return escaped(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict[str, Any]) -> str | None:
    """The markup of ``select.html`` for a widget's context, or None when an option uses a
    template of its own (left to Django)."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """``settings.FORM_RENDERER``: Django's templates, the drop-down in Python."""

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> SafeString | str:
        if template_name == SELECT:
            html = select_html(context["widget"])
            if html is not None:
                return mark_safe(html)
        return super().render(template_name, context, request)
