"""A facilitator records a work with its photo for a participant and finds it in the
person's portfolio, on a desktop and on a phone; the public gallery shows a consented work
with the person's chosen credit, never their last name."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from isa.core.actor import Actor
from isa.people.models import ConsentKind, ConsentMethod, ConsentState
from isa.people.services import consent_record
from isa.presence.models import Medium
from isa.works import services
from isa.works.demo_images import artwork_jpeg
from isa.works.models import CreditMode, Work, WorkState
from tests.conftest import PASSWORD, Cast, refer
from tests.e2e.conftest import login

LOADED = "img => img.complete && img.naturalWidth > 0"


def _medium(code: str, name: str) -> Medium:
    """A built-in medium (the live server's database is flushed between browser tests, which
    also removes the rows a data migration wrote)."""
    medium, _ = Medium.objects.get_or_create(
        organisation=None,
        code=code,
        defaults={"name_fr": name, "name_de": name, "name_en": code.title()},
    )
    return medium


def _no_horizontal_overflow(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_work_is_recorded_with_its_image_and_shown_in_the_portfolio(
    page: Page, new_page, live_server, cast: Cast, tmp_path, screenshot
):
    painting = _medium("painting", "Peinture")
    photo = tmp_path / "rhone-en-hiver.jpg"
    photo.write_bytes(artwork_jpeg("painting", 11))
    programme, person = cast.programme, cast.participant

    login(page, live_server, cast.users["facilitator"].email, PASSWORD)
    page.goto(f"{live_server.url}/p/{programme.pk}/works/new/")
    form = page.locator('main form:has(input[name="title"])')
    form.locator('input[name="title"]').fill("Rhône en hiver")
    form.locator('select[name="medium"]').select_option(str(painting.pk))
    form.locator(f'input[name="creators"][value="{person.pk}"]').check()
    form.locator('input[name="made_on"]').fill("2025-01-20")
    form.locator('input[name="technique"]').fill("acrylique sur toile")
    form.locator('input[name="dimensions"]').fill("40 × 50 cm")
    form.locator('select[name="state"]').select_option(WorkState.FINISHED)
    form.locator('input[name="image"]').set_input_files(str(photo))
    form.locator('input[name="alt_text"]').fill("Le Rhône gelé entre deux rives ocre")
    screenshot(page, "works-create-filled")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()

    work = Work.objects.get(title="Rhône en hiver")
    assert page.url.endswith(f"/p/{programme.pk}/works/{work.pk}/")
    assert list(work.creators.all()) == [person]
    assert (work.medium, work.made_on, work.state) == (painting, date(2025, 1, 20), "finished")
    assert work.created_by == cast.users["facilitator"]
    image = work.images.get()
    assert image.alt_text == "Le Rhône gelé entre deux rives ocre"
    assert (image.width, image.height) in ((1200, 900), (900, 1200), (1000, 1000))
    expect(page.get_by_text("Rhône en hiver").first).to_be_visible()
    screenshot(page, "works-detail")

    # The person's portfolio lists the work with its image, loaded.
    page.goto(f"{live_server.url}/p/{programme.pk}/people/{person.pk}/portfolio/")
    expect(page.locator("main").get_by_text("Rhône en hiver").first).to_be_visible()
    picture = page.locator('main img[alt="Le Rhône gelé entre deux rives ocre"]').first
    expect(picture).to_be_visible()
    picture.scroll_into_view_if_needed()
    page.wait_for_function(LOADED, arg=picture.element_handle())
    assert picture.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "works-portfolio-desktop")

    # On a phone, the portfolio fits the screen's width.
    phone = new_page("phone")
    login(phone, live_server, cast.users["facilitator"].email, PASSWORD)
    phone.goto(f"{live_server.url}/p/{programme.pk}/people/{person.pk}/portfolio/")
    phone_picture = phone.locator('main img[alt="Le Rhône gelé entre deux rives ocre"]').first
    expect(phone_picture).to_be_visible()
    phone_picture.scroll_into_view_if_needed()
    phone.wait_for_function(LOADED, arg=phone_picture.element_handle())
    assert _no_horizontal_overflow(phone), phone.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    screenshot(phone, "works-portfolio-phone")


def test_the_public_gallery_shows_a_consented_work_with_its_credit_only(
    new_page, live_server, cast: Cast, screenshot
):
    head, person = cast.users["head"], cast.participant
    other = refer(cast.programme, head, "Crettenand", "Marie-Claude").participant
    photography = _medium("photography", "Photographie")
    for who, title, seed in [(person, "Valère au petit matin", 3), (other, "Vue privée", 4)]:
        work = services.work_create(
            programme=cast.programme,
            title=title,
            medium=photography,
            creators=[who],
            made_on=date(2025, 5, 2),
            technique="tirage numérique",
            state=WorkState.FINISHED,
            actor=Actor.of(head),
        )
        services.work_add_image(
            work=work,
            upload=artwork_jpeg("photography", seed),
            alt_text=f"Photographie : {title}",
            actor=Actor.of(head),
        )
    # Only Jean-Marc agreed to show his works online, credited by his first name.
    consent_record(
        participant=person,
        kind=ConsentKind.ONLINE,
        state=ConsentState.GIVEN,
        on=date(2025, 5, 1),
        method=ConsentMethod.PAPER,
        actor=Actor.of(head),
    )
    services.credit_set(participant=person, mode=CreditMode.FIRST_NAME, actor=Actor.of(head))
    services.gallery_settings_set(
        programme=cast.programme,
        enabled=True,
        introduction="Œuvres de l'atelier",
        actor=Actor.of(head),
    )

    for viewport in ("desktop", "phone"):
        page = new_page(viewport)
        page.goto(f"{live_server.url}/gallery/{cast.programme.pk}/")
        main = page.locator("main")
        expect(main.get_by_text("Valère au petit matin").first).to_be_visible()
        expect(main.get_by_text(person.first_name).first).to_be_visible()
        assert "Zufferey" not in page.content()
        assert "Vue privée" not in page.content()
        assert "Crettenand" not in page.content()
        picture = page.locator('main img[alt="Photographie : Valère au petit matin"]').first
        picture.scroll_into_view_if_needed()
        page.wait_for_function(LOADED, arg=picture.element_handle())
        if viewport == "phone":
            assert _no_horizontal_overflow(page)
        screenshot(page, f"works-gallery-{viewport}")
