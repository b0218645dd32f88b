"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from isa.works import services
from isa.works.models import Exhibition, Work
from tests.conftest import Cast
from tests.matrix import FILES, TEAM, Case, everyone, only, participant, programme
from tests.works.helpers import first_image, image_bytes, make_work, shown_online

EDITORS = {"head", "social_worker", "facilitator"}


def _work(c: Cast) -> Work:
    existing = Work.objects.filter(programme=c.programme).first()
    return existing or make_work(c, image=True)


def work(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "work_id": _work(c).pk}


def work_image(c: Cast) -> dict[str, Any]:
    w = _work(c)
    return {"programme_id": c.programme.pk, "work_id": w.pk, "image_id": first_image(w).pk}


def image_file(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "image_id": first_image(_work(c)).pk, "size": "thumb"}


def exhibition(c: Cast) -> dict[str, Any]:
    e = Exhibition.objects.filter(programme=c.programme).first() or services.exhibition_create(
        programme=c.programme,
        title="Couleurs du Valais",
        venue="Ferme-Asile, Sion",
        starts_on=c.session.on,
        actor=c.actor("head"),
    )
    return {"programme_id": c.programme.pk, "exhibition_id": e.pk}


def open_gallery(c: Cast) -> dict[str, Any]:
    services.gallery_settings_set(programme=c.programme, enabled=True, actor=c.actor("head"))
    return programme(c)


def public_image(c: Cast) -> dict[str, Any]:
    w = shown_online(c)
    return {"programme_id": c.programme.pk, "key": first_image(w).key, "size": "display"}


MATRIX: dict[str, Case] = {
    "work_list": Case(kwargs=programme, expect=only(TEAM)),
    "work_create": Case(kwargs=programme, expect=only(EDITORS)),
    "work_detail": Case(kwargs=work, expect=only(TEAM)),
    "work_edit": Case(kwargs=work, expect=only(EDITORS)),
    "work_state": Case(
        kwargs=work, method="post", data=lambda c: {"state": "finished"}, expect=only(EDITORS, 302)
    ),
    "work_image_add": Case(
        kwargs=work,
        method="post",
        data=lambda c: {"image": SimpleUploadedFile("a.png", image_bytes(), "image/png")},
        expect=only(EDITORS, 302),
    ),
    "work_image_edit": Case(
        kwargs=work_image,
        method="post",
        data=lambda c: {"action": "save", "alt_text": "Des vignes en automne."},
        expect=only(EDITORS, 302),
    ),
    "work_image": Case(kwargs=image_file, expect=only(TEAM)),
    "exhibition_list": Case(kwargs=programme, expect=only(TEAM)),
    "exhibition_create": Case(kwargs=programme, expect=only(EDITORS)),
    "exhibition_detail": Case(kwargs=exhibition, expect=only(TEAM)),
    "exhibition_edit": Case(kwargs=exhibition, expect=only(EDITORS)),
    "exhibition_works": Case(
        kwargs=exhibition,
        method="post",
        data=lambda c: {"action": "add", "work": _work(c).pk},
        expect=only(EDITORS, 302),
    ),
    "exhibition_press": Case(
        kwargs=exhibition,
        method="post",
        data=lambda c: {"outlet": "Le Nouvelliste", "on": "2024-06-01", "title": "Vernissage"},
        expect=only(EDITORS, 302),
    ),
    "exhibition_catalogue": Case(kwargs=exhibition, expect=only(TEAM)),
    "portfolio": Case(kwargs=participant, expect=only(TEAM)),
    "portfolio_pdf": Case(kwargs=participant, expect=only(TEAM)),
    "credit_edit": Case(kwargs=participant, expect=only(FILES)),
    "gallery_settings": Case(kwargs=programme, expect=only({"head"})),
    # Public: no sign-in (the cast's gallery is opened, and the work consented, on demand).
    "gallery": Case(kwargs=open_gallery, expect=everyone(200)),
    "gallery_image": Case(kwargs=public_image, expect=everyone(200)),
}
