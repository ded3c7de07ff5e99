"""The running campaigns as plain, immutable data, kept in the cache.

A decision must not ask the database, so everything it needs (slots, running campaigns
with their targeting, the creatives' finished HTML, the delivery counted so far) is built
once into a :class:`Snapshot` and stored in the cache under a *generation*. Saving a slot,
a campaign, a creative or the ad settings bumps the generation (``services.ads_invalidate``),
so the next decision in every process builds or fetches the new snapshot. Each process
also keeps the snapshot it last used in memory and only asks the cache for the generation,
so most decisions never unpickle anything.

A snapshot lives ``SNAPSHOT_SECONDS``; after that it is built again so that delivery counted
by other processes (caps, goals, pacing) flows back in. Within a process the counts since
the snapshot was built come from the shared counters (``counters``).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from redaktion.core import fragments
from redaktion.core.outage import cache_call

from .models import DISPLAY_SIZES, AdSettings, Campaign, CreativeKind, Size, Slot
from .signing import CLICK_URL_MARK

SNAPSHOT_SECONDS = 30
# A process re-reads the cached snapshot at least this often even without a new generation.
MEMO_SECONDS = 5
GENERATION_KEY = "redaktion:ads:generation"
SNAPSHOT_KEY = "redaktion:ads:snapshot:{generation}"
fragments.read_ahead(GENERATION_KEY, DEFAULT_CACHE_ALIAS)


@dataclass(frozen=True)
class SlotEntry:
    placement: str
    size: str
    position: int


@dataclass(frozen=True)
class CreativeEntry:
    id: int
    kind: str
    html: dict[str, str]  # by slot size
    tag: str = ""


@dataclass(frozen=True)
class CampaignEntry:
    id: int
    house: bool
    priority: int
    weight: int
    starts: float  # epoch seconds
    ends: float
    run_of_site: bool
    ressorts: frozenset[int]
    topics: frozenset[int]
    slots: frozenset[str]  # empty: every slot
    goal: int | None
    even_pacing: bool
    daily_cap: int | None
    total: int  # impressions counted when the snapshot was built, today included
    today: int  # of these, today's (``Snapshot.day``)
    creatives: tuple[CreativeEntry, ...]
    sizes: frozenset[str]  # the sizes at least one creative has HTML for


@dataclass(frozen=True)
class Snapshot:
    generation: str
    enabled: bool
    day: date
    built_at: float
    slots: dict[str, SlotEntry] = field(default_factory=dict)
    campaigns: tuple[CampaignEntry, ...] = ()
    limited: frozenset[int] = frozenset()  # booked campaigns with a goal or a daily cap


def generation() -> str:
    """The current generation; a new random one when the cache has none (after a flush),
    so no process keeps a snapshot from before the flush. A page read with its fragments
    has it already (``fragments.read_ahead``): no round trip of its own."""
    value = fragments.ahead(GENERATION_KEY)
    if isinstance(value, str):
        return value
    value = cache_call(cache.get, GENERATION_KEY)
    if value is None:
        cache_call(cache.add, GENERATION_KEY, secrets.token_hex(8), timeout=None)
        value = cache_call(cache.get, GENERATION_KEY)
    return value


def bump_generation() -> None:
    cache_call(cache.set, GENERATION_KEY, secrets.token_hex(8), timeout=None)


_memo: dict[str, object] = {"snapshot": None, "until": 0.0}


def _memo_valid(snap, gen, now: float) -> bool:
    return (
        isinstance(snap, Snapshot)
        and snap.generation == gen
        and now < _memo["until"]
        and now < snap.built_at + SNAPSHOT_SECONDS
    )


def current(now: float | None = None) -> Snapshot:
    """The snapshot for this moment: from this process's memory, the cache, or the database."""
    now = time.time() if now is None else now
    gen = generation()
    snap = _memo["snapshot"]
    if _memo_valid(snap, gen, now):
        return snap
    key = SNAPSHOT_KEY.format(generation=gen)
    snap = cache_call(cache.get, key)
    if snap is None or now >= snap.built_at + SNAPSHOT_SECONDS or now < snap.built_at:
        snap = build(gen, now=now)
        cache_call(cache.set, key, snap, timeout=SNAPSHOT_SECONDS)
    _memo["snapshot"] = snap
    _memo["until"] = now + MEMO_SECONDS
    return snap


def current_with(now: float, keys_for) -> tuple[Snapshot, dict | None]:
    """``current()`` plus the cache values of ``keys_for(snapshot)``, in one cache call when
    this process's snapshot is still the current one (the usual case). The values are None
    when the snapshot changed; the caller asks again for the new snapshot's keys."""
    snap = _memo["snapshot"]
    extra = keys_for(snap) if isinstance(snap, Snapshot) else []
    values = cache_call(cache.get_many, [GENERATION_KEY, *extra], fallback={})
    if _memo_valid(snap, values.get(GENERATION_KEY), now):
        return snap, values
    return current(now), None


