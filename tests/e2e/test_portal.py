"""The participant's own space on a phone: sign in with the code of the letter, choose a
pseudonym, withdraw the online-publication consent and see the work leave the public
gallery, download all one's data and find one's works in the ZIP.  axe-core finds no WCAG
2.1 AA violation on any page of the space."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from isa.journal.models import Visibility
from isa.portal.services import invitation_issue
from isa.presence.models import Medium
from tests.conftest import Cast
from tests.e2e.conftest import axe_violations, screenshot
from tests.portal.helpers import write
from tests.works.helpers import shown_online

PASSWORD = "mon chat dort sur la chaise rouge du salon"


def _painting() -> None:
    """The built-in medium the works' helpers use (the live server's database is flushed
    between browser tests, which also removes the rows a data migration wrote)."""
    Medium.objects.get_or_create(
        organisation=None,
        code="painting",
        defaults={"name_fr": "Peinture", "name_de": "Malerei", "name_en": "Painting"},
    )


def _clean(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "\n".join(violations)


def test_a_participant_signs_in_chooses_a_pseudonym_withdraws_and_downloads(
    new_page, live_server, cast: Cast
):
    access = cast.users["participant"].portal_access
    _invitation, code = invitation_issue(access=access, actor=cast.actor("social_worker"))
    _painting()
    work = shown_online(cast)
    write(cast, Visibility.SHARED, "Tu as fini le fond bleu de ta toile.")
    write(cast, Visibility.RESTRICTED, "Note restreinte sur la santé.")
    page: Page = new_page("phone")
    base = live_server.url

    # The letter's QR code opens the welcome page with the code filled in.
    page.goto(f"{base}/portal/welcome/?code={code}")
    _clean(page, "welcome")
    page.get_by_label("Choisissez un mot de passe").fill(PASSWORD)
    page.get_by_label("Le même mot de passe encore une fois").fill(PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(page.locator(".portal-messages")).to_contain_text("Votre mot de passe est enregistré")
    _clean(page, "login")
    expect(page.get_by_label("Votre nom de connexion")).to_have_value(access.login)
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Jean-Marc")
    _clean(page, "home")
    screenshot(page, "portal-home-phone")

    for path, where in (
        ("/portal/pact/", "pact"),
        ("/portal/days/", "days"),
        ("/portal/journal/", "journal"),
        ("/portal/questionnaires/", "questionnaires"),
        ("/portal/corrections/", "corrections"),
        ("/portal/second-factor/", "second factor"),
        ("/portal/password/", "password"),
        ("/portal/data/", "data"),
    ):
        page.goto(base + path)
        _clean(page, where)
    page.goto(base + "/portal/journal/")
    expect(page.locator("main")).to_contain_text("fond bleu")
    expect(page.locator("main")).not_to_contain_text("restreinte")

    # The credit: a pseudonym, chosen by the person.
    page.goto(base + "/portal/works/")
    _clean(page, "works")
    page.get_by_label("Un pseudonyme").check()
    page.get_by_label("Votre pseudonyme (un nom d’artiste)").fill("Le Hibou")
    page.get_by_role("button", name="Enregistrer mon choix").click()
    expect(page.get_by_test_id("shown-as")).to_have_text("Le Hibou")
    screenshot(page, "portal-works-phone")

    gallery = f"{base}/gallery/{cast.programme.pk}/"
    page.goto(gallery)
    expect(page.locator("main")).to_contain_text(work.title)
    expect(page.locator("main")).to_contain_text("Le Hibou")

    # Withdrawing the online publication: the work leaves the gallery at the next request.
    page.goto(base + "/portal/consents/")
    _clean(page, "consents")
    page.locator("form:has(input[name=kind][value=online]) button").click()
    expect(page.locator(".portal-messages")).to_contain_text("nous ne le faisons plus")
    _clean(page, "consents after")
    screenshot(page, "portal-consents-phone")
    page.goto(gallery)
    expect(page.locator("main")).not_to_contain_text(work.title)

    # All my data: the ZIP holds the works and their images.
    page.goto(base + "/portal/data/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger les fichiers pour un ordinateur").click()
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as archive:
        names = archive.namelist()
        works = archive.read("json/works-works.json").decode()
        journal = archive.read("json/journal-shared.json").decode()
    assert work.title in works
    assert any(n.startswith("works/") and n.endswith(".jpg") for n in names)
    assert "fond bleu" in journal and "restreinte" not in journal


def test_a_social_worker_opens_an_access_with_the_person_and_prints_the_letter(
    page: Page, live_server, cast: Cast
):
    from tests.conftest import PASSWORD as STAFF_PASSWORD
    from tests.conftest import refer
    from tests.e2e.conftest import login

    person = refer(cast.programme, cast.users["referrer"], "Fournier", "Lucie").participant
    login(page, live_server, cast.users["social_worker"].email, STAFF_PASSWORD)
    page.goto(f"{live_server.url}/p/{cast.programme.pk}/people/{person.pk}/portal/")
    _clean(page, "team access page")
    page.get_by_label("La personne a dit qu’elle veut son propre espace.").check()
    page.get_by_label("Comment et quand elle l’a dit").fill("Demandé à l'entretien du 3 mars")
    with page.expect_download() as download:
        page.get_by_role("button", name="Ouvrir l’accès et imprimer la lettre").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.goto(f"{live_server.url}/p/{cast.programme.pk}/people/{person.pk}/portal/")
    expect(page.locator("main")).to_contain_text("Nom de connexion")
    _clean(page, "team access page with an access")
