"""Uploads are decoded, checked and re-encoded: never trusted by name or announced type."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from isa.works import images
from tests.works.helpers import bomb_png, image_bytes


def refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        images.validate_and_normalise(data)
    return caught.value.error_dict["image"][0].code


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_and_reencoded(fmt):
    result = images.validate_and_normalise(image_bytes(fmt))
    assert result.format == fmt
    assert (result.width, result.height) == (64, 48)
    assert Image.open(io.BytesIO(result.data)).format == fmt


@pytest.mark.parametrize(
    "content",
    [
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"<?php system($_GET['c']); ?>",
        b"GIF89a<?php system($_GET['c']); ?>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    ],
)
def test_html_php_and_svg_are_refused_whatever_their_name(content):
    assert refused(content) == "format"
    upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
    with pytest.raises(ValidationError):
        images.validate_and_normalise(upload)


@pytest.mark.parametrize("fmt", ["GIF", "TIFF", "BMP", "ICO"])
def test_other_image_formats_are_refused(fmt):
    assert refused(image_bytes(fmt, size=(32, 32))) == "format"


def test_an_empty_file_is_refused():
    assert refused(b"") == "empty"
    assert refused(SimpleUploadedFile("x.jpg", b"", "image/jpeg")) == "empty"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_truncated_image_is_refused(fmt):
    whole = image_bytes(fmt, size=(400, 300))
    assert refused(whole[: len(whole) // 2]) in {"damaged", "format"}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("kept", [0.02, 0.1, 0.5, 0.9])
def test_a_truncated_upload_is_said_damaged_not_of_another_format(fmt, kept):
    """A phone's photo whose upload stopped early, even within its headers (EXIF first)."""
    whole = image_bytes(fmt, size=(400, 300))
    if fmt == "JPEG":  # a photo from a phone: a long EXIF block before the pixels
        picture = Image.open(io.BytesIO(whole))
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "Phone"
        exif[ExifTags.Base.ImageDescription] = "x" * 4000
        out = io.BytesIO()
        picture.save(out, "JPEG", exif=exif.tobytes())
        whole = out.getvalue()
    cut = whole[: max(int(len(whole) * kept), 16)]
    assert refused(cut) == "damaged"
    with pytest.raises(ValidationError) as caught:
        images.validate_and_normalise(cut)
    assert "endommagée ou incomplète" in caught.value.error_dict["image"][0].message


def test_a_file_too_heavy_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    assert refused(image_bytes("PNG", size=(300, 300), colour="red") + b"\0" * 2000) == "too_large"
    upload = SimpleUploadedFile("x.png", b"\0" * 1001, "image/png")
    assert refused(upload) == "too_large"


def test_a_decompression_bomb_is_refused_from_its_header_without_memory():
    bomb = bomb_png()  # 20,000 × 20,000 pixels in a few tens of KB
    assert len(bomb) < 200_000
    tracemalloc.start()
    try:
        code = refused(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == "too_many_pixels"
    assert peak < 20_000_000  # decoding it would take 400 MB


def test_an_image_just_over_our_limit_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    assert refused(image_bytes("PNG", size=(101, 100))) == "too_many_pixels"
    assert images.validate_and_normalise(image_bytes("PNG", size=(100, 100))).width == 100


def exif_jpeg() -> bytes:
    """A 40 × 20 JPEG whose EXIF says: rotate 90° (orientation 6), taken in Sion (GPS)."""
    image = Image.new("RGB", (40, 20), "navy")
    image.paste((255, 200, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "SecretModel 12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (46.0, 13.0, 59.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (7.0, 21.0, 36.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_the_test_image_really_carries_exif_and_gps():
    raw = exif_jpeg()
    exif = Image.open(io.BytesIO(raw)).getexif()
    assert exif[ExifTags.Base.Orientation] == 6
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert b"SecretModel" in raw


def assert_clean(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), "EXIF left in the stored file"
    assert "exif" not in image.info
    assert b"Exif" not in data and b"SecretModel" not in data and b"PhoneMaker" not in data
    return image


def test_exif_and_gps_are_stripped_and_orientation_applied():
    result = images.validate_and_normalise(exif_jpeg())
    image = assert_clean(result.data)
    assert image.size == (20, 40) == (result.width, result.height)  # turned upright


def test_uploaded_through_the_page_every_stored_file_is_clean(cast):
    from tests.works.helpers import make_work

    work = make_work(cast)
    client = cast.client("facilitator")
    response = client.post(
        f"/p/{cast.programme.pk}/works/{work.pk}/images/",
        {"image": SimpleUploadedFile("IMG_0001.JPG", exif_jpeg(), "image/jpeg")},
    )
    assert response.status_code == 302
    stored = work.images.get()
    assert (stored.width, stored.height) == (20, 40)
    for field in (stored.original, stored.display, stored.thumbnail):
        with default_storage.open(field.name, "rb") as handle:
            image = assert_clean(handle.read())
        assert image.size[0] < image.size[1]  # portrait, as the phone meant it


def test_renditions_are_jpegs_of_the_asked_size():
    data = images.validate_and_normalise(image_bytes("PNG", size=(3000, 1500))).data
    display, width, height = images.make_thumbnail(data, images.DISPLAY_SIZE)
    assert (width, height) == (1600, 800)
    assert Image.open(io.BytesIO(display)).format == "JPEG"
    _thumb, width, height = images.make_thumbnail(data, images.THUMBNAIL_SIZE)
    assert (width, height) == (400, 200)
    _small, width, height = images.make_thumbnail(image_bytes("PNG", (50, 40)), 400)
    assert (width, height) == (50, 40)  # never enlarged


def test_transparency_is_laid_on_white():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    normalised = images.validate_and_normalise(out.getvalue())
    assert normalised.format == "PNG"
    thumb, _w, _h = images.make_thumbnail(normalised.data, 400)
    assert Image.open(io.BytesIO(thumb)).getpixel((5, 5))[0] > 240
