"""Exhibitions, the catalogue and the portfolio (PDFs read back with pypdf), panels."""

from __future__ import annotations

import io
from datetime import date

from django.urls import reverse
from pypdf import PdfReader

from isa.core.models import AuditEvent
from isa.people.models import ConsentKind
from isa.works import services
from isa.works.models import Exhibition, ExhibitionWork
from tests.conftest import refer
from tests.works.helpers import give, make_work, medium, withdraw

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def exhibition(cast) -> Exhibition:
    return services.exhibition_create(
        programme=cast.programme,
        title="Couleurs du Valais",
        venue="Ferme-Asile, Sion",
        starts_on=date(2024, 6, 7),
        ends_on=date(2024, 6, 30),
        actor=cast.actor("facilitator"),
    )


def test_create_and_edit_an_exhibition(cast):
    client = cast.client("facilitator")
    data = {
        "title": "Regards",
        "venue": "Médiathèque Valais",
        "starts_on": "2024-09-01",
        "ends_on": "2024-08-01",
        "visitors": "",
    }
    url = reverse("exhibition_create", args=[cast.programme.pk])
    response = client.post(url, data, **EN)
    assert response.status_code == 400
    assert "The closing is before the opening." in response.content.decode()
    assert "Médiathèque Valais" in response.content.decode()
    data["ends_on"] = ""
    assert client.post(url, data).status_code == 302
    e = Exhibition.objects.get()
    assert e.ends_on is None
    edit = reverse("exhibition_edit", args=[cast.programme.pk, e.pk])
    data.update(visitors="412", version=e.version)
    assert client.post(edit, data).status_code == 302
    e.refresh_from_db()
    assert e.visitors == 412


def test_adding_a_work_without_consent_warns_and_keeps_it_out_of_the_catalogue(cast):
    e = exhibition(cast)
    consented = refer(cast.programme, cast.users["head"], "Mabillard", "Chantal").participant
    give(consented, ConsentKind.EXHIBITION, cast.users["head"])
    shown = make_work(cast, creators=[consented], title="Vigne dorée", image=True)
    hidden = make_work(cast, title="Sans accord")
    client = cast.client("facilitator")
    url = reverse("exhibition_works", args=[cast.programme.pk, e.pk])
    response = client.post(url, {"action": "add", "work": hidden.pk}, follow=True, **EN)
    html = response.content.decode()
    assert "has not given the consent to exhibit works" in html
    client.post(url, {"action": "add", "work": shown.pk})
    assert ExhibitionWork.objects.filter(exhibition=e).count() == 2
    html = client.get(e.get_absolute_url(), **EN).content.decode()
    assert "Not in the catalogue: no consent to exhibit from Jean-Marc Zufferey" in html
    assert "1 work is left out of the catalogue" in html

    services.credit_set(participant=consented, mode="full_name", actor=cast.actor("head"))
    text = pdf_text(client.get(reverse("exhibition_catalogue", args=[cast.programme.pk, e.pk])))
    assert "Couleurs du Valais" in text and "Ferme-Asile, Sion" in text
    assert "Vigne dorée" in text and "Chantal Mabillard" in text
    assert "Sans accord" not in text and "Zufferey" not in text
    assert AuditEvent.objects.filter(action="export", object_type="works.exhibition").exists()

    # Withdrawal: gone from the catalogue at once.
    withdraw(consented, ConsentKind.EXHIBITION, cast.users["social_worker"])
    text = pdf_text(client.get(reverse("exhibition_catalogue", args=[cast.programme.pk, e.pk])))
    assert "Vigne dorée" not in text
    assert "Couleurs du Valais" in text


def test_a_collective_work_needs_every_creators_consent(cast):
    e = exhibition(cast)
    other = refer(cast.programme, cast.users["head"], "Mabillard", "Chantal").participant
    give(other, ConsentKind.EXHIBITION, cast.users["head"])
    work = make_work(cast, creators=[cast.participant, other], title="Fresque commune")
    services.exhibition_add_work(exhibition=e, work=work, actor=cast.actor("head"))
    assert services.catalogue_works(e) == []
    give(cast.participant, ConsentKind.EXHIBITION, cast.users["head"])
    assert services.catalogue_works(e) == [work]


def test_catalogue_credits_and_writing(cast):
    e = exhibition(cast)
    give(cast.participant, ConsentKind.EXHIBITION, cast.users["head"])
    services.credit_set(
        participant=cast.participant,
        mode="pseudonym",
        pseudonym="Le Hibou",
        actor=cast.actor("head"),
    )
    poem = make_work(
        cast,
        title="Poème du matin",
        medium=medium("writing"),
        text="Le Rhône passe\nsans rien demander.",
        technique="",
        dimensions="",
    )
    services.exhibition_add_work(exhibition=e, work=poem, actor=cast.actor("head"))
    text = pdf_text(
        cast.client("watcher").get(reverse("exhibition_catalogue", args=[cast.programme.pk, e.pk]))
    )
    assert "Poème du matin" in text and "Le Hibou" in text
    assert "Le Rhône passe" in text and "sans rien demander." in text
    assert "Zufferey" not in text and "Jean-Marc" not in text
    assert "2024" in text


