"""Pictures drawn with Pillow for the demo newsroom and the test factories.

Nothing is downloaded: lead images are abstract compositions in the Ressort's colours with
a motif per Ressort (a plenary hemicycle for Politik, a chart for Finanzen …), portraits
are initials on a coloured disc, and the logo is a wordmark. The same ``seed`` always
gives the same picture, so demo and tests agree byte for byte.
"""

import colorsys
import math
import random
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from redaktion.core.text import initials

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# Shapes are drawn at twice the size and scaled down, which smooths their edges.
SUPERSAMPLE = 2

# Background (dark, light) and accent per Ressort; anything else falls back to "default".
PALETTES: dict[str, tuple[str, str, str]] = {
    "politik": ("#1d2b4f", "#3f5a8c", "#e8b04a"),
    "wirtschaft": ("#12403c", "#2f7d6d", "#f2c14e"),
    "finanzen": ("#2a2344", "#4f4a8c", "#7ee0b5"),
    "unternehmen": ("#3b2a1f", "#8a5a3b", "#f4d8a6"),
    "technologie": ("#0f2630", "#1f5f7a", "#5ee0f0"),
    "wissenschaft": ("#22303a", "#4d6b7f", "#f28f6b"),
    "panorama": ("#2f3b24", "#6b8a45", "#f6dd7a"),
    "default": ("#2b2f36", "#59606b", "#f0b35a"),
}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _mix(a, b, t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shift(colour, *, hue: float = 0.0, light: float = 0.0) -> tuple[int, int, int]:
    h, lightness, s = colorsys.rgb_to_hls(*(c / 255 for c in colour))
    h = (h + hue) % 1.0
    lightness = min(1.0, max(0.0, lightness + light))
    return tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, lightness, s))


