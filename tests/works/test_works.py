"""Works for the team: create, read, change, images, filters, scope and query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from isa.core.models import AuditEvent
from isa.people.models import ConsentKind
from isa.works.models import Work, WorkImage
from tests.conftest import refer
from tests.works.helpers import (
    bomb_png,
    first_image,
    give,
    image_bytes,
    make_work,
    medium,
    newcomer,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def form_data(cast, **extra):
    return {
        "title": "Le Rhône en hiver",
        "medium": medium("painting").pk,
        "creators": [cast.participant.pk],
        "made_on": "2024-05-02",
        "technique": "aquarelle",
        "dimensions": "30 × 40 cm",
        "description": "",
        "text": "",
        "state": "finished",
        "alt_text": "Un fleuve gris entre des peupliers.",
        **extra,
    }


def test_a_facilitator_adds_a_work_with_its_first_image(cast):
    client = cast.client("facilitator")
    data = form_data(cast, image=SimpleUploadedFile("rhone.png", image_bytes(), "image/png"))
    response = client.post(reverse("work_create", args=[cast.programme.pk]), data)
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert list(work.creators.all()) == [cast.participant]
    assert work.state == "finished" and work.technique == "aquarelle"
    image = work.images.get()
    assert image.alt_text == "Un fleuve gris entre des peupliers."
    assert default_storage.exists(image.original.name)
    assert AuditEvent.objects.filter(object_type="works.work", action="create").exists()


def test_a_collective_work_has_several_creators(cast):
    other = newcomer(cast, "Mabillard", "Chantal")
    client = cast.client("head")
    data = form_data(cast, creators=[cast.participant.pk, other.pk])
    assert client.post(reverse("work_create", args=[cast.programme.pk]), data).status_code == 302
    assert set(Work.objects.get().creators.all()) == {cast.participant, other}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.jpg", b"<html><body>hello</body></html>"),
        ("shell.jpg", b"<?php echo 1; ?>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("anim.gif", image_bytes("GIF")),
        ("empty.jpg", b""),
    ],
)
def test_a_bad_file_refuses_the_whole_work_and_keeps_what_was_typed(cast, name, content):
    client = cast.client("facilitator")
    data = form_data(cast, image=SimpleUploadedFile(name, content, "image/jpeg"))
    response = client.post(reverse("work_create", args=[cast.programme.pk]), data, **EN)
    assert response.status_code == 400
    assert not Work.objects.exists() and not WorkImage.objects.exists()
    html = response.content.decode()
    assert "Le Rhône en hiver" in html and "aquarelle" in html
    assert "JPEG, PNG or WebP" in html or "empty" in html


def test_a_bomb_is_refused_with_a_message(cast):
    work = make_work(cast)
    client = cast.client("facilitator")
    response = client.post(
        reverse("work_image_add", args=[cast.programme.pk, work.pk]),
        {"image": SimpleUploadedFile("big.png", bomb_png(), "image/png"), "alt_text": "gros"},
        **EN,
    )
    assert response.status_code == 400
    assert "megapixels" in response.content.decode()
    assert 'value="gros"' in response.content.decode()
    assert not work.images.exists()


def test_someone_still_waiting_cannot_be_named_creator(cast):
    waiting = refer(cast.programme, cast.users["head"], "Mabillard", "Chantal").participant
    data = form_data(cast, creators=[waiting.pk])
    response = cast.client("head").post(reverse("work_create", args=[cast.programme.pk]), data)
    assert response.status_code == 400


def test_a_participant_of_another_organisation_cannot_be_named_creator(cast):
    client = cast.client("head")
    data = form_data(cast, creators=[cast.participant.pk, cast.foreign_participant.pk])
    response = client.post(reverse("work_create", args=[cast.programme.pk]), data)
    assert response.status_code == 400
    assert not Work.objects.exists()


def test_a_work_out_of_scope_is_404(cast):
    work = make_work(cast)
    other = cast.client("other_head")
    assert other.get(reverse("work_detail", args=[cast.programme.pk, work.pk])).status_code == 404
    url = reverse("work_detail", args=[cast.other_programme.pk, work.pk])
    assert other.get(url).status_code == 404
    # The foreign participant's portfolio, by our programme's path or theirs.
    for pid in (cast.programme.pk, cast.other_programme.pk):
        url = reverse("portfolio", args=[pid, cast.foreign_participant.pk])
        assert cast.client("head").get(url).status_code == 404


def test_an_image_of_another_programme_is_404(cast):
    work = make_work(cast, image=True)
    image = first_image(work)
    url = reverse("work_image", args=[cast.other_programme.pk, image.pk, "thumb"])
    assert cast.client("other_head").get(url).status_code == 404
    url = reverse("work_image", args=[cast.programme.pk, image.pk, "original"])
    assert cast.client("other_head").get(url).status_code == 404
    assert cast.client("anonymous").get(url).status_code == 302


def test_team_images_are_private_typed_and_nosniff(cast):
    image = first_image(make_work(cast, image=True))
    client = cast.client("watcher")
    for size, kind in (
        ("thumb", "image/jpeg"),
        ("display", "image/jpeg"),
        ("original", "image/png"),
    ):
        response = client.get(reverse("work_image", args=[cast.programme.pk, image.pk, size]))
        assert response.status_code == 200
        assert response["Content-Type"] == kind
        expected = "no-store" if size == "original" else "private, max-age=300"
        assert response["Cache-Control"] == expected
        assert response["X-Content-Type-Options"] == "nosniff"
    url = reverse("work_image", args=[cast.programme.pk, image.pk, "huge"])
    assert client.get(url).status_code == 404


def test_downloading_an_original_is_an_audited_export(cast):
    from isa.core.models import AuditEvent

    image = first_image(make_work(cast, image=True))
    client = cast.client("facilitator")
    client.get(reverse("work_image", args=[cast.programme.pk, image.pk, "thumb"]))
    assert not AuditEvent.objects.filter(action="export", detail__image=image.pk).exists()
    client.get(reverse("work_image", args=[cast.programme.pk, image.pk, "original"]))
    event = AuditEvent.objects.get(action="export", detail__image=image.pk)
    assert event.actor_id == cast.users["facilitator"].pk
    assert event.object_id == str(image.work_id)
    assert event.programme_id == cast.programme.pk


def test_the_work_page_is_audited_and_shows_the_missing_consent(cast):
    work = make_work(cast)
    response = cast.client("watcher").get(work.get_absolute_url(), **EN)
    html = response.content.decode()
    assert "Team only, not online: no consent to online publication from Jean-Marc Zufferey" in html
    assert "no consent to exhibit from Jean-Marc Zufferey" in html
    assert AuditEvent.objects.filter(
        action="view", object_type="works.work", object_id=str(work.pk)
    ).exists()
    give(cast.participant, ConsentKind.ONLINE, cast.users["head"])
    html = cast.client("watcher").get(work.get_absolute_url(), **EN).content.decode()
    assert "no consent to online publication" not in html


def test_edit_keeps_the_version_and_refuses_a_stale_form(cast):
    work = make_work(cast)
    client = cast.client("facilitator")
    url = reverse("work_edit", args=[cast.programme.pk, work.pk])
    data = form_data(cast, title="Le Rhône au printemps", version=work.version)
    assert client.post(url, data).status_code == 302
    work.refresh_from_db()
    assert work.title == "Le Rhône au printemps" and work.version == 2
    response = client.post(url, form_data(cast, title="Autre", version=1), **EN)
    assert response.status_code == 400
    assert "Someone else changed this work" in response.content.decode()


def test_a_watcher_sees_but_does_not_change(cast):
    work = make_work(cast)
    client = cast.client("watcher")
    assert client.get(work.get_absolute_url()).status_code == 200
    url = reverse("work_state", args=[cast.programme.pk, work.pk])
    assert client.post(url, {"state": "sold"}).status_code == 403
    work.refresh_from_db()
    assert work.state == "in_progress"


def test_state_changes(cast):
    work = make_work(cast)
    url = reverse("work_state", args=[cast.programme.pk, work.pk])
    assert cast.client("facilitator").post(url, {"state": "given"}).status_code == 302
    work.refresh_from_db()
    assert work.state == "given"


def test_a_date_to_come_is_refused(cast):
    data = form_data(cast, made_on="2999-01-01")
    response = cast.client("head").post(reverse("work_create", args=[cast.programme.pk]), data)
    assert response.status_code == 400


def test_images_are_reordered_described_and_deleted(cast):
    work = make_work(cast, image=True)
    from isa.works import services

    services.work_add_image(work=work, upload=image_bytes("JPEG"), actor=cast.actor("head"))
    first, second = work.images.order_by("order")
    client = cast.client("facilitator")
    edit = lambda image, **data: client.post(  # noqa: E731
        reverse("work_image_edit", args=[cast.programme.pk, work.pk, image.pk]), data
    )
    assert edit(second, action="up").status_code == 302
    assert list(work.images.order_by("order")) == [second, first]
    edit(first, action="save", alt_text="Détail du coin gauche.")
    first.refresh_from_db()
    assert first.alt_text == "Détail du coin gauche."
    names = [first.original.name, first.display.name, first.thumbnail.name]
    with TestCase.captureOnCommitCallbacks(execute=True):
        edit(first, action="delete")
    assert list(work.images.all()) == [second]
    assert not any(default_storage.exists(n) for n in names)


def test_an_image_of_another_work_cannot_be_edited_through_this_one(cast):
    work = make_work(cast, image=True)
    other = make_work(cast, title="Autre", image=True)
    url = reverse("work_image_edit", args=[cast.programme.pk, work.pk, first_image(other).pk])
    assert cast.client("head").post(url, {"action": "delete"}).status_code == 404
    assert other.images.exists()


def test_the_list_filters_by_medium_state_and_creator(cast):
    other = newcomer(cast, "Mabillard", "Chantal")
    make_work(cast, title="Toile", state="finished")
    make_work(cast, title="Buste", medium=medium("sculpture"), creators=[other])
    client = cast.client("watcher")
    url = reverse("work_list", args=[cast.programme.pk])
    html = client.get(url, {"medium": medium("sculpture").pk}).content.decode()
    assert "Buste" in html and "Toile" not in html
    html = client.get(url, {"state": "finished"}).content.decode()
    assert "Toile" in html and "Buste" not in html
    html = client.get(url, {"creator": other.pk}).content.decode()
    assert "Buste" in html and "Toile" not in html
    # A creator from another organisation is not a choice: the filter is ignored, no leak.
    assert client.get(url, {"creator": cast.foreign_participant.pk}).status_code == 200


def test_the_list_filters_by_a_creators_name_without_listing_everyone(cast):
    other = newcomer(cast, "Mabillard", "Chantal")
    make_work(cast, title="Toile")
    make_work(cast, title="Buste", medium=medium("sculpture"), creators=[other])
    make_work(cast, title="Fresque", creators=[cast.participant, other])
    client = cast.client("watcher")
    url = reverse("work_list", args=[cast.programme.pk])
    response = client.get(url, {"person": "mabil"})
    titles = sorted(w.title for w, _notes in response.context["rows"])
    assert titles == ["Buste", "Fresque"]  # each work once, the collective one included
    both = client.get(url, {"person": "chantal MABILLARD"}).context["rows"]
    assert sorted(w.title for w, _notes in both) == ["Buste", "Fresque"]
    # Nobody of another programme is found by name; no list of people in the page.
    assert client.get(url, {"person": "Imboden"}).context["rows"] == []
    html = client.get(url).content.decode()
    assert "Mabillard" not in html.split("<form", 1)[1].split("</form>", 1)[0]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_works(cast, n: int) -> None:
    other = refer(cast.programme, cast.users["head"], "Mabillard", f"Chantal{n}").participant
    for i in range(n):
        work = make_work(cast, title=f"Œuvre {i}", creators=[cast.participant, other])
        from isa.works import services

        services.work_add_image(work=work, upload=image_bytes(), actor=cast.actor("head"))


@pytest.mark.parametrize(
    "page",
    ["work_list", "portfolio", "gallery", "exhibition_detail", "participant"],
)
def test_pages_take_a_constant_number_of_queries(cast, page):
    from isa.works import services

    give(cast.participant, ConsentKind.ONLINE, cast.users["head"])
    services.gallery_settings_set(programme=cast.programme, enabled=True, actor=cast.actor("head"))
    exhibition = services.exhibition_create(
        programme=cast.programme,
        title="Expo",
        venue="Sion",
        starts_on=date(2024, 6, 1),
        actor=cast.actor("head"),
    )
    urls = {
        "work_list": reverse("work_list", args=[cast.programme.pk]),
        "portfolio": reverse("portfolio", args=[cast.programme.pk, cast.participant.pk]),
        "gallery": reverse("gallery", args=[cast.programme.pk]),
        "exhibition_detail": exhibition.get_absolute_url(),
        "participant": cast.participant.get_absolute_url(),
    }
    client = cast.client("anonymous" if page == "gallery" else "social_worker")

    def fill(n):
        add_works(cast, n)
        for work in Work.objects.exclude(exhibitions=exhibition):
            services.exhibition_add_work(exhibition=exhibition, work=work, actor=cast.actor("head"))
            give(
                work.creators.exclude(pk=cast.participant.pk).get(),
                ConsentKind.ONLINE,
                cast.users["head"],
            )

    fill(2)
    few = count_queries(client, urls[page])
    fill(9)
    many = count_queries(client, urls[page])
    assert many == few, f"{page}: {few} queries with 2 works, {many} with 11"
    assert few <= {"gallery": 8, "participant": 40}.get(page, 20)


def test_a_work_without_an_image_shows_the_symbol_of_its_medium(cast):
    """Not an empty box: a sculpture without a photo shows the sculpture's symbol."""
    make_work(cast, title="Buste", medium=medium("sculpture"))
    make_work(cast, title="Toile", image=True)
    client = cast.client("facilitator")
    pages = [
        reverse("work_list", args=[cast.programme.pk]),
        reverse("portfolio", args=[cast.programme.pk, cast.participant.pk]),
        reverse("participant", args=[cast.programme.pk, cast.participant.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert html.count('class="medium-symbol"') == 1, url
        assert 'data-medium="sculpture"' in html, url


def test_a_medium_of_the_organisation_gets_the_symbol_of_other(cast):
    from isa.presence.models import Medium
    from isa.works.media_symbols import medium_svg

    own = Medium.objects.create(
        organisation=cast.organisation,
        code="textile",
        name_fr="Textile",
        name_de="Textil",
        name_en="Textile",
    )
    assert 'data-medium="other"' in medium_svg(own)
    assert 'data-medium="painting"' in medium_svg(medium("painting"))
