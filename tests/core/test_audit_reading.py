"""The audit log a head can read: sentences in the reader's language, the person concerned
by name, details in words, filters, the team's failed sign-ins, and an audited CSV export."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from isa.core.models import AuditAction, AuditEvent, User
from isa.core.services import audit_record
from isa.presence.services import presence_mark
from tests.conftest import Cast

LOGIN = "/accounts/login/"


def read_log(cast: Cast, language: str = "fr", **filters: str):
    client = cast.client("head")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("audit_log", args=[cast.programme.pk]), filters)
    assert response.status_code == 200, response.context["form"].errors
    return response


def sentences(response) -> list[str]:
    return [line.sentence for line in response.context["lines"]]


def read_file(cast: Cast, who: str = "social_worker") -> None:
    url = reverse("participant", args=[cast.programme.pk, cast.participant.pk])
    assert cast.client(who).get(url).status_code == 200


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Social Worker a lu le dossier de Jean-Marc Zufferey"),
        ("de", "Social Worker hat das Dossier von Jean-Marc Zufferey gelesen"),
        ("en", "Social Worker read the file of Jean-Marc Zufferey"),
    ],
)
def test_each_event_is_a_sentence_in_the_readers_language(cast: Cast, language, expected):
    read_file(cast)
    assert expected in sentences(read_log(cast, language))


def test_a_presence_names_the_person_it_concerns(cast: Cast):
    presence_mark(
        session=cast.session, participant=cast.participant, actor=cast.actor("facilitator")
    )
    response = read_log(cast)
    (line,) = [x for x in response.context["lines"] if x.event.object_type == "presence.presence"]
    assert line.sentence == "Facilitator a enregistré la présence de Jean-Marc Zufferey"
    assert line.person == "Jean-Marc Zufferey"
    assert "Jean-Marc Zufferey" in response.content.decode()


def test_details_are_words_not_codes(cast: Cast):
    read_log(cast, action="export")
    page = read_log(cast).content.decode()
    assert "filters: {}" not in page and "{}" not in page
    assert "people.participant" not in page and "#" + str(cast.participant.pk) not in page
    assert "filtre action : Exporté" in page


def test_a_person_of_another_programme_is_not_named(cast: Cast):
    audit_record(
        action=AuditAction.VIEW,
        actor=cast.actor("head"),
        obj=cast.foreign_participant,
        programme=cast.programme,
    )
    page = read_log(cast).content.decode()
    assert "Imboden" not in page
    assert "une personne qui n’est pas montrée ici" in page


def test_the_log_filters_by_person_concerned(cast: Cast):
    read_file(cast)
    presence_mark(
        session=cast.session, participant=cast.participant, actor=cast.actor("facilitator")
    )
    other = cast.referral  # the same person: found through the referral's detail
    assert other is not None
    response = read_log(cast, person="zuffe")
    lines = response.context["lines"]
    assert lines and all(line.person == "Jean-Marc Zufferey" for line in lines)
    kinds = {line.event.object_type for line in lines}
    assert {"people.participant", "presence.presence", "journal.entry"} <= kinds
    assert read_log(cast, person="Nobody-like-this").context["lines"] == []


def test_the_log_filters_by_member_of_the_team_by_name_or_email(cast: Cast):
    read_file(cast, "social_worker")
    read_file(cast, "facilitator")
    by_name = read_log(cast, actor="Social Work", object_type="participant", action="view")
    by_email = read_log(cast, actor="social_worker@", object_type="participant", action="view")
    for response in (by_name, by_email):
        assert {line.actor for line in response.context["lines"]} == {"Social Worker"}


def test_the_log_filters_by_period(cast: Cast, time_machine):
    time_machine.move_to("2026-03-02 09:00 +01:00", tick=False)
    read_file(cast)
    time_machine.move_to("2026-03-10 09:00 +01:00", tick=False)
    lines = read_log(cast, action="view", date_from="2026-03-01", date_to="2026-03-05").context[
        "lines"
    ]
    assert [line.event.action for line in lines] == [AuditAction.VIEW]
    assert lines[0].event.object_type == "people.participant"


def test_failed_sign_ins_and_lockouts_of_the_team_are_shown_to_its_head(cast: Cast, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "Facilitator@test.example", "password": "wrong-one"})
    Client().post(LOGIN, {"username": "stranger@test.example", "password": "wrong-one"})
    text = " ".join(sentences(read_log(cast, "en")))
    assert "Failed sign-in with the e-mail facilitator@test.example" in text
    assert "The account facilitator@test.example was locked" in text
    assert "stranger@test.example" not in text
    other = cast.client("other_head").get(reverse("audit_log", args=[cast.other_programme.pk]))
    assert "facilitator@test.example" not in other.content.decode()


def test_the_filtered_log_is_exported_as_an_audited_csv(cast: Cast):
    read_file(cast, "social_worker")
    read_file(cast, "facilitator")
    User.objects.filter(pk=cast.users["social_worker"].pk).update(full_name="=cmd|' /C calc'!A0")
    client = cast.client("head")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(
        reverse("audit_log_export", args=[cast.programme.pk]),
        {"action": "view", "object_type": "participant"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="isa-audit-')
    text = response.content.decode("utf-8-sig")
    rows = [row.split(";") for row in text.strip().split("\r\n")]
    assert rows[0][:4] == ["Time", "By", "Event", "Person concerned"]
    assert len(rows) == 3
    assert "Facilitator read the file of Jean-Marc Zufferey" in text
    assert "'=cmd" in text  # a name never runs as a formula
    export = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="core.auditevent")
    assert export.actor_id == cast.users["head"].pk
    assert export.detail["results"] == 2
    assert export.detail["filters"] == {"action": "view", "object_type": "participant"}


def test_the_words_typed_as_a_person_are_not_kept_in_the_log(cast: Cast):
    read_log(cast, person="Zufferey")
    event = AuditEvent.objects.filter(object_type="core.auditevent").latest("id")
    assert event.detail == {"filters": {"person": True}}


def test_the_log_in_words_has_a_constant_number_of_queries(
    cast: Cast, django_assert_max_num_queries
):
    def some_of_everything():
        read_file(cast)
        presence_mark(
            session=cast.session, participant=cast.participant, actor=cast.actor("facilitator")
        )
        url = reverse("journal_entry", args=[cast.programme.pk, cast.entry.pk])
        cast.client("social_worker").get(url)
        Client().post(LOGIN, {"username": "watcher@test.example", "password": "wrong-one"})

    some_of_everything()
    client = cast.client("head")
    url = reverse("audit_log", args=[cast.programme.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    queries = len(few)  # counted now: the next requests empty the log of queries
    for _ in range(12):
        some_of_everything()
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert len(response.context["lines"]) == 50
