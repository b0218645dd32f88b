"""Demo artworks are drawn by code: deterministic, valid JPEGs the upload accepts, fast."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from isa.works import images
from isa.works.demo_images import (
    LANDSCAPE,
    PAINTERS,
    PORTRAIT,
    SQUARE,
    artwork_image,
    artwork_jpeg,
    artwork_set,
)

MEDIA = ["painting", "drawing", "photography", "engraving", "sculpture", "other", "writing"]


def test_every_builtin_medium_has_a_style():
    assert set(MEDIA) <= set(PAINTERS)


@pytest.mark.parametrize("medium", MEDIA)
def test_same_seed_same_bytes_and_the_upload_accepts_it(medium):
    data = artwork_jpeg(medium, 7)
    assert data == artwork_jpeg(medium, 7)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size in (LANDSCAPE, PORTRAIT, SQUARE)
    assert 20_000 < len(data) < 1_500_000
    normalised = images.validate_and_normalise(data)
    assert normalised.format == "JPEG"
    assert (normalised.width, normalised.height) == image.size


@pytest.mark.parametrize("medium", MEDIA)
def test_different_seeds_give_different_images(medium):
    assert len({artwork_jpeg(medium, seed) for seed in range(4)}) == 4


def test_media_look_different_from_one_another():
    """The average colour and the contrast tell the styles apart (a cheap proxy)."""
    stats = set()
    for medium in MEDIA:
        image = artwork_image(medium, 3, size=LANDSCAPE).convert("L").resize((60, 45))
        pixels = np.asarray(image, dtype=float)
        stats.add((round(pixels.mean() / 8), round(pixels.std() / 8)))
    assert len(stats) >= 5


def test_the_size_can_be_chosen():
    assert Image.open(io.BytesIO(artwork_jpeg("painting", 1, size=(640, 480)))).size == (640, 480)
    assert artwork_image("photography", 1).size == LANDSCAPE
    assert artwork_image("sculpture", 1).size == PORTRAIT


def test_an_unknown_medium_gets_a_collage():
    assert artwork_jpeg("ceramics-of-the-future", 2) == artwork_jpeg("other", 2)


def test_a_set_is_the_work_then_details_of_it():
    shots = artwork_set("painting", 5, 3)
    assert len(shots) == 3
    assert shots[0] == artwork_jpeg("painting", 5)
    assert shots == artwork_set("painting", 5, 3)
    sizes = [Image.open(io.BytesIO(s)).size for s in shots]
    assert all(w * h < sizes[0][0] * sizes[0][1] for w, h in sizes[1:])
    for data in shots:
        images.validate_and_normalise(data)


def test_images_stay_small_enough_for_the_demo():
    """The demo draws about a hundred images at every seed: their cost is bounded by their
    size (never by a timed test, which fails on a busy machine), at most 1,200 px a side."""
    for seed, medium in enumerate(MEDIA * 2):
        width, height = Image.open(io.BytesIO(artwork_jpeg(medium, seed))).size
        assert max(width, height) <= 1200
        assert width * height <= 1_080_000
