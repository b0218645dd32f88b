"""Small helpers for words set inside a sentence, in three languages."""

from __future__ import annotations

import html

from django.utils.translation import get_language


def mid_sentence(text: object) -> str:
    """A label placed inside a sentence: "Peinture" → "peinture" in French and English,
    but German nouns keep their capital ("Malerei")."""
    value = str(text)
    if (get_language() or "").startswith("de") or not value:
        return value
    return value[:1].lower() + value[1:]


def escaped(value: object) -> str:
    """Django's ``conditional_escape`` (a safe string as it is, anything else escaped), the
    same text without its lazy-argument wrapper: the markup built in Python for hundreds of
    values per page (the file's timeline, the heat-map, the drop-downs; issue 17)."""
    html_of = getattr(value, "__html__", None)
    if html_of is not None:
        return str(html_of())
    return html.escape(str(value))
