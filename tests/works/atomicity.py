"""Rollback scenarios for the audited services of works: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import date

from isa.works import services as works
from isa.works.models import Exhibition, PressMention, Work, WorkImage
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast
from tests.works.helpers import image_bytes, make_work, medium


def _work(cast: Cast, title: str = "Les vignes de Savièse", image: bool = False) -> Work:
    return make_work(cast, title=title, image=image)


def _exhibition(cast: Cast, *shown: Work) -> Exhibition:
    exhibition = works.exhibition_create(
        programme=cast.programme,
        title="Regards",
        venue="Ferme-Asile, Sion",
        starts_on=date(2025, 5, 2),
        actor=cast.actor("head"),
    )
    for work in shown:
        works.exhibition_add_work(exhibition=exhibition, work=work, actor=cast.actor("head"))
    return exhibition


@scenario("isa.works.services.credit_set")
def _credit_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: works.credit_set(
        participant=fresh(cast.participant),
        mode="pseudonym",
        pseudonym="Le Hibou",
        actor=cast.actor("social_worker"),
    )


@scenario("isa.works.services.work_create")
def _work_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: works.work_create(
        programme=cast.programme,
        title="Le Rhône en hiver",
        medium=medium(),
        creators=[fresh(cast.participant)],
        made_on=date(2024, 12, 2),
        actor=cast.actor("facilitator"),
    )


@scenario("isa.works.services.work_update")
def _work_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _work(cast)

    def call() -> object:
        current = fresh(work)
        return works.work_update(
            work=current,
            expected_version=current.version,
            title="Les vignes de Savièse, automne",
            medium=medium(),
            creators=[fresh(cast.participant)],
            made_on=date(2024, 5, 2),
            state="finished",
            actor=cast.actor("facilitator"),
        )

    return call


@scenario("isa.works.services.work_set_state")
def _work_set_state(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _work(cast)
    return lambda: works.work_set_state(
        work=fresh(work), state="given", actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.work_add_image")
def _work_add_image(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _work(cast)
    return lambda: works.work_add_image(
        work=fresh(work), upload=image_bytes(), alt_text="Vignes", actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.work_image_update")
def _work_image_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    image = _work(cast, image=True).images.get()
    return lambda: works.work_image_update(
        image=fresh(image), alt_text="Des vignes en terrasses", actor=cast.actor("facilitator")
    )


def _two_images(cast: Cast) -> Work:
    work = _work(cast, image=True)
    works.work_add_image(
        work=work, upload=image_bytes(colour="red"), actor=cast.actor("facilitator")
    )
    return work


@scenario("isa.works.services.work_image_move")
def _work_image_move(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    first = _two_images(cast).images.order_by("order").first()
    return lambda: works.work_image_move(
        image=fresh(first), offset=1, actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.work_images_reorder")
def _work_images_reorder(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _two_images(cast)
    reversed_ids = list(work.images.order_by("-order").values_list("pk", flat=True))
    return lambda: works.work_images_reorder(
        work=fresh(work), image_ids=reversed_ids, actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.work_image_delete")
def _work_image_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    image = _work(cast, image=True).images.get()
    return lambda: works.work_image_delete(
        image=WorkImage.objects.get(pk=image.pk), actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.exhibition_create")
def _exhibition_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: _exhibition(cast)


@scenario("isa.works.services.exhibition_update")
def _exhibition_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    exhibition = _exhibition(cast)

    def call() -> object:
        current = fresh(exhibition)
        return works.exhibition_update(
            exhibition=current,
            expected_version=current.version,
            title="Regards croisés",
            venue="Ferme-Asile, Sion",
            starts_on=date(2025, 5, 2),
            visitors=340,
            actor=cast.actor("head"),
        )

    return call


@scenario("isa.works.services.exhibition_add_work")
def _exhibition_add_work(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work, exhibition = _work(cast), _exhibition(cast)
    return lambda: works.exhibition_add_work(
        exhibition=fresh(exhibition), work=fresh(work), actor=cast.actor("head")
    )


@scenario("isa.works.services.exhibition_remove_work")
def _exhibition_remove_work(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _work(cast)
    exhibition = _exhibition(cast, work)
    return lambda: works.exhibition_remove_work(
        exhibition=fresh(exhibition), work=fresh(work), actor=cast.actor("head")
    )


@scenario("isa.works.services.exhibition_move_work")
def _exhibition_move_work(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    first, second = _work(cast), _work(cast, title="Le Rhône en hiver")
    exhibition = _exhibition(cast, first, second)
    return lambda: works.exhibition_move_work(
        exhibition=fresh(exhibition), work=fresh(first), offset=1, actor=cast.actor("head")
    )


@scenario("isa.works.services.press_mention_add")
def _press_mention_add(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    exhibition = _exhibition(cast)
    return lambda: works.press_mention_add(
        exhibition=fresh(exhibition),
        outlet="Le Nouvelliste",
        on=date(2025, 5, 6),
        title="Des regards sur Sion",
        actor=cast.actor("head"),
    )


@scenario("isa.works.services.press_mention_delete")
def _press_mention_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    mention = works.press_mention_add(
        exhibition=_exhibition(cast),
        outlet="Le Nouvelliste",
        on=date(2025, 5, 6),
        title="Des regards sur Sion",
        actor=cast.actor("head"),
    )
    return lambda: works.press_mention_delete(
        mention=PressMention.objects.get(pk=mention.pk), actor=cast.actor("head")
    )


@scenario("isa.works.services.gallery_settings_set")
def _gallery_settings_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: works.gallery_settings_set(
        programme=cast.programme,
        enabled=True,
        introduction="Œuvres de l'atelier",
        actor=cast.actor("head"),
    )
