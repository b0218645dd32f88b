"""The personal API tokens: made and revoked from the account page, and a programme's tokens
for its heads (who may revoke any of them)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from isa.api import services
from isa.api.access import get_token_for_user
from isa.api.forms import TokenForm
from isa.api.models import ApiToken
from isa.core.access import require_head
from isa.core.forms import apply_service_errors
from isa.core.models import Role


def account_panel(request: Any) -> tuple[str, dict[str, Any]] | None:
    """On the account page: my tokens, and the form to make one (for a role holder)."""
    user = request.user
    if not user.roles_by_programme:
        return None
    tokens = ApiToken.objects.filter(user=user).select_related("programme")
    return "api/_account_panel.html", {"tokens": tokens, "form": TokenForm(user=user)}


def programme_panel(request: Any, programme: Any) -> tuple[str, dict[str, Any]] | None:
    """On the programme page, for its heads: how many tokens open the programme."""
    if Role.HEAD not in request.user.roles_on(programme):
        return None
    usable = ApiToken.objects.visible_to(request.user).filter(programme=programme).usable()
    return "api/_programme_panel.html", {"programme": programme, "usable": usable.count()}


@login_required
@require_POST
@never_cache
def token_create(request: HttpRequest) -> HttpResponse:
    """Make a token; its secret is shown on the answer, once, and never again."""
    form = TokenForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            token, secret = services.api_token_create(
                programme=form.cleaned_data["programme"],
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                actor=request.actor,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(request, "api/token_form.html", {"form": form}, status=400)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_token_for_user(request, token_id)
    services.api_token_revoke(token=token, actor=request.actor)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(target)
    return redirect("account")


@login_required
@require_GET
def programme_tokens(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Every token of the programme's team, for its heads: whose, until when, last used."""
    programme = require_head(request, programme_id)
    tokens = (
        ApiToken.objects.visible_to(request.user)
        .filter(programme=programme)
        .select_related("user")
        .order_by("revoked_at", "-created_at")
    )
    return render(request, "api/programme_tokens.html", {"programme": programme, "tokens": tokens})
