"""Who may reach the privacy app's pages (SECURITY.md): the head for retention, anonymisation
and studies; a study's researchers for its exports.  404 outside one's programmes, 403
inside without the role."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from isa.core.access import get_programme_for_user, require_head
from isa.core.models import Programme, Role
from isa.people.access import get_participant_for_user
from isa.people.models import Participant
from isa.privacy.models import Study

#: Who reaches the list of studies: the head declares them, researchers export.
STUDY_ROLES = frozenset({Role.HEAD, Role.RESEARCHER})


def get_programme_for_head(request: HttpRequest, programme_id: int) -> Programme:
    return require_head(request, programme_id)


def get_participant_for_head(
    request: HttpRequest, programme_id: int, participant_id: int
) -> Participant:
    """A participant of a programme the user heads (404 outside, 403 for other roles)."""
    participant, _rights = get_participant_for_user(
        request, programme_id, participant_id, roles={Role.HEAD}
    )
    return participant


def get_programme_for_studies(request: HttpRequest, programme_id: int) -> Programme:
    return get_programme_for_user(request, programme_id, roles=STUDY_ROLES)


def get_programme_for_researcher(request: HttpRequest, programme_id: int) -> Programme:
    return get_programme_for_user(request, programme_id, roles={Role.RESEARCHER})


def get_study_for_researcher(request: HttpRequest, programme_id: int, study_id: int) -> Study:
    """A study of the programme of which ``request.user`` is a researcher, else 404 (403 for
    members without the researcher role)."""
    programme = get_programme_for_researcher(request, programme_id)
    study = (
        Study.objects.for_researcher(request.user)
        .filter(programme=programme, pk=study_id)
        .select_related("programme")
        .first()
    )
    if study is None:
        raise Http404
    return study
