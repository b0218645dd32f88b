"""Who acts, from where, through what: the one argument every service takes instead of a request.

A service is called from a page, from the HTTP API, from a scheduled command and (soon) from a
participant's own space.  None of those should need an :class:`~django.http.HttpRequest` to
say who is acting, so services take an :class:`Actor`, built once per request by
:class:`isa.core.middleware.ActorMiddleware` (``request.actor``), once per run by a command
(:meth:`Actor.job`), or by a test (:meth:`Actor.of`).

The audit log records the actor's user (or participant), address and channel.

Code that Django or a library runs for us (the admin's password form, ``changepassword``,
django-otp's device admin) cannot be handed an actor; the audit of those writes
(:mod:`isa.core.signals`) reads the actor of the current request or command from
:func:`current_actor`, set by :func:`acting`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest

    from isa.core.models import Programme, User


class Channel(models.TextChoices):
    """Through what an action reached the application."""

    WEB = "web", _("web page")
    API = "api", _("API")
    JOB = "job", _("scheduled task")
    PORTAL = "portal", _("participant's space")


@dataclass(frozen=True, slots=True)
class Actor:
    """The principal of one action: a signed-in user, a participant (portal), or a job.

    ``user`` is ``None`` for a scheduled job or an anonymous visitor (a kiosk tap, a public
    page).  ``participant_id`` names the participant acting in their own space.  ``name``
    labels a job in the audit log (``"isa watch"``).
    """

    user: User | None = None
    ip: str | None = None
    channel: str = Channel.WEB
    participant_id: int | None = None
    name: str = ""

    # -- construction --------------------------------------------------------------------

    @classmethod
    def from_request(cls, request: HttpRequest, *, channel: str = Channel.WEB) -> Actor:
        """The actor of a request: its signed-in user (if any) and client address."""
        from isa.core.access import client_ip

        user = getattr(request, "user", None)
        return cls(
            user=user if user is not None and user.is_authenticated else None,
            ip=client_ip(request),
            channel=channel,
        )

    @classmethod
    def of(cls, user: User | None, *, channel: str = Channel.WEB, ip: str | None = None) -> Actor:
        """An actor for ``user`` outside a request (tests, the demo, an interactive shell)."""
        return cls(user=user, ip=ip, channel=channel)

    @classmethod
    def job(cls, name: str, *, user: User | None = None) -> Actor:
        """The actor of a scheduled command (``isa watch``, ``generate-sessions``…)."""
        return cls(user=user, channel=Channel.JOB, name=name)

    # -- reading -------------------------------------------------------------------------

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def label(self) -> str:
        """What the audit log shows as the actor."""
        if self.participant_id is not None:  # in their own space, under a portal account
            return f"participant #{self.participant_id}"
        if self.user is not None:
            return self.user.email
        return self.name

    def has_role(self, programme: Programme | int, roles: Iterable[str]) -> bool:
        """Whether the acting user holds one of ``roles`` on ``programme``; a job or an
        anonymous visitor holds none."""
        return self.user is not None and self.user.has_role(programme, roles)

    def signed_in_user(self) -> User:
        """The acting user, for what only a person can do (write an entry as its author, log
        an outreach): a job or an anonymous visitor is refused (``PermissionDenied``)."""
        if self.user is None:
            raise PermissionDenied
        return self.user

    def __str__(self) -> str:
        return f"{self.label or '-'} ({self.channel})"


_current: ContextVar[Actor | None] = ContextVar("isa_actor", default=None)


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    """Make ``actor`` the :func:`current_actor` for the duration of a request or command."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def current_actor() -> Actor:
    """Who acts now: the request's or command's actor, or an unnamed job (a shell, a test)."""
    return _current.get() or Actor.job("system")
