"""The demo's works: about sixty in every medium, some made together, texts, images with
their renditions, credits, two exhibitions, and a public gallery that shows only what every
creator agreed to show online."""

from __future__ import annotations

import io
import re
from html import unescape
from io import StringIO

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from isa.core.models import Programme
from isa.people.models import ConsentKind
from isa.people.services import consent_is_given
from isa.works import images
from isa.works.demo import seed_works
from isa.works.models import (
    Credit,
    CreditMode,
    Exhibition,
    GallerySettings,
    PressMention,
    Work,
    WorkImage,
    WorkState,
)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    return out.getvalue()


def test_the_demo_has_works_in_every_medium_with_images_credits_and_exhibitions(demo: str):
    output = demo
    assert "works and exhibitions" in output
    programme = Programme.objects.get(name="ISA Sion")
    works = Work.objects.in_programme(programme).prefetch_related("creators", "images")
    assert 55 <= works.count() <= 65
    media = set(works.values_list("medium__code", flat=True))
    assert media == {
        "painting",
        "drawing",
        "photography",
        "engraving",
        "sculpture",
        "writing",
        "other",
    }
    assert set(works.values_list("state", flat=True)) == set(WorkState.values)
    assert len(set(works.values_list("title", flat=True))) == works.count()

    collective = [w for w in works if w.creators.count() > 1]
    assert 3 <= len(collective) <= 6
    assert all(2 <= w.creators.count() <= 4 for w in collective)
    for work in works:
        people = list(work.creators.all())
        assert people and all(p.programme_id == programme.pk for p in people)
        assert all(p.accompanied_since and p.accompanied_since <= work.made_on for p in people)

    writing = [w for w in works if w.medium.code == "writing"]
    assert 6 <= len(writing) <= 8
    assert all(w.text and w.is_writing and not w.images.all() for w in writing)
    others = [w for w in works if w.medium.code != "writing"]
    assert all(1 <= len(w.images.all()) <= 3 for w in others)
    assert any(len(w.images.all()) > 1 for w in others)

    # Images went through the upload's checks and have their renditions.
    sample = WorkImage.objects.filter(work__programme=programme).order_by("pk")[::17]
    for image in sample:
        assert image.alt_text
        for name, longest in [
            (image.original.name, max(image.width, image.height)),
            (image.display.name, images.DISPLAY_SIZE),
            (image.thumbnail.name, images.THUMBNAIL_SIZE),
        ]:
            with default_storage.open(name) as handle:
                picture = Image.open(io.BytesIO(handle.read()))
                assert picture.format == "JPEG"
                assert max(picture.size) <= longest

    modes = set(
        Credit.objects.filter(participant__programme=programme).values_list("mode", flat=True)
    )
    assert modes == set(CreditMode.values)
    assert Credit.objects.filter(mode=CreditMode.PSEUDONYM).exclude(pseudonym="").exists()

    past, current = Exhibition.objects.filter(programme=programme).order_by("starts_on")
    assert "(fictif)" in past.venue and "(fictif)" in current.venue
    assert past.visitors and past.ends_on and past.ends_on >= past.starts_on
    assert PressMention.objects.filter(exhibition=past).count() == 2
    assert all(re.search(r"\(ficti(f|ve)\)", m.outlet) for m in PressMention.objects.all())
    assert current.starts_on <= current.ends_on  # running now or soon
    for exhibition in (past, current):
        shown = list(exhibition.works.prefetch_related("creators"))
        assert len(shown) >= 8
        assert all(w.made_on < exhibition.starts_on for w in shown)
        lacking = [
            w
            for w in shown
            if not all(
                consent_is_given(p, ConsentKind.EXHIBITION, on=exhibition.starts_on)
                for p in w.creators.all()
            )
        ]
        assert 1 <= len(lacking) <= 2  # the team sees the warning


def test_the_public_gallery_shows_only_works_every_creator_agreed_to_show_online(demo: str):
    programme = Programme.objects.get(name="ISA Sion")
    assert GallerySettings.objects.get(programme=programme).enabled
    works = list(Work.objects.in_programme(programme).prefetch_related("creators"))
    shown = set(Work.objects.publicly_shown(programme).values_list("pk", flat=True))
    expected = {
        w.pk
        for w in works
        if all(consent_is_given(p, ConsentKind.ONLINE) for p in w.creators.all())
    }
    assert shown == expected
    assert 0 < len(shown) < len(works)

    response = Client().get(reverse("gallery", args=[programme.pk]))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for work in works:
        assert (work.title in html) == (work.pk in shown), work.title


def test_seeding_again_changes_nothing(demo: str):
    counts = (Work.objects.count(), WorkImage.objects.count(), Exhibition.objects.count())
    assert "nothing changed" in seed()
    # The seeder itself also leaves a programme with works alone.
    programme = Programme.objects.get(name="ISA Sion")
    seed_works({"programme": programme, "users": {}})
    assert (Work.objects.count(), WorkImage.objects.count(), Exhibition.objects.count()) == counts
