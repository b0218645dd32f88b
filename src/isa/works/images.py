"""Uploaded images: decoded, checked, re-encoded, never trusted by name (SECURITY.md rule 6).

Pure functions, no database:

- :func:`validate_and_normalise` reads an upload, accepts only JPEG, PNG and WebP *as
  decoded by Pillow* (the file name and the announced content type are ignored), refuses
  files that are too heavy in bytes or in pixels (dimensions are read from the header
  before a single pixel is decoded), applies the EXIF orientation, and re-encodes the pixels
  alone: EXIF (with GPS positions), XMP, comments and text chunks are dropped.
- :func:`make_rendition` makes the display-size and thumbnail JPEGs.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

#: The largest upload accepted, in bytes (a phone photo is 2-8 MB).
MAX_BYTES = 20 * 1024 * 1024
#: The largest image accepted, in pixels (a 48-megapixel phone camera fits).
MAX_PIXELS = 50_000_000
#: The longest side accepted, in pixels.
MAX_SIDE = 12_000
#: Formats accepted, as Pillow names them after decoding.
ACCEPTED = ("JPEG", "PNG", "WEBP")
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

#: Renditions: the longest side in pixels.
DISPLAY_SIZE = 1600
THUMBNAIL_SIZE = 400

# Pillow's own guard (Image.MAX_IMAGE_PIXELS, left at its default for the other apps) raises
# DecompressionBombError at open above twice its limit, and warns above it: both are caught
# below, and our own, lower, limit is checked from the header before any pixel is decoded.


@dataclass(frozen=True)
class NormalisedImage:
    data: bytes  # the re-encoded original, without metadata
    format: str  # JPEG | PNG | WEBP
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"image": ValidationError(message, code=code)})


def _read(upload: IO[bytes] | bytes) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _too_heavy()
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(MAX_BYTES + 1)


def _too_heavy() -> ValidationError:
    return _refuse(
        _("This file is too large: at most %(size)s.") % {"size": filesizeformat(MAX_BYTES)},
        "too_large",
    )


def validate_and_normalise(upload: IO[bytes] | bytes) -> NormalisedImage:
    """Decode ``upload`` and return its pixels re-encoded without metadata, upright.

    Raises ``ValidationError({"image": …})`` with a message for the person at the screen.
    """
    data = _read(upload)
    if not data:
        raise _refuse(_("The file is empty."), "empty")
    if len(data) > MAX_BYTES:
        raise _too_heavy()
    not_an_image = _refuse(
        _("This file is not an image in a format we accept: JPEG, PNG or WebP."), "format"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Only the header is read here: format and dimensions, no pixel yet.
            image = Image.open(io.BytesIO(data), formats=ACCEPTED)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            # A JPEG, PNG or WebP whose upload stopped within its headers is damaged, not
            # of another format: the person exports or sends the same picture again.
            raise (_damaged() if _signature(data) else not_an_image) from None
        if image.format not in ACCEPTED:  # pragma: no cover - formats= already limits it
            raise not_an_image
        width, height = image.size
        if width < 1 or height < 1 or width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise _too_many_pixels()
        try:
            image.load()  # now the pixels: a truncated or corrupt file fails here
            upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError):
            raise _damaged() from None
    fmt = image.format
    return NormalisedImage(_encode(upright, fmt), fmt, upright.width, upright.height)


def _signature(data: bytes) -> str:
    """The accepted format whose signature ``data`` starts with, else "": read from the
    bytes, never from the name."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return ""


def _damaged() -> ValidationError:
    return _refuse(
        _("This image is damaged or incomplete: please export it again and retry."), "damaged"
    )


def _too_many_pixels() -> ValidationError:
    return _refuse(
        _("This image is too large: at most %(mp)s megapixels and %(side)s pixels a side.")
        % {"mp": MAX_PIXELS // 1_000_000, "side": MAX_SIDE},
        "too_many_pixels",
    )


def _encode(image: Image.Image, fmt: str) -> bytes:
    """The pixels alone, in ``fmt``: a fresh image carries no EXIF, XMP, ICC or text."""
    if fmt == "JPEG":
        image = image.convert("L" if image.mode in ("L", "1") else "RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = "A" in image.mode or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "PNG":
        clean.save(out, "PNG", optimize=False)
    else:
        clean.save(out, "WEBP", quality=90)
    return out.getvalue()


def make_thumbnail(data: bytes, longest_side: int) -> tuple[bytes, int, int]:
    """A JPEG of the normalised image ``data`` whose longest side is at most ``longest_side``
    (never enlarged); transparency is laid on white.  Returns (bytes, width, height)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data), formats=ACCEPTED)
        image.draft("RGB", (longest_side, longest_side))  # JPEG: decode at a smaller scale
        image.load()
    if image.mode in ("RGBA", "LA", "PA", "P"):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    else:
        image = image.convert("RGB")
    image.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue(), image.width, image.height
