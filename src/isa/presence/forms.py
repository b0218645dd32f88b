from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from isa.presence.symbols import CHOICES


class SymbolForm(forms.Form):
    symbol = forms.ChoiceField(
        label=_("Check-in symbol"),
        choices=[("", _("none")), *CHOICES],
        required=False,
        help_text=_("Chosen by the person, to find themselves on the kiosk without reading."),
    )
