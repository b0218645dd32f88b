"""Artwork images drawn by code for the fictional demo: no photograph, no download.

Each medium has a recognisable look: warm colour fields and brush strokes for painting,
pencil or charcoal still lifes on paper for drawing, a Valais landscape (mountains, the hills
of Valère and Tourbillon, vineyards) for photography, hatching or linocut for engraving, a
shaded form on a plinth for sculpture, torn paper for collage ("other").  An image depends
only on ``(medium, seed)``: the same call always returns the same JPEG bytes.  Each image
takes a few tens of milliseconds, so the demo's works seed in seconds.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

LANDSCAPE = (1200, 900)
PORTRAIT = (900, 1200)
SQUARE = (1000, 1000)
QUALITY = 85

RGB = tuple[int, int, int]
Painter = Callable[[random.Random, np.random.Generator, int, int], Image.Image]


def artwork_jpeg(medium: str, seed: int, *, size: tuple[int, int] | None = None) -> bytes:
    """JPEG bytes (quality 85) of a fictional artwork in ``medium`` (a Medium code; unknown
    codes get a collage, like "other").  ``size`` is (width, height); by default the medium
    chooses."""
    return _jpeg(artwork_image(medium, seed, size=size))


def artwork_set(
    medium: str, seed: int, count: int = 1, *, size: tuple[int, int] | None = None
) -> list[bytes]:
    """``count`` JPEGs of one work: the whole work first, then details (crops of it, as a
    photographer would frame them), each deterministic in ``(medium, seed)``."""
    image = artwork_image(medium, seed, size=size)
    rng = random.Random(f"isa-demo-detail:{medium}:{seed}")
    shots = [image]
    width, height = image.size
    for _ in range(count - 1):
        scale = rng.uniform(0.4, 0.6)
        w, h = int(width * scale), int(height * scale)
        left, top = rng.randint(0, width - w), rng.randint(0, height - h)
        detail = image.crop((left, top, left + w, top + h))
        shots.append(detail.resize((int(w / scale * 0.75), int(h / scale * 0.75)), Image.BICUBIC))
    return [_jpeg(shot) for shot in shots]


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=QUALITY)
    return buffer.getvalue()


def artwork_image(medium: str, seed: int, *, size: tuple[int, int] | None = None) -> Image.Image:
    medium = medium if medium in PAINTERS else "other"
    painter, sizes = PAINTERS[medium]
    rng = random.Random(f"isa-demo-artwork:{medium}:{seed}")  # str seeds hash with SHA-512
    nrng = np.random.default_rng(rng.getrandbits(64))
    width, height = size or rng.choice(sizes)
    image = painter(rng, nrng, width, height)
    return image.convert("RGB")


# -- shared helpers ----------------------------------------------------------------------------


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _jitter(rng: random.Random, colour: RGB, amount: int = 18) -> RGB:
    return (
        max(0, min(255, colour[0] + rng.randint(-amount, amount))),
        max(0, min(255, colour[1] + rng.randint(-amount, amount))),
        max(0, min(255, colour[2] + rng.randint(-amount, amount))),
    )


def _to_image(array: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(array, 0, 255, out=array).astype(np.uint8), "RGB")


def _grain(array: np.ndarray, nrng: np.random.Generator, amount: float) -> np.ndarray:
    """Monochrome grain (film, paper): one noise channel shared by R, G and B."""
    height, width = array.shape[:2]
    tile = nrng.standard_normal((256, 256), dtype=np.float32) * amount  # tiled: fast
    noise = np.tile(tile, (height // 256 + 1, width // 256 + 1))[:height, :width]
    return array + noise[..., None]


def _vignette(array: np.ndarray, strength: float) -> np.ndarray:
    height, width = array.shape[:2]
    y = (np.arange(height, dtype=np.float32) - height / 2) / (height / 2)
    x = (np.arange(width, dtype=np.float32) - width / 2) / (width / 2)
    r2 = y[:, None] ** 2 * 0.8 + x[None, :] ** 2
    array *= (1 - strength * np.clip(r2 - 0.35, 0, None))[..., None]
    return array


def _ridge(
    nrng: np.random.Generator, width: int, base: float, amplitude: float, roughness: float = 0.55
) -> np.ndarray:
    """A mountain profile (row of the ridge for every column): octaves of smooth noise."""
    xs = np.arange(width, dtype=np.float32)
    profile = np.full(width, base, dtype=np.float32)
    amp, knots = amplitude, 3
    for _ in range(6):
        points = nrng.uniform(-1, 1, knots + 1).astype(np.float32)
        grid = np.linspace(0, width - 1, knots + 1, dtype=np.float32)
        profile += np.interp(xs, grid, points) * amp
        amp *= roughness
        knots *= 2
    return profile


def _paper(nrng: np.random.Generator, width: int, height: int, colour: RGB) -> np.ndarray:
    array = np.empty((height, width, 3), dtype=np.float32)
    array[:] = colour
    return _grain(array, nrng, 3.5)


# -- painting ----------------------------------------------------------------------------------

WARM_PALETTES: list[list[RGB]] = [
    [(122, 38, 28), (214, 96, 40), (238, 170, 60), (246, 222, 170), (92, 40, 60)],
    [(196, 72, 48), (240, 188, 96), (118, 140, 92), (250, 236, 206), (62, 48, 40)],
    [(168, 40, 72), (232, 120, 92), (250, 200, 120), (84, 60, 120), (240, 228, 210)],
    [(210, 140, 50), (160, 60, 30), (60, 90, 110), (236, 214, 160), (30, 40, 50)],
    [(232, 98, 72), (250, 166, 98), (132, 180, 168), (252, 240, 220), (58, 72, 90)],
]


def _painting(rng: random.Random, nrng: np.random.Generator, w: int, h: int) -> Image.Image:
    palette = rng.choice(WARM_PALETTES)
    ground = _jitter(rng, palette[0], 10)
    base = Image.new("RGB", (w, h), ground)
    draw = ImageDraw.Draw(base)
    # Layered colour fields, softened at the edges.
    fields = rng.randint(2, 4)
    top = h * rng.uniform(0.05, 0.09)
    span = h - 2 * top
    cursor = top
    for index in range(fields):
        part = span / fields * rng.uniform(0.8, 1.2)
        left, right = w * rng.uniform(0.05, 0.1), w * rng.uniform(0.9, 0.95)
        colour = _jitter(rng, palette[1 + index % (len(palette) - 1)], 14)
        draw.rectangle([left, cursor, right, min(h - top, cursor + part - h * 0.025)], colour)
        cursor += part
    small = base.resize((w // 4, h // 4), Image.BILINEAR).filter(ImageFilter.GaussianBlur(w / 360))
    image = small.resize((w, h), Image.BICUBIC).convert("RGBA")
    # Two passes of translucent brush strokes, large then small.
    angle0 = rng.uniform(-0.5, 0.5)
    for count, (wmin, wmax), (lmin, lmax) in [
        (rng.randint(60, 90), (16, 34), (80, 240)),
        (rng.randint(90, 140), (5, 14), (30, 110)),
    ]:
        layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        strokes = ImageDraw.Draw(layer)
        for _ in range(count):
            colour = _jitter(rng, rng.choice(palette), 22)
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            angle = angle0 + rng.gauss(0, 0.6)
            length = rng.uniform(lmin, lmax)
            bend = rng.uniform(-0.4, 0.4)
            points = []
            for step in range(4):
                a = angle + bend * step / 3
                points.append((x, y))
                x += math.cos(a) * length / 3
                y += math.sin(a) * length / 3
            points.append((x, y))
            strokes.line(
                points,
                fill=(*colour, rng.randint(70, 170)),
                width=rng.randint(wmin, wmax),
                joint="curve",
            )
        image = Image.alpha_composite(image, layer)
    array = np.asarray(image.convert("RGB"), dtype=np.float32)
    # Canvas weave and a little light falloff, as on a photograph of a canvas.
    ys = np.sin(np.arange(h, dtype=np.float32) * 2.1)
    xs = np.sin(np.arange(w, dtype=np.float32) * 2.1)
    array += (ys[:, None] * xs[None, :] * 5)[..., None]
    array = _grain(array, nrng, 2.0)
    return _to_image(_vignette(array, 0.12))


# -- drawing -----------------------------------------------------------------------------------


def _still_life_shapes(rng: random.Random, w: int, h: int) -> list[list[tuple[float, float]]]:
    """Closed outlines of a few objects standing on a table line."""
    table = h * rng.uniform(0.68, 0.78)
    shapes: list[list[tuple[float, float]]] = []
    count = rng.randint(2, 4)
    slots = sorted(rng.uniform(0.18, 0.82) for _ in range(count))
    for slot in slots:
        cx = w * slot
        kind = rng.choice(["fruit", "vase", "bottle", "bowl"])
        if kind == "fruit":
            r = w * rng.uniform(0.04, 0.07)
            cy = table - r * 0.95
            shapes.append(
                [
                    (cx + r * math.cos(t) * (1 + 0.05 * math.sin(3 * t)), cy + r * math.sin(t))
                    for t in np.linspace(0, 2 * math.pi, 40)
                ]
            )
            continue
        height = h * {"vase": rng.uniform(0.3, 0.45), "bottle": rng.uniform(0.35, 0.5)}.get(
            kind, rng.uniform(0.1, 0.14)
        )
        widest = w * {"vase": 0.09, "bottle": 0.05}.get(kind, 0.12) * rng.uniform(0.8, 1.2)
        profile = []
        for t in np.linspace(0, 1, 24):  # t=0 at the foot, 1 at the rim
            if kind == "vase":
                r = widest * (0.55 + 0.45 * math.sin(math.pi * min(1, t * 1.3)) - 0.25 * t)
            elif kind == "bottle":
                r = widest if t < 0.6 else widest * max(0.3, 1 - (t - 0.6) * 3.5)
            else:
                r = widest * (0.6 + 0.4 * math.sin(math.pi * t / 2))
            profile.append((r, table - t * height))
        outline = [(cx + r, y) for r, y in profile] + [(cx - r, y) for r, y in reversed(profile)]
        shapes.append(outline)
    return shapes


def _drawing(rng: random.Random, nrng: np.random.Generator, w: int, h: int) -> Image.Image:
    charcoal = rng.random() < 0.4
    paper_colour = _jitter(rng, (240, 233, 216), 6)
    ink = Image.new("L", (w, h), 0)  # darkness, 0 = bare paper
    draw = ImageDraw.Draw(ink)
    lo, hi = (3, 7) if charcoal else (1, 2)
    strength = (190, 245) if charcoal else (130, 200)
    shapes = _still_life_shapes(rng, w, h)
    table = max(y for shape in shapes for _, y in shape)
    # The table edge, a few hesitant passes.
    for _ in range(3):
        y = table + rng.uniform(-4, 4)
        draw.line(
            [(w * 0.04, y + rng.uniform(-3, 3)), (w * 0.96, y + rng.uniform(-3, 3))],
            fill=rng.randint(*strength),
            width=rng.randint(lo, hi),
        )
    xs = np.arange(w, dtype=np.int32)[None, :]
    ys = np.arange(h, dtype=np.int32)[:, None]
    spacing = rng.randint(8, 11) if charcoal else rng.randint(5, 7)
    hatch = (xs + ys) % spacing < (3 if charcoal else 2)
    cross = (xs - ys + h) % spacing < 2
    objects = Image.new("L", (w, h), 0)
    shadows = Image.new("L", (w, h), 0)
    for shape in shapes:
        ImageDraw.Draw(objects).polygon(shape, fill=255)
        # The cast shadow on the table, to the right.
        xs_shape = [x for x, _ in shape]
        left, right = min(xs_shape), max(xs_shape)
        box = [right - (right - left) * 0.3, table - 6, right + (right - left) * 0.7, table + 16]
        ImageDraw.Draw(shadows).ellipse(box, fill=255)
        for _ in range(2 if charcoal else 3):  # sketchy outline, drawn more than once
            wobble = [(x + rng.gauss(0, 2.5), y + rng.gauss(0, 2.5)) for x, y in shape]
            draw.line(
                [*wobble, wobble[0]],
                fill=rng.randint(*strength),
                width=rng.randint(lo, hi),
                joint="curve",
            )
    inside = np.asarray(objects) > 0
    shift = int(w * 0.03)
    lit = np.zeros_like(inside)
    lit[:-shift, :-shift] = inside[shift:, shift:]  # the side the light reaches
    shadow = (np.asarray(shadows) > 0) & ~inside
    shade = (inside & ~lit & hatch) | (shadow & (hatch | cross))
    darkness = np.asarray(ink, dtype=np.float32) / 255
    darkness = np.maximum(darkness, shade * np.float32(0.75 if charcoal else 0.6))
    if charcoal:  # smudged with a finger
        smudged = Image.fromarray((darkness * 255).astype(np.uint8)).filter(
            ImageFilter.GaussianBlur(2.2)
        )
        darkness = np.maximum(darkness * 0.7, np.asarray(smudged, dtype=np.float32) / 255)
    paper = _paper(nrng, w, h, paper_colour)
    graphite = np.array((40, 38, 42) if not charcoal else (18, 16, 16), dtype=np.float32)
    array = paper * (1 - darkness[..., None]) + graphite * darkness[..., None]
    return _to_image(_vignette(array, 0.08))


# -- photography -------------------------------------------------------------------------------

SKIES: list[tuple[RGB, RGB]] = [
    ((58, 112, 186), (196, 220, 236)),  # clear
    ((86, 70, 130), (246, 170, 110)),  # dusk
    ((132, 142, 156), (214, 214, 210)),  # overcast
    ((32, 92, 168), (236, 214, 180)),  # late afternoon
]


def _hill(w: int, centre: float, top: float, spread: float, ground: float) -> np.ndarray:
    xs = np.arange(w, dtype=np.float32)
    return ground - (ground - top) * np.exp(-(np.abs((xs - centre) / spread) ** 3))


def _photography(rng: random.Random, nrng: np.random.Generator, w: int, h: int) -> Image.Image:
    top, horizon = rng.choice(SKIES)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    sky = np.array(top, np.float32) * (1 - t) + np.array(horizon, np.float32) * t
    array = np.repeat(sky[:, None, :], w, axis=1).reshape(h, w, 3)
    rows = np.arange(h, dtype=np.float32)[:, None]
    # Three mountain ranges, paler with distance, snow on the far one.
    ranges = [
        (h * 0.38, h * 0.14, (108, 122, 150), 0.55),
        (h * 0.5, h * 0.1, (76, 92, 104), 0.3),
        (h * 0.62, h * 0.06, (54, 70, 58), 0.12),
    ]
    for index, (base, amplitude, colour, haze) in enumerate(ranges):
        ridge = _ridge(nrng, w, base, amplitude)
        tint = np.array(_mix(colour, horizon, haze), np.float32)
        below = rows >= ridge[None, :]
        array[below] = tint
        if index == 0:
            snowline = base - amplitude * 0.2
            depth = np.clip((snowline - ridge) * 0.7, 0, None)
            snow = below & (rows < ridge[None, :] + depth[None, :])
            array[snow] = np.array(_mix((244, 246, 250), horizon, 0.25), np.float32)
    # The valley floor and, sometimes, the Rhône as a pale band.
    valley = h * 0.72
    array[rows[:, 0] >= valley] = np.array((86, 104, 62), np.float32)
    if rng.random() < 0.6:
        river = (rows >= valley + h * 0.02) & (rows < valley + h * 0.035)
        array[np.broadcast_to(river, (h, w))] = np.array(_mix((150, 170, 178), horizon, 0.3))
    image = _to_image(array)
    draw = ImageDraw.Draw(image)
    # The two hills of Sion with their castles (Valère and Tourbillon), as silhouettes.
    ground = h * 0.84
    dark = _mix((40, 44, 34), top, 0.15)
    hills = [(w * rng.uniform(0.25, 0.4), h * 0.66), (w * rng.uniform(0.62, 0.78), h * 0.63)]
    for centre, summit in hills:
        profile = _hill(w, centre, summit, w * 0.1, ground)
        draw.polygon(
            [(0, h), *[(x, float(profile[x])) for x in range(0, w, 8)], (w, h)],
            fill=_jitter(rng, (64, 72, 44), 8),
        )
    vines = _mix((70, 96, 40), (30, 40, 20), 0.4)
    for row in range(int(h * 0.8), h, 12):  # vineyards on the lower slopes
        for x in range(rng.randint(0, 20), w, 18):
            draw.line([(x, row), (x + 12, row - 2)], fill=vines, width=4)
    (vx, vy), (tx, ty) = hills
    u = w / 190
    if rng.random() < 0.75:
        # Valère: the basilica's nave, its tower, and the wall around the hill top.
        draw.rectangle([vx - 7 * u, vy - 3 * u, vx + 6 * u, vy + 2 * u], fill=dark)
        draw.polygon(
            [(vx - 7 * u, vy - 3 * u), (vx - 0.5 * u, vy - 6 * u), (vx + 6 * u, vy - 3 * u)],
            fill=dark,
        )
        draw.rectangle([vx + 2 * u, vy - 9 * u, vx + 4.5 * u, vy - 3 * u], fill=dark)
        draw.polygon(
            [(vx + 2 * u, vy - 9 * u), (vx + 3.25 * u, vy - 11 * u), (vx + 4.5 * u, vy - 9 * u)],
            fill=dark,
        )
        draw.rectangle([vx - 10 * u, vy, vx + 9 * u, vy + 3 * u], fill=dark)
        # Tourbillon: a ruined wall with battlements and a keep.
        draw.rectangle([tx - 8 * u, ty - 2 * u, tx + 8 * u, ty + 2 * u], fill=dark)
        for k in range(9):
            x = tx - 8 * u + k * 2 * u
            draw.rectangle([x, ty - 3.2 * u, x + u, ty - 2 * u], fill=dark)
        draw.rectangle([tx - 2 * u, ty - 8 * u, tx + 2.5 * u, ty - 2 * u], fill=dark)
        draw.rectangle([tx + 1.3 * u, ty - 9 * u, tx + 2.5 * u, ty - 8 * u], fill=dark)
    array = np.asarray(image, dtype=np.float32)
    array = _grain(array, nrng, 3.0)
    return _to_image(_vignette(array, 0.22))


# -- engraving ---------------------------------------------------------------------------------


def _engraving(rng: random.Random, nrng: np.random.Generator, w: int, h: int) -> Image.Image:
    linocut = rng.random() < 0.5
    paper_colour = _jitter(rng, (238, 232, 218), 5)
    ink_colour = rng.choice([(24, 22, 22), (24, 22, 22), (30, 40, 76), (96, 30, 26)])
    margin_x, margin_y = int(w * 0.09), int(h * 0.09)
    pw, ph = w - 2 * margin_x, h - 2 * margin_y
    ys = np.arange(ph, dtype=np.float32)[:, None]
    xs = np.arange(pw, dtype=np.float32)[None, :]
    # The subject as a darkness field: a pale sky with a sun, hills and a dark foreground.
    darkness = np.broadcast_to(0.15 + 0.2 * ys / ph, (ph, pw)).copy()
    sun_x, sun_y, sun_r = pw * rng.uniform(0.2, 0.8), ph * rng.uniform(0.15, 0.3), pw * 0.08
    sun = (xs - sun_x) ** 2 + (ys - sun_y) ** 2 < sun_r**2
    darkness[sun] = 0.02
    for base, level in [(0.5, 0.55), (0.65, 0.75), (0.82, 0.92)]:
        ridge = _ridge(nrng, pw, ph * base, ph * 0.08, 0.5)
        darkness[ys >= ridge[None, :]] = level
    if linocut:
        # Gouged lines that follow the forms, flowing around the sun.
        flow = ys + 14 * np.sin(xs / pw * math.pi * rng.uniform(2, 4) + rng.uniform(0, 6))
        rings = np.sqrt((xs - sun_x) ** 2 + (ys - sun_y) ** 2)
        coord = np.where(rings < sun_r * 2.2, rings, flow)
        period = rng.uniform(14, 20)
        stripe = np.abs(np.mod(coord, period) / period - 0.5) * 2  # 0 in a line's middle
        ink = stripe < darkness * 1.1
        ink |= darkness > 0.88
    else:
        # Engraved hatching: line width follows the tone, crossed in the darkest parts.
        angle = rng.uniform(0.3, 1.2)
        period = rng.uniform(6, 9)
        u = xs * math.cos(angle) + ys * math.sin(angle)
        v = xs * math.cos(-angle) + ys * math.sin(-angle)
        line_u = np.abs(np.mod(u, period) / period - 0.5) * 2
        line_v = np.abs(np.mod(v, period) / period - 0.5) * 2
        horizontal = np.abs(np.mod(ys, period) / period - 0.5) * 2
        sky = darkness < 0.4
        ink = np.where(sky, horizontal < darkness * 0.9, line_u < darkness * 0.8)
        ink |= (darkness > 0.7) & (line_v < (darkness - 0.55))
    paper = _paper(nrng, w, h, paper_colour)
    plate = paper[margin_y : margin_y + ph, margin_x : margin_x + pw]
    plate[ink] = np.array(ink_colour, np.float32) + 10 * nrng.standard_normal(
        (int(ink.sum()), 1), dtype=np.float32
    )
    image = _to_image(paper)
    draw = ImageDraw.Draw(image)
    # The plate mark and the pencil edition number under the print.
    mark = _mix(paper_colour, (120, 110, 96), 0.35)
    draw.rectangle(
        [margin_x - 8, margin_y - 8, margin_x + pw + 8, margin_y + ph + 8], outline=mark, width=2
    )
    pencil = _mix(paper_colour, (70, 70, 76), 0.6)
    base_line = margin_y + ph + int(h * 0.04)
    draw.line([(margin_x, base_line), (margin_x + w * 0.06, base_line)], fill=pencil, width=2)
    draw.line(
        [(w - margin_x - w * 0.14, base_line), (w - margin_x, base_line - 2)], fill=pencil, width=2
    )
    return image


# -- sculpture ---------------------------------------------------------------------------------

MATERIALS: list[tuple[RGB, float]] = [
    ((190, 104, 70), 0.15),  # terracotta
    ((176, 92, 62), 0.15),  # red clay
    ((128, 88, 52), 0.6),  # bronze
    ((226, 222, 212), 0.1),  # plaster
    ((150, 150, 146), 0.25),  # stone
    ((136, 96, 58), 0.6),  # patinated bronze
]


def _sculpture(rng: random.Random, nrng: np.random.Generator, w: int, h: int) -> Image.Image:
    # A studio backdrop: a wall that curves into the floor.
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    wall = _jitter(rng, (196, 194, 190), 10)
    floor = _mix(wall, (90, 88, 86), 0.5)
    column = np.array(wall, np.float32) * (1 - t) + np.array(floor, np.float32) * t
    array = np.repeat(column[:, None, :], w, axis=1).reshape(h, w, 3)
    xs = np.arange(w, dtype=np.float32)[None, :]
    ys = np.arange(h, dtype=np.float32)[:, None]
    cx = w * rng.uniform(0.45, 0.55)
    # The plinth: a white box, front and top faces.
    p_half, p_top, p_bottom = w * 0.2, h * 0.62, h * 0.98
    top_depth = h * 0.035
    front = (np.abs(xs - cx) < p_half) & (ys >= p_top) & (ys < p_bottom)
    shading = 236 - 40 * (ys - p_top) / (p_bottom - p_top) - 18 * (xs - cx) / p_half
    array[front] = np.broadcast_to(shading, (h, w))[front][:, None]
    top = (np.abs(xs - cx) < p_half - (p_top - ys) * 0.6) & (ys >= p_top - top_depth) & (ys < p_top)
    array[top] = 246
    # The form's cast shadow on the plinth top and on the wall.
    shadow = np.exp(
        -(((xs - cx - w * 0.06) / (w * 0.13)) ** 2) - ((ys - p_top + top_depth / 2) / 10) ** 2
    )
    array *= (1 - 0.35 * shadow)[..., None]
    wall_shadow = np.exp(-(((xs - cx - w * 0.16) / (w * 0.12)) ** 2)) * (ys < p_top - top_depth)
    array *= (1 - 0.12 * wall_shadow)[..., None]
    # The form: a surface of revolution with an irregular profile, lit from the upper left.
    f_bottom = p_top - top_depth * 0.5
    f_height = h * rng.uniform(0.36, 0.48)
    f_top = f_bottom - f_height
    widest = w * rng.uniform(0.1, 0.16)
    s = np.clip((f_bottom - ys[:, 0]) / f_height, 0, 1)  # 0 at the foot, 1 at the top
    profile = 0.55 + 0.3 * np.sin(math.pi * s)
    for k in range(1, 4):
        profile += rng.uniform(-0.18, 0.18) / k * np.sin(k * math.pi * 2 * s + rng.uniform(0, 6))
    profile *= np.where(s > 0.85, np.sqrt(np.clip((1 - s) / 0.15, 0, 1)), 1)  # rounded top
    radius = np.clip(profile, 0.05, None) * widest
    slope = np.gradient(radius)  # per row, downwards
    nx = (xs - cx) / radius[:, None]
    inside = (np.abs(nx) < 1) & (ys >= f_top) & (ys <= f_bottom)
    nz = np.sqrt(np.clip(1 - nx**2, 0, 1))
    ny = np.broadcast_to(slope[:, None], nx.shape)
    norm = np.sqrt(nx**2 + ny**2 + nz**2) + 1e-6
    light = np.array([-0.55, -0.55, 0.63], np.float32)
    light /= np.linalg.norm(light)
    lambert = np.clip((nx * light[0] + ny * light[1] + nz * light[2]) / norm, 0, 1)
    colour, shine = rng.choice(MATERIALS)
    specular = shine * lambert**24
    tone = 0.22 + 0.85 * lambert
    surface = (
        np.array(colour, np.float32)[None, None, :] * tone[..., None] + 255 * specular[..., None]
    )
    array[inside] = surface[inside]
    # Clay and stone are not smooth: a fine surface texture.
    array = _grain(array, nrng, 4.0 if shine < 0.5 else 2.0)
    return _to_image(_vignette(array, 0.25))


# -- collage (and other media) -----------------------------------------------------------------


def _piece(rng: random.Random, w: int, h: int) -> Image.Image:
    """One scrap of paper, plain, striped, dotted or newsprint, with torn edges."""
    colour = _jitter(
        rng,
        rng.choice(
            [
                (214, 64, 52),
                (246, 200, 72),
                (46, 98, 160),
                (238, 232, 214),
                (40, 40, 44),
                (120, 164, 104),
                (232, 150, 170),
            ]
        ),
        12,
    )
    piece = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(piece)
    edge: list[tuple[float, float]] = []
    steps = 10
    corners = [(0, 0), (w, 0), (w, h), (0, h)]
    for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1], strict=True):
        for k in range(steps):
            edge.append(
                (
                    min(w - 1, max(0, x0 + (x1 - x0) * k / steps + rng.uniform(-4, 4))),
                    min(h - 1, max(0, y0 + (y1 - y0) * k / steps + rng.uniform(-4, 4))),
                )
            )
    draw.polygon(edge, fill=(*colour, 255))
    mask = piece.getchannel("A")
    pattern = rng.choice(["plain", "stripes", "dots", "news"])
    ink = (
        _mix(colour, (20, 20, 20), 0.6) if sum(colour) > 300 else _mix(colour, (250, 250, 250), 0.6)
    )
    overlay = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    odraw = ImageDraw.Draw(overlay)
    if pattern == "stripes":
        for x in range(-h, w, 18):
            odraw.line([(x, 0), (x + h, h)], fill=(*ink, 255), width=6)
    elif pattern == "dots":
        for y in range(8, h, 20):
            for x in range(8 + (y // 20 % 2) * 10, w, 20):
                odraw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(*ink, 255))
    elif pattern == "news":
        for y in range(14, h - 10, 12):
            x = 12
            while x < w - 20:
                word = rng.randint(8, 40)
                odraw.rectangle([x, y, min(w - 12, x + word), y + 4], fill=(*ink, 200))
                x += word + 6
    overlay.putalpha(
        Image.fromarray(np.minimum(np.asarray(overlay.getchannel("A")), np.asarray(mask)))
    )
    return Image.alpha_composite(piece, overlay)


def _collage(rng: random.Random, nrng: np.random.Generator, w: int, h: int) -> Image.Image:
    canvas = Image.new("RGBA", (w, h), (*_jitter(rng, (228, 220, 200), 8), 255))
    for _ in range(rng.randint(7, 12)):
        pw, ph = int(w * rng.uniform(0.15, 0.4)), int(h * rng.uniform(0.12, 0.35))
        piece = _piece(rng, pw, ph).rotate(
            rng.uniform(-25, 25), expand=True, resample=Image.BILINEAR
        )
        x, y = int(rng.uniform(-0.05, 0.85) * w), int(rng.uniform(-0.05, 0.85) * h)
        shadow = Image.new("RGBA", piece.size, (0, 0, 0, 0))
        shadow.putalpha(
            piece.getchannel("A").point(lambda a: a * 0.35).filter(ImageFilter.GaussianBlur(4))
        )
        canvas.alpha_composite(
            shadow, (max(0, x + 5), max(0, y + 6)), (max(0, -x - 5), max(0, -y - 6))
        )
        canvas.alpha_composite(piece, (max(0, x), max(0, y)), (max(0, -x), max(0, -y)))
    array = np.asarray(canvas.convert("RGB"), dtype=np.float32)
    array = _grain(array, nrng, 2.5)
    return _to_image(_vignette(array, 0.1))


# -- writing (a notebook page, should a written work need a picture) ---------------------------


def _writing(rng: random.Random, nrng: np.random.Generator, w: int, h: int) -> Image.Image:
    paper = _paper(nrng, w, h, _jitter(rng, (246, 242, 230), 4))
    image = _to_image(paper)
    draw = ImageDraw.Draw(image)
    ruled = (178, 196, 220)
    spacing = h // 26
    for y in range(spacing * 3, h - spacing, spacing):
        draw.line([(0, y), (w, y)], fill=ruled, width=1)
    draw.line([(w * 0.12, 0), (w * 0.12, h)], fill=(220, 120, 120), width=2)
    ink = rng.choice([(30, 40, 110), (30, 30, 34)])
    for line, y in enumerate(range(spacing * 3, h - spacing * 3, spacing)):
        if line % rng.randint(5, 7) == 4:
            continue  # a blank line between stanzas
        end = w * (0.88 if rng.random() < 0.7 else rng.uniform(0.4, 0.8))
        x = w * 0.15
        points = []
        phase = rng.uniform(0, 6)
        while x < end:
            points.append((x, y - 6 - 6 * abs(math.sin(x / 7 + phase)) + rng.uniform(-1.5, 1.5)))
            x += 3.5
            if rng.random() < 0.06:  # a space between words
                if len(points) > 1:
                    draw.line(points, fill=ink, width=2, joint="curve")
                points, x = [], x + 12
        if len(points) > 1:
            draw.line(points, fill=ink, width=2, joint="curve")
    return image


PAINTERS: dict[str, tuple[Painter, list[tuple[int, int]]]] = {
    "painting": (_painting, [LANDSCAPE, PORTRAIT, SQUARE]),
    "drawing": (_drawing, [LANDSCAPE, PORTRAIT]),
    "photography": (_photography, [LANDSCAPE]),
    "engraving": (_engraving, [PORTRAIT, SQUARE, LANDSCAPE]),
    "sculpture": (_sculpture, [PORTRAIT]),
    "other": (_collage, [SQUARE, LANDSCAPE, PORTRAIT]),
    "writing": (_writing, [PORTRAIT]),
}
