"""Who reaches which API token: its holder, and the heads of its programme; 404 otherwise."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from isa.api.models import ApiToken


def get_token_for_user(request: HttpRequest, token_id: int) -> ApiToken:
    """A token of ``request.user``'s own, or of a programme they head, else 404."""
    token = (
        ApiToken.objects.visible_to(request.user)
        .filter(pk=token_id)
        .select_related("programme", "user")
        .first()
    )
    if token is None:
        raise Http404
    return token