def font(size: int, *, bold: bool = True) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """DejaVu Sans if the system has it, else Pillow's built-in font at the same size."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _gradient(size: tuple[int, int], top, bottom, *, angle: float) -> Image.Image:
    """A linear gradient from ``top`` to ``bottom`` turned by ``angle`` degrees."""
    ramp = Image.linear_gradient("L").rotate(angle, resample=Image.Resampling.BICUBIC)
    ramp = ramp.crop((48, 48, 208, 208)).resize(size, Image.Resampling.BICUBIC)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), ramp)


def _hemicycle(draw, w, h, rng, accent, light):
    cx, cy = w * rng.uniform(0.42, 0.58), h * 0.92
    rows = rng.randint(6, 8)
    for row in range(rows):
        radius = h * (0.28 + row * 0.075)
        seats = 14 + row * 5
        dot = h * 0.018
        for seat in range(seats + 1):
            angle = math.pi * seat / seats
            x, y = cx - radius * math.cos(angle), cy - radius * math.sin(angle)
            colour = accent if rng.random() < 0.32 else light
            draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=(*colour, 220))


def _bars(draw, w, h, rng, accent, light):
    count = rng.randint(7, 11)
    gap = w * 0.7 / count
    left, base = w * 0.15, h * 0.82
    level = rng.uniform(0.25, 0.45)
    points = []
    for i in range(count):
        level = min(0.62, max(0.12, level + rng.uniform(-0.12, 0.14)))
        x = left + i * gap
        top = base - h * level
        colour = accent if i == count - 1 else light
        draw.rounded_rectangle(
            (x, top, x + gap * 0.62, base), radius=gap * 0.12, fill=(*colour, 200)
        )
        points.append((x + gap * 0.31, top - h * 0.05))
    draw.line(points, fill=(*accent, 255), width=max(2, int(h * 0.008)), joint="curve")
    draw.line((left - gap * 0.3, base, left + count * gap, base), fill=(*light, 160), width=3)


def _chart(draw, w, h, rng, accent, light):
    steps = 48
    value = rng.uniform(0.35, 0.6)
    points = []
    for i in range(steps + 1):
        value = min(0.85, max(0.15, value + rng.gauss(0.004, 0.035)))
        points.append((w * 0.08 + w * 0.84 * i / steps, h * (1 - value)))
    area = [*points, (points[-1][0], h * 0.92), (points[0][0], h * 0.92)]
    draw.polygon(area, fill=(*accent, 70))
    draw.line(points, fill=(*accent, 255), width=max(3, int(h * 0.01)), joint="curve")
    for i in range(1, 5):
        y = h * 0.18 * i
        draw.line((w * 0.08, y, w * 0.92, y), fill=(*light, 50), width=2)
    x, y = points[-1]
    r = h * 0.02
    draw.ellipse((x - r, y - r, x + r, y + r), fill=(*light, 255))


def _blocks(draw, w, h, rng, accent, light):
    x = w * 0.06
    base = h * 0.88
    while x < w * 0.94:
        bw = w * rng.uniform(0.05, 0.11)
        bh = h * rng.uniform(0.22, 0.68)
        colour = accent if rng.random() < 0.22 else light
        draw.rectangle((x, base - bh, x + bw, base), fill=(*colour, 150))
        for wy in range(int(base - bh + h * 0.04), int(base - h * 0.03), int(h * 0.06)):
            for wx in range(int(x + bw * 0.18), int(x + bw * 0.8), int(max(bw * 0.28, 4))):
                if rng.random() < 0.55:
                    draw.rectangle((wx, wy, wx + bw * 0.12, wy + h * 0.025), fill=(*accent, 120))
        x += bw + w * rng.uniform(0.008, 0.02)
    draw.line((0, base, w, base), fill=(*light, 200), width=4)


def _circuit(draw, w, h, rng, accent, light):
    step = h * 0.09
    cols, rows = int(w / step), int(h / step)
    width = max(2, int(h * 0.005))
    for _ in range(rng.randint(22, 30)):
        x, y = rng.randrange(1, cols) * step, rng.randrange(1, rows) * step
        path = [(x, y)]
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.5:
                x += rng.choice((-1, 1)) * step * rng.randint(1, 4)
            else:
                y += rng.choice((-1, 1)) * step * rng.randint(1, 3)
            path.append((x, y))
        colour = accent if rng.random() < 0.4 else light
        draw.line(path, fill=(*colour, 190), width=width)
        r = step * 0.14
        for px, py in (path[0], path[-1]):
            draw.ellipse((px - r, py - r, px + r, py + r), fill=(*colour, 230))
    chip = h * 0.26
    cx, cy = w * rng.uniform(0.35, 0.65), h * rng.uniform(0.4, 0.6)
    draw.rounded_rectangle(
        (cx - chip, cy - chip, cx + chip, cy + chip), radius=chip * 0.12, fill=(*accent, 90)
    )


def _orbits(draw, w, h, rng, accent, light):
    cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.42, 0.58)
    width = max(2, int(h * 0.004))
    for i in range(1, 6):
        rx, ry = h * 0.14 * i * 1.4, h * 0.14 * i * 0.75
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), outline=(*light, 120), width=width)
        angle = rng.uniform(0, 2 * math.pi)
        px, py = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        r = h * rng.uniform(0.015, 0.03)
        draw.ellipse((px - r, py - r, px + r, py + r), fill=(*accent, 240))
    r = h * 0.07
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*accent, 255))


def _hills(draw, w, h, rng, accent, light):
    sun = h * rng.uniform(0.1, 0.16)
    sx, sy = w * rng.uniform(0.6, 0.85), h * rng.uniform(0.2, 0.35)
    draw.ellipse((sx - sun, sy - sun, sx + sun, sy + sun), fill=(*accent, 230))
    for layer in range(4):
        base = h * (0.55 + layer * 0.11)
        amplitude = h * rng.uniform(0.04, 0.09)
        phase = rng.uniform(0, 2 * math.pi)
        waves = rng.uniform(1.2, 2.6)
        points = [
            (x, base + amplitude * math.sin(phase + waves * 2 * math.pi * x / w))
            for x in range(0, w + 20, 20)
        ]
        shade = _mix(light, (20, 30, 20), layer / 4)
        draw.polygon([*points, (w, h), (0, h)], fill=(*shade, 200))


# Alternative text for each motif: what a reader who cannot see the picture misses.
DESCRIPTIONS = {
    "politik": "Abstrakte Grafik: Punkte in einem Halbrund wie die Sitzreihen eines Parlaments",
    "wirtschaft": "Abstrakte Grafik: ein Säulendiagramm mit einer Kurve darüber",
    "finanzen": "Abstrakte Grafik: eine Kurve wie ein Börsenchart",
    "unternehmen": "Abstrakte Grafik: die Silhouette von Bürogebäuden mit erleuchteten Fenstern",
    "technologie": "Abstrakte Grafik: Leiterbahnen rund um einen Chip",
    "wissenschaft": "Abstrakte Grafik: Umlaufbahnen um einen leuchtenden Kern",
    "panorama": "Abstrakte Grafik: Hügelketten unter einer tief stehenden Sonne",
    "default": "Abstrakte Grafik: Umlaufbahnen um einen leuchtenden Kern",
}

MOTIFS = {
    "politik": _hemicycle,
    "wirtschaft": _bars,
    "finanzen": _chart,
    "unternehmen": _blocks,
    "technologie": _circuit,
    "wissenschaft": _orbits,
    "panorama": _hills,
}


def lead_image(*, motif: str, seed: int | str, width: int = 1200, height: int = 675) -> Image.Image:
    """An abstract 16:9 picture in ``motif``'s colours; equal seeds give equal pictures."""
    rng = random.Random(f"artwork:{motif}:{seed}")  # noqa: S311 (pictures, not secrets)
    dark, mid, accent = (_rgb(c) for c in PALETTES.get(motif, PALETTES["default"]))
    hue = rng.uniform(-0.03, 0.03)
    dark, mid = _shift(dark, hue=hue), _shift(mid, hue=hue, light=rng.uniform(-0.05, 0.05))
    light = _shift(mid, light=0.35)
    # The soft background is made small and scaled up; only the motif needs sharp edges.
    small = (max(width // 4, 8), max(height // 4, 8))
    canvas = _gradient(small, mid, dark, angle=rng.uniform(-40, 40)).convert("RGBA")
    glow = Image.new("RGBA", small, (0, 0, 0, 0))
    glow_draw = ImageDraw.Draw(glow)
    sw, sh = small
    for _ in range(3):
        r = sh * rng.uniform(0.25, 0.5)
        x, y = sw * rng.random(), sh * rng.random()
        glow_draw.ellipse((x - r, y - r, x + r, y + r), fill=(*light, 40))
    canvas.alpha_composite(glow.filter(ImageFilter.GaussianBlur(sh * 0.06)))
    canvas = canvas.convert("RGB").resize((width, height), Image.Resampling.BICUBIC)
    # Doubling with NEAREST and reducing afterwards gives the background back unchanged.
    w, h = width * SUPERSAMPLE, height * SUPERSAMPLE
    canvas = canvas.resize((w, h), Image.Resampling.NEAREST)
    # An "RGBA" drawing context blends each translucent shape onto the RGB canvas.
    MOTIFS.get(motif, _orbits)(ImageDraw.Draw(canvas, "RGBA"), w, h, rng, accent, light)
    return canvas.reduce(SUPERSAMPLE)


def portrait(*, name: str, motif: str = "default", size: int = 400) -> Image.Image:
    """A square avatar: the initials of ``name`` on a disc in the Ressort's colours."""
    dark, mid, accent = (_rgb(c) for c in PALETTES.get(motif, PALETTES["default"]))
    s = size * SUPERSAMPLE
    image = Image.new("RGB", (s, s), _shift(mid, light=0.4))
    draw = ImageDraw.Draw(image)
    draw.ellipse((s * 0.04, s * 0.04, s * 0.96, s * 0.96), fill=dark)
    draw.arc((s * 0.04, s * 0.04, s * 0.96, s * 0.96), 200, 340, fill=accent, width=s // 40)
    draw.text(
        (s / 2, s / 2),
        initials(name),
        fill=(255, 255, 255),
        font=font(s * 36 // 100),
        anchor="mm",
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def logo(*, name: str, short_name: str, height: int = 240) -> Image.Image:
    """The wordmark: ``short_name`` in a square badge, ``name`` beside it; as wide as the
    name needs, so the wordmark is never cut off."""
    dark, _mid, accent = (_rgb(c) for c in PALETTES["politik"])
    h = height * SUPERSAMPLE
    pad = h * 0.1
    wordmark = font(h * 30 // 100)
    w = round(h + pad * 0.6 + wordmark.getlength(name) + pad)
    image = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((pad, pad, h - pad, h - pad), radius=h * 0.12, fill=dark)
    draw.rectangle((pad, h - pad - h * 0.08, h - pad, h - pad - h * 0.04), fill=accent)
    draw.text(
        (h / 2, h * 0.46), short_name, fill=(255, 255, 255), font=font(h * 36 // 100), anchor="mm"
    )
    draw.text((h + pad * 0.6, h / 2), name, fill=dark, font=wordmark, anchor="lm")
    return image.resize((w // SUPERSAMPLE, height), Image.Resampling.LANCZOS)


def encode(image: Image.Image, *, fmt: str) -> bytes:
    """The picture as JPEG or PNG bytes, with stable (metadata-free) output."""
    buffer = BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=84)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()
