"""Small helpers for words set inside a sentence, in three languages."""

from __future__ import annotations

from django.utils.translation import get_language


def mid_sentence(text: object) -> str:
    """A label placed inside a sentence: "Peinture" → "peinture" in French and English,
    but German nouns keep their capital ("Malerei")."""
    value = str(text)
    if (get_language() or "").startswith("de") or not value:
        return value
    return value[:1].lower() + value[1:]
