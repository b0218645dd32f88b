"""The journal: who reads what, corrections that keep the earlier wording, search."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from isa.core.models import AuditAction, AuditEvent
from isa.journal import services
from isa.journal.models import Entry, EntryVersion, Visibility
from tests.conftest import Cast


def write(
    cast: Cast, text: str, visibility: str = "team", who: str = "social_worker", **kw
) -> Entry:
    return services.entry_write(
        programme=cast.programme,
        participants=[cast.participant],
        actor=cast.actor(who),
        written_on=kw.pop("on", date(2024, 5, 6)),
        kind=kw.pop("kind", "observation"),
        tags=kw.pop("tags", []),
        posture=kw.pop("posture", "social_worker"),
        visibility=visibility,
        text=text,
    )


def list_url(cast: Cast) -> str:
    return reverse("journal_list", args=[cast.programme.pk])


@pytest.mark.parametrize(
    ("who", "sees_restricted"),
    [("head", True), ("social_worker", True), ("facilitator", False), ("watcher", False)],
)
def test_restricted_entries_reach_social_workers_and_the_head_only(
    cast: Cast, who, sees_restricted
):
    restricted = write(cast, "Parle de ses dettes.", visibility=Visibility.RESTRICTED)
    response = cast.client(who).get(list_url(cast))
    assert (restricted in list(response.context["page"])) is sees_restricted
    detail = cast.client(who).get(restricted.get_absolute_url())
    assert detail.status_code == (200 if sees_restricted else 404)
    file_page = cast.client(who).get(cast.participant.get_absolute_url())
    assert ("Parle de ses dettes." in file_page.content.decode()) is sees_restricted


def test_a_facilitator_cannot_choose_restricted(cast: Cast):
    response = cast.client("facilitator").post(
        reverse("entry_create", args=[cast.programme.pk]),
        {
            "participants": [cast.participant.pk],
            "written_on": "2024-05-06",
            "kind": "observation",
            "posture": "facilitator",
            "visibility": "restricted",
            "text": "Texte.",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["visibility"]
    assert not Entry.objects.filter(text="Texte.").exists()


def test_writing_an_entry_with_a_judgemental_word_is_never_blocked(cast: Cast):
    response = cast.client("facilitator").post(
        reverse("entry_create", args=[cast.programme.pk]),
        {
            "participants": [cast.participant.pk],
            "written_on": "2024-05-06",
            "kind": "observation",
            "posture": "facilitator",
            "visibility": "team",
            "text": "Il est paresseux aujourd'hui.",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(text="Il est paresseux aujourd'hui.")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="journal.entry", object_id=str(entry.pk)
    ).exists()


def test_the_writing_aid_answers_with_suggestions(cast: Cast):
    response = cast.client("watcher").post(
        reverse("writing_aid", args=[cast.programme.pk]),
        {"text": "Il est paresseux."},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "<mark>paresseux</mark>" in response.content.decode()


def test_the_writing_aid_explains_in_the_interface_language_even_for_a_french_text(cast: Cast):
    text = "Il est paresseux et son dessin est nul ; il arrive toujours en retard à l'atelier."
    for language, reason, suggestion, other in [
        ("de", "Etikett: reduziert die Person", "Beschreiben Sie", "Étiquette"),
        ("en", "Label: reduces the person", "Describe what you saw", "Étiquette"),
        ("fr", "Étiquette : réduit la personne", "Décrivez ce que vous avez observé", "Etikett"),
    ]:
        body = (
            cast.client("watcher")
            .post(
                reverse("writing_aid", args=[cast.programme.pk]),
                {"text": text},
                HTTP_ACCEPT_LANGUAGE=language,
            )
            .content.decode()
        )
        assert "<mark>paresseux</mark>" in body
        assert "<mark>son dessin est nul</mark>" in body
        assert reason in body, language
        assert suggestion in body, language
        assert other not in body, language


def test_the_writing_aid_checks_a_short_text_against_every_language(cast: Cast):
    # A few German words typed in a French interface: not guessed as French.
    response = cast.client("watcher").post(
        reverse("writing_aid", args=[cast.programme.pk]),
        {"text": "eine drogensüchtige Frau"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    body = response.content.decode()
    assert "<mark>drogensüchtige Frau</mark>" in body
    assert "une personne vivant avec une schizophrénie" in body


def test_html_in_an_entry_is_shown_as_text(cast: Cast):
    entry = write(cast, '<script>alert("x")</script><b>gras</b>')
    body = cast.client("head").get(entry.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body


def test_a_correction_keeps_the_earlier_wording_for_the_head(cast: Cast):
    entry = write(cast, "Premier texte.")
    services.entry_correct(
        entry=entry,
        expected_version=1,
        participants=[cast.participant],
        kind="observation",
        tags=[],
        visibility="team",
        text="Texte corrigé.",
        actor=cast.actor("social_worker"),
    )
    entry.refresh_from_db()
    assert (entry.text, entry.version) == ("Texte corrigé.", 2)
    version = EntryVersion.objects.get(entry=entry)
    assert (version.number, version.text) == (1, "Premier texte.")
    head_page = cast.client("head").get(entry.get_absolute_url())
    assert "Premier texte." in head_page.content.decode()
    facilitator_page = cast.client("facilitator").get(entry.get_absolute_url())
    assert "Premier texte." not in facilitator_page.content.decode()


def test_a_stale_correction_is_refused(cast: Cast):
    entry = write(cast, "Premier texte.")
    kwargs = {
        "participants": [cast.participant],
        "kind": "observation",
        "tags": [],
        "visibility": "team",
        "actor": cast.actor("social_worker"),
    }
    services.entry_correct(entry=entry, expected_version=1, text="Deuxième.", **kwargs)
    with pytest.raises(services.StaleEntry):
        services.entry_correct(entry=entry, expected_version=1, text="Troisième.", **kwargs)
    assert Entry.objects.get(pk=entry.pk).text == "Deuxième."


def test_only_the_author_or_the_head_corrects(cast: Cast):
    entry = write(cast, "Texte.", who="watcher", posture="watcher")
    url = reverse("entry_correct", args=[cast.programme.pk, entry.pk])
    assert cast.client("facilitator").get(url).status_code == 403
    assert cast.client("watcher").get(url).status_code == 200
    assert cast.client("head").get(url).status_code == 200


def test_an_entry_about_someone_of_another_programme_is_refused(cast: Cast):
    with pytest.raises(ValidationError):
        services.entry_write(
            programme=cast.programme,
            participants=[cast.foreign_participant],
            actor=cast.actor("social_worker"),
            written_on=date(2024, 5, 6),
            kind="observation",
            tags=[],
            posture="social_worker",
            visibility="team",
            text="Texte.",
        )
    response = cast.client("social_worker").post(
        reverse("entry_create", args=[cast.programme.pk]),
        {
            "participants": [cast.foreign_participant.pk],
            "written_on": "2024-05-06",
            "kind": "observation",
            "posture": "social_worker",
            "visibility": "team",
            "text": "T.",
        },
    )
    assert response.status_code == 400


def test_search_ignores_accents_and_respects_visibility(cast: Cast):
    write(cast, "Il a parlé de son rêve de voyage.")
    write(cast, "Rêve confié en entretien.", visibility=Visibility.RESTRICTED)
    team = cast.client("facilitator").get(list_url(cast), {"q": "reve"})
    assert [e.text for e in team.context["page"]] == ["Il a parlé de son rêve de voyage."]
    social = cast.client("social_worker").get(list_url(cast), {"q": "reve"})
    assert len(list(social.context["page"])) == 2


def test_filter_by_kind_and_tag(cast: Cast):
    write(cast, "Un petit pas.", kind="small_step", tags=["rechauffer"])
    write(cast, "Une inquiétude.", kind="concern", tags=["contenir"])
    client = cast.client("head")
    assert [e.text for e in client.get(list_url(cast), {"kind": "concern"}).context["page"]] == [
        "Une inquiétude."
    ]
    tagged = [e.text for e in client.get(list_url(cast), {"tag": "contenir"}).context["page"]]
    assert tagged == ["Une inquiétude."]


def test_the_journal_list_query_count_is_constant(cast: Cast, django_assert_max_num_queries):
    client = cast.client("head")
    client.get(list_url(cast))
    with django_assert_max_num_queries(20) as few:
        client.get(list_url(cast))
    for i in range(20):
        write(cast, f"Entrée {i}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(list_url(cast))


def test_entries_are_on_the_timeline(cast: Cast):
    response = cast.client("facilitator").get(cast.participant.get_absolute_url())
    kinds = [item.kind for item in response.context["timeline"]]
    assert "journal-small_step" in kinds