def forget() -> None:
    """Drop this process's memory of the snapshot (tests, after a flush)."""
    _memo["snapshot"] = None
    _memo["until"] = 0.0


def build(gen: str, *, now: float) -> Snapshot:
    """Reads slots, the switch and every campaign running within the snapshot's lifetime.

    Costs a fixed number of queries (settings, slots, campaigns, their slots, Ressorts,
    topics and creatives with images, delivery counts), plus what the image renditions
    need the first time they are made.
    """

    moment = datetime.fromtimestamp(now, tz=timezone.get_current_timezone())
    today = timezone.localdate(moment)
    enabled = AdSettings.load().ads_enabled
    slots = {
        slot.placement: SlotEntry(
            placement=slot.placement,
            size=slot.size,
            position=slot.position,
        )
        for slot in Slot.objects.filter(enabled=True)
    }
    if not enabled or not slots:
        return Snapshot(generation=gen, enabled=enabled, day=today, built_at=now, slots=slots)

    horizon = moment + timedelta(seconds=SNAPSHOT_SECONDS)
    campaigns = list(
        Campaign.objects.filter(active=True, starts_at__lte=horizon, ends_at__gt=moment)
        .prefetch_related("slots", "ressorts", "topics", "creatives__image")
        .annotate(
            counted_total=Sum("days__impressions"),
            counted_today=Sum("days__impressions", filter=Q(days__day=today)),
        )
    )
    sizes = {slot.size for slot in slots.values()}
    if sizes.intersection(DISPLAY_SIZES):
        # A display slot narrower than its size at the reader's screen takes a smaller one.
        sizes.update(DISPLAY_SIZES)
    entries = []
    for campaign in campaigns:
        creatives = tuple(
            _creative_entry(campaign, creative, sizes) for creative in campaign.creatives.all()
        )
        if not creatives:
            continue
        entries.append(
            CampaignEntry(
                id=campaign.pk,
                house=campaign.kind == "house",
                priority=campaign.priority,
                weight=campaign.weight,
                starts=campaign.starts_at.timestamp(),
                ends=campaign.ends_at.timestamp(),
                run_of_site=campaign.run_of_site,
                ressorts=frozenset(ressort.pk for ressort in campaign.ressorts.all()),
                topics=frozenset(topic.pk for topic in campaign.topics.all()),
                slots=frozenset(slot.placement for slot in campaign.slots.all()),
                goal=campaign.impression_goal,
                even_pacing=campaign.even_pacing,
                daily_cap=campaign.daily_cap,
                total=campaign.counted_total or 0,
                today=campaign.counted_today or 0,
                creatives=creatives,
                sizes=frozenset(size for creative in creatives for size in creative.html),
            )
        )
    return Snapshot(
        generation=gen,
        enabled=enabled,
        day=today,
        built_at=now,
        slots=slots,
        campaigns=tuple(entries),
        limited=frozenset(
            entry.id
            for entry in entries
            if not entry.house and (entry.goal is not None or entry.daily_cap)
        ),
    )


# How far a banner's aspect ratio may be from a display size's to be shown in it.
BANNER_RATIO_TOLERANCE = 0.15


def banner_fits(image, size: str) -> bool:
    """An image banner fits the display sizes of (about) its own aspect ratio, so a
    billboard is never cropped into a rectangle."""

    if image is None or size not in DISPLAY_SIZES or not image.height:
        return False
    width, height = DISPLAY_SIZES[size]
    return abs((image.width / image.height) / (width / height) - 1) <= BANNER_RATIO_TOLERANCE


def _creative_entry(campaign, creative, sizes) -> CreativeEntry:
    """The creative's HTML for each slot size it fits: a native teaser fits native slots,
    an image banner the display sizes of its aspect ratio, a tag every display size."""

    url = CLICK_URL_MARK
    if creative.kind == CreativeKind.NATIVE:
        wanted = [Size.NATIVE.value] if Size.NATIVE in sizes else []
    elif creative.kind == CreativeKind.IMAGE:
        wanted = [size for size in sizes if banner_fits(creative.image, size)]
    else:
        wanted = [size for size in sizes if size in DISPLAY_SIZES]
    html = {}
    for size in wanted:
        context = {"creative": creative, "campaign": campaign, "size": size, "click_url": url}
        if creative.kind == CreativeKind.IMAGE:
            if creative.image is None:
                continue
            width, height = DISPLAY_SIZES[size]
            context["banner"] = creative.image.get_rendition(f"fill-{width}x{height}")
            context["banner_2x"] = creative.image.get_rendition(f"fill-{2 * width}x{2 * height}")
        html[size] = render_to_string("ads/creative.html", context)
    tag = creative.tag_html if creative.kind == CreativeKind.TAG else ""
    return CreativeEntry(id=creative.pk, kind=creative.kind, html=html, tag=tag)
