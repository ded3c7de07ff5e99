"""Ads for the German demo newsroom: the slots switched on, a few invented advertisers with
native teasers and banners drawn by Pillow, and a house ad for the slots nobody booked.

``ads_demo_load`` is called by ``redaktion demo`` and changes nothing on a second run.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection

from redaktion.ads.models import (
    DISPLAY_SIZES,
    Campaign,
    CampaignKind,
    Creative,
    CreativeKind,
    Size,
    Slot,
)
from redaktion.ads.services import ads_invalidate
from redaktion.demo import artwork
from redaktion.news.models import RessortPage

# Every advertiser here is invented; the URLs use the reserved .example domain.
SLOTS = [
    ("river", Size.NATIVE, 6),
    ("article_inline", Size.RECTANGLE, 3),
    ("article_bottom", Size.NATIVE, 1),
    ("home", Size.BILLBOARD, 1),
    ("ressort", Size.LEADERBOARD, 1),
]
NATIVE_IMAGE = (800, 450)


@dataclass(frozen=True)
class Palette:
    sky: str
    ground: str
    accent: str


@dataclass(frozen=True)
class NativeSpec:
    advertiser: str
    campaign: str
    brand: str
    ressort_label: str
    title: str
    text: str
    url: str
    palette: Palette
    ressorts: tuple[str, ...] = ()
    priority: int = 5
    weight: int = 10
    goal: int | None = None
    daily_cap: int | None = None
    house: bool = False


NATIVE = [
    NativeSpec(
        advertiser="Ostseeresort Sonnendeck",
        campaign="Halbzeit-Urlaub",
        brand="Sonnendeck",
        ressort_label="Reisen",
        title="Halbzeit: Urlaub an der Ostsee",
        text=(
            "Wie wäre es mit einer Woche am Meer zur Mitte des Jahres? Einfach durchatmen, "
            "Strandkorb inklusive, und dort sein, wo der Tag mit Wellen beginnt."
        ),
        url="https://sonnendeck.example/halbzeit",
        palette=Palette("#7cc3e8", "#e9d7a8", "#f29f3d"),
        priority=6,
        weight=20,
        goal=60_000,
        daily_cap=4_000,
    ),
    NativeSpec(
        advertiser="Nordkapital Vermögensplanung",
        campaign="Depot-Check",
        brand="Nordkapital",
        ressort_label="Geldanlage",
        title="Was Ihr Depot über Ihre Rente verrät",
        text=(
            "Ein kostenloser Depot-Check zeigt in zehn Minuten, ob Ihre Anlagen zu Ihren "
            "Zielen passen. Ohne Vertrag, ohne Verkaufsgespräch."
        ),
        url="https://nordkapital.example/depot-check",
        palette=Palette("#1f3b5a", "#3f6e8c", "#9ee6c0"),
        ressorts=("finanzen", "wirtschaft", "unternehmen"),
        priority=7,
        weight=10,
        goal=20_000,
    ),
    NativeSpec(
        advertiser="Redaktion Nachrichten",
        campaign="Newsletter",
        brand="In eigener Sache",
        ressort_label="Newsletter",
        title="Der Morgen in fünf Minuten: unser Newsletter",
        text="Jeden Werktag um sechs die wichtigsten Nachrichten, ausgewählt von der Redaktion.",
        url="",
        palette=Palette("#9f1d20", "#5a1012", "#ffffff"),
        house=True,
    ),
]
BANNER = {
    "advertiser": "Bergbahnen Hochalm",
    "campaign": "Saisonstart",
    "headline": "Saisonstart auf der Hochalm",
    "subline": "Skipass online 15 % günstiger",
    "alt": "Bergbahnen Hochalm: Saisonstart – Skipass online 15 % günstiger",
    "url": "https://hochalm.example/skipass",
    "palette": Palette("#2f5f8a", "#f4f7fb", "#d8432e"),
}

Progress = Callable[[str], None]


def ads_demo_is_loaded() -> bool:
    return Campaign.objects.filter(advertiser=BANNER["advertiser"]).exists()


def ads_demo_load(*, progress: Progress | None = None, now: datetime | None = None) -> int:
    """Switches the slots on and books the demo campaigns; returns how many were created.

    Idempotent: when the demo campaigns exist, nothing is written and 0 is returned.
    """
    report = progress or (lambda message: None)
    if ads_demo_is_loaded():
        return 0
    now = now or timezone.now()
    for placement, size, position in SLOTS:
        Slot.objects.update_or_create(
            placement=placement, defaults={"enabled": True, "size": size, "position": position}
        )
    collection = Collection.objects.filter(name="Demo").first() or Collection.get_first_root_node()
    ressorts = {page.slug: page for page in RessortPage.objects.all()}
    start = now - timedelta(days=10)
    created = 0
    for spec in NATIVE:
        campaign = Campaign.objects.create(
            name=spec.campaign,
            advertiser=spec.advertiser,
            kind=CampaignKind.HOUSE if spec.house else CampaignKind.PAID,
            starts_at=start,
            ends_at=start + timedelta(days=60),
            run_of_site=not spec.ressorts,
            priority=spec.priority,
            weight=spec.weight,
            impression_goal=spec.goal,
            daily_cap=spec.daily_cap,
        )
        if spec.ressorts:
            campaign.ressorts.set([ressorts[slug] for slug in spec.ressorts if slug in ressorts])
            campaign.save()
        image = _image(
            f"Anzeige {spec.advertiser}",
            _native_picture(spec.palette, seed=spec.campaign),
            collection,
        )
        Creative.objects.create(
            campaign=campaign,
            kind=CreativeKind.NATIVE,
            brand=spec.brand,
            ressort_label=spec.ressort_label,
            title=spec.title,
            text=spec.text,
            image=image,
            target_url=spec.url or settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/",
        )
        created += 1
    campaign = Campaign.objects.create(
        name=BANNER["campaign"],
        advertiser=BANNER["advertiser"],
        starts_at=start,
        ends_at=start + timedelta(days=60),
        priority=5,
        weight=10,
        impression_goal=100_000,
    )
    for order, (width, height) in enumerate(
        sorted(set(DISPLAY_SIZES.values()), key=lambda size: -size[0])
    ):
        picture = _banner_picture(BANNER, width * 2, height * 2)
        Creative.objects.create(
            campaign=campaign,
            sort_order=order,
            kind=CreativeKind.IMAGE,
            brand="Hochalm",
            image=_image(f"Banner {BANNER['advertiser']} {width}x{height}", picture, collection),
            alt_text=BANNER["alt"],
            target_url=BANNER["url"],
        )
    created += 1
    ads_invalidate()
    report(_("Ads: %(count)d campaigns, slots switched on") % {"count": created})
    return created


def _image(title: str, picture: Image.Image, collection):
    data = artwork.encode(picture, fmt="JPEG")
    image_model = get_image_model()
    image = image_model(
        title=title,
        collection=collection,
        file_size=len(data),
        file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
    )
    image.file.save(f"{slugify(title)[:60]}.jpg", ContentFile(data), save=False)
    # Known dimensions spare decoding the picture again.
    image.width, image.height = picture.size
    image.save()
    return image


def _native_picture(palette: Palette, *, seed: str) -> Image.Image:
    """A sky-to-ground gradient with a sun and soft waves or hills in the palette."""
    width, height = NATIVE_IMAGE
    rng = random.Random(seed)  # noqa: S311 (pictures, not secrets)
    picture = Image.new("RGB", (width, height), palette.sky)
    draw = ImageDraw.Draw(picture)
    horizon = int(height * rng.uniform(0.55, 0.68))
    for y in range(horizon, height):
        draw.line([(0, y), (width, y)], fill=palette.ground)
    sun = rng.randint(width // 4, 3 * width // 4)
    draw.ellipse([sun - 70, horizon - 150, sun + 70, horizon - 10], fill=palette.accent)
    for band in range(5):
        y = horizon + 18 + band * 32
        points = [(x, y + 8 * ((x // 40 + band) % 2)) for x in range(0, width + 40, 40)]
        draw.line(points, fill=palette.sky, width=4)
    return picture


def _fitting_size(draw, text: str, room: int, *, start: int) -> int:
    """The largest font size up to ``start`` at which ``text`` fits into ``room`` pixels."""
    size = start
    while size > 8 and draw.textlength(text, font=artwork.font(size)) > room:
        size -= 2
    return size


def _banner_picture(spec: dict, width: int, height: int) -> Image.Image:
    """A banner: mountains on the left, headline and call to action on the right."""
    palette: Palette = spec["palette"]
    picture = Image.new("RGB", (width, height), palette.ground)
    draw = ImageDraw.Draw(picture)
    wide = width / height > 2.5
    if wide:
        peaks = [(0, height), (width * 0.12, height * 0.3), (width * 0.22, height * 0.7)]
        peaks += [(width * 0.3, height * 0.2), (width * 0.42, height)]
    else:
        peaks = [(0, height), (width * 0.3, height * 0.72), (width * 0.5, height * 0.85)]
        peaks += [(width * 0.75, height * 0.62), (width, height)]
    draw.polygon(peaks, fill=palette.sky)
    left = int(width * (0.46 if wide else 0.08))
    room = width - left - int(width * 0.04)
    size = _fitting_size(draw, spec["headline"], room, start=int(height * (0.2 if wide else 0.1)))
    top = int(height * 0.12)
    draw.text((left, top), spec["headline"], font=artwork.font(size), fill=palette.sky)
    draw.text(
        (left, top + int(size * 1.4)),
        spec["subline"],
        font=artwork.font(int(size * 0.7), bold=False),
        fill="#1a1a1a",
    )
    label = artwork.font(int(size * 0.7))
    label_width = draw.textlength("Jetzt buchen", font=label)
    button = (
        left,
        top + int(size * 2.6),
        left + int(label_width + size),
        top + int(size * 3.8),
    )
    if button[3] < height:
        draw.rectangle(button, fill=palette.accent)
        draw.text(
            (left + size // 2, button[1] + size // 5), "Jetzt buchen", font=label, fill="#fff"
        )
    return picture
