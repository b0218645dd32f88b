from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from isa.presence.models import Medium
from isa.works.media_symbols import medium_svg

register = template.Library()


@register.simple_tag
def medium_symbol(medium: Medium | None, size: int = 64) -> SafeString:
    """``{% medium_symbol work.medium 64 %}``: see :func:`isa.works.media_symbols.medium_svg`."""
    return medium_svg(medium, size)
