"""Who may reach which participant, and which parts of a file (SECURITY.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from isa.core.access import get_programme_for_user, pk_or_404
from isa.core.models import TEAM_ROLES, AnyUser, Programme, Role
from isa.people.models import CONTACT_ROLES, FILE_EDITOR_ROLES, Participant, Referral


@dataclass(frozen=True)
class FileRights:
    """What one user may see and do on the files of one programme."""

    roles: frozenset[str]

    @property
    def contact(self) -> bool:
        """Phone, e-mail, postal address: the watcher needs them to reach out."""
        return bool(self.roles & CONTACT_ROLES)

    @property
    def administrative(self) -> bool:
        """AVS number, social-aid reference, birth date in full."""
        return bool(self.roles & FILE_EDITOR_ROLES)

    @property
    def edit(self) -> bool:
        return bool(self.roles & FILE_EDITOR_ROLES)

    @property
    def consents(self) -> bool:
        return bool(self.roles & FILE_EDITOR_ROLES)

    @property
    def admit(self) -> bool:
        return bool(self.roles & FILE_EDITOR_ROLES)

    @property
    def never_admitted(self) -> bool:
        """The files of people only referred so far (waiting, or never taken up): they are
        referrals, for those who handle them.  The rest of the team meets a person once
        they are admitted."""
        return bool(self.roles & FILE_EDITOR_ROLES)

    @property
    def override_capacity(self) -> bool:
        return Role.HEAD in self.roles

    @property
    def milestones(self) -> bool:
        return bool(self.roles & TEAM_ROLES)

    @property
    def import_files(self) -> bool:
        return Role.HEAD in self.roles


def rights_for(user: AnyUser, programme: Programme | int) -> FileRights:
    return FileRights(user.roles_on(programme) if user.is_authenticated else frozenset())


def get_participant_for_user(
    request: HttpRequest,
    programme_id: int,
    participant_id: int,
    *,
    roles: Iterable[str] = TEAM_ROLES,
) -> tuple[Participant, FileRights]:
    """The participant if ``request.user`` is on the team of its programme, else 404;
    404 too for the file of someone never admitted, unless the user handles referrals
    (``FileRights.never_admitted``); a team member without one of ``roles`` gets 403."""
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    participant = get_participant_in_programme(request, programme, participant_id)
    rights = rights_for(request.user, programme)
    if participant.accompanied_since is None and not rights.never_admitted:
        raise Http404
    if not rights.roles & set(roles):
        raise PermissionDenied
    return participant, rights


def get_participant_in_programme(
    request: HttpRequest, programme: Programme, participant_id: object
) -> Participant:
    """A participant of ``programme`` (which the caller reached with
    ``get_programme_for_user``) whom ``request.user`` sees, else 404.  The id may come
    from a form: the register's and the kiosk's taps."""
    participant = (
        Participant.objects.visible_to(request.user)
        .filter(programme=programme, pk=pk_or_404(participant_id))
        .select_related("programme__organisation")
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def get_referral_for_user(request: HttpRequest, programme_id: int, referral_id: int) -> Referral:
    get_programme_for_user(request, programme_id)
    referral = (
        Referral.objects.visible_to(request.user)
        .filter(participant__programme_id=programme_id, pk=referral_id)
        .select_related("participant")
        .first()
    )
    if referral is None:
        raise Http404
    return referral