def test_works_are_reordered_and_removed(cast):
    e = exhibition(cast)
    a, b = make_work(cast, title="A"), make_work(cast, title="B")
    for w in (a, b):
        services.exhibition_add_work(exhibition=e, work=w, actor=cast.actor("head"))
    client = cast.client("facilitator")
    url = reverse("exhibition_works", args=[cast.programme.pk, e.pk])
    client.post(url, {"action": "up", "work": b.pk})
    assert services.exhibition_works(e) == [b, a]
    client.post(url, {"action": "remove", "work": a.pk})
    assert services.exhibition_works(e) == [b]


def test_press_mentions(cast):
    e = exhibition(cast)
    client = cast.client("social_worker")
    url = reverse("exhibition_press", args=[cast.programme.pk, e.pk])
    data = {"outlet": "Le Nouvelliste", "on": "2024-06-08", "title": "Des couleurs à la Ferme"}
    assert client.post(url, {**data, "url": "javascript:alert(1)"}).status_code == 400
    assert client.post(url, {**data, "url": "https://www.lenouvelliste.ch/x"}).status_code == 302
    assert client.post(url, {**data, "outlet": "Canal9"}).status_code == 302
    assert e.press.count() == 2
    mention = e.press.first()
    assert client.post(url, {"delete": mention.pk}).status_code == 302
    assert e.press.count() == 1


def test_a_work_of_another_programme_cannot_be_added(cast):
    e = exhibition(cast)
    url = reverse("exhibition_works", args=[cast.programme.pk, e.pk])
    from isa.works.models import Work

    foreign = Work.objects.create(
        programme=cast.other_programme, title="Ailleurs", medium=medium(), made_on=date(2024, 1, 1)
    )
    assert cast.client("head").post(url, {"action": "add", "work": foreign.pk}).status_code == 400
    assert not e.entries.exists()


def test_the_portfolio_page_and_pdf(cast):
    services.credit_set(participant=cast.participant, mode="anonymous", actor=cast.actor("head"))
    make_work(cast, title="Ancienne", made_on=date(2024, 4, 1), image=True)
    make_work(cast, title="Récente", made_on=date(2024, 9, 1), text="Un texte à moi.")
    client = cast.client("facilitator")
    url = reverse("portfolio", args=[cast.programme.pk, cast.participant.pk])
    html = client.get(url).content.decode()
    assert html.index("Récente") < html.index("Ancienne")
    assert AuditEvent.objects.filter(
        action="view", object_type="people.participant", detail__page="portfolio"
    ).exists()
    text = pdf_text(
        client.get(reverse("portfolio_pdf", args=[cast.programme.pk, cast.participant.pk]))
    )
    # The person's own copy: their full name on the cover even if credited anonymously.
    assert "Jean-Marc Zufferey" in text
    assert text.index("Récente") < text.index("Ancienne")
    assert "Un texte à moi." in text
    assert AuditEvent.objects.filter(action="export", object_type="people.participant").exists()
    services.credit_set(
        participant=cast.participant,
        mode="pseudonym",
        pseudonym="Le Hibou",
        actor=cast.actor("head"),
    )
    text = pdf_text(
        client.get(reverse("portfolio_pdf", args=[cast.programme.pk, cast.participant.pk]))
    )
    assert "Le Hibou" in text and "Zufferey" not in text


def test_the_file_shows_the_works_panel_and_the_timeline(cast):
    work = make_work(cast, title="Les mélèzes", image=True)
    html = cast.client("watcher").get(cast.participant.get_absolute_url(), **EN).content.decode()
    assert "Les mélèzes" in html
    assert reverse("portfolio", args=[cast.programme.pk, cast.participant.pk]) in html
    assert "Work: Les mélèzes" in html
    assert work.get_absolute_url() in html


def test_the_programme_page_links_to_works(cast):
    html = cast.client("facilitator").get(cast.programme.get_absolute_url()).content.decode()
    assert reverse("work_list", args=[cast.programme.pk]) in html
    assert reverse("exhibition_list", args=[cast.programme.pk]) in html
    assert reverse("gallery_settings", args=[cast.programme.pk]) not in html
    html = cast.client("head").get(cast.programme.get_absolute_url()).content.decode()
    assert reverse("gallery_settings", args=[cast.programme.pk]) in html
    html = cast.client("referrer").get(cast.programme.get_absolute_url()).content.decode()
    assert reverse("work_list", args=[cast.programme.pk]) not in html
