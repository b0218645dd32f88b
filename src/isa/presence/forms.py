from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from isa.presence.symbols import symbol_choices


def _choices() -> list[tuple[str, str]]:
    return [("", str(_("none"))), *symbol_choices()]


class SymbolForm(forms.Form):
    symbol = forms.ChoiceField(
        label=_("Check-in symbol"),
        choices=_choices,  # a callable: names in the language of each request
        required=False,
        help_text=_("Chosen by the person, to find themselves on the kiosk without reading."),
    )
