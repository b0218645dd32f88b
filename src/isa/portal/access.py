"""Access in the participant's space: who is a participant, and what is theirs.

A participant reaches only their own space, and only their own things in it: every other id
is a 404, as for the team outside their programmes.  A team member never acts as a
participant: the space is a 404 for every account that is not a participant's.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from isa.core.access import client_ip
from isa.core.actor import Actor, Channel
from isa.core.models import Role, User
from isa.people.access import get_participant_for_user
from isa.people.models import Participant
from isa.portal.models import CorrectionRequest, ParticipantAccess, is_portal_email
from isa.works.models import Work, WorkImage

#: Who creates, re-invites and disables a participant's access, and answers their requests.
ACCESS_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER})

_CACHE = "_isa_portal_access"


def is_portal_user(user: Any) -> bool:
    """Whether ``user`` is a participant's account (no query: its address says so)."""
    return bool(user is not None and user.is_authenticated and is_portal_email(user.email))


def get_own_access(request: HttpRequest) -> ParticipantAccess:
    """The signed-in participant's access (with their file and programme), else 404: a team
    member, a disabled access, an anonymous visitor."""
    cached: ParticipantAccess | None = getattr(request, _CACHE, None)
    if cached is not None:
        return cached
    user = request.user
    if not isinstance(user, User) or not is_portal_user(user):
        raise Http404
    access = (
        ParticipantAccess.objects.active()
        .select_related("participant__programme__organisation", "user")
        .filter(user=user)
        .first()
    )
    if access is None:
        raise Http404
    setattr(request, _CACHE, access)
    return access


def get_own_participant(request: HttpRequest) -> Participant:
    return get_own_access(request).participant


def portal_actor(request: HttpRequest) -> Actor:
    """The participant acting in their own space: their account, their file, channel portal."""
    access = get_own_access(request)
    return Actor(
        user=access.user,
        ip=client_ip(request),
        channel=Channel.PORTAL,
        participant_id=access.participant_id,
    )


def get_own_work(request: HttpRequest, work_id: int) -> Work:
    """One of the participant's works, else 404 (another person's work, or none)."""
    work = Work.objects.by(get_own_participant(request)).filter(pk=work_id).first()
    if work is None:
        raise Http404
    return work


def get_own_image(request: HttpRequest, image_id: int) -> WorkImage:
    image = (
        WorkImage.objects.filter(work__creators=get_own_participant(request), pk=image_id)
        .select_related("work")
        .first()
    )
    if image is None:
        raise Http404
    return image


# -- the team's side ---------------------------------------------------------------------------


def get_participant_for_access_admin(
    request: HttpRequest, programme_id: int, participant_id: int
) -> Participant:
    """A participant of a programme where the user is head or social worker (404 outside,
    403 for other roles)."""
    participant, _rights = get_participant_for_user(
        request, programme_id, participant_id, roles=ACCESS_ROLES
    )
    return participant


def get_correction_for_team(
    request: HttpRequest, programme_id: int, participant_id: int, correction_id: int
) -> CorrectionRequest:
    participant = get_participant_for_access_admin(request, programme_id, participant_id)
    correction = CorrectionRequest.objects.filter(participant=participant, pk=correction_id).first()
    if correction is None:
        raise Http404
    return correction
