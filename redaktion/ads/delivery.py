"""Choosing the ad for a slot: in memory, from the snapshot and the shared day counters.

For each slot asked for, in order:

1. the ads switch and the slot must be on;
2. candidates are campaigns booked for the slot (or for every slot) with a creative that
   fits its size, inside their booking period, and targeted at the page: run of site, or
   the page's Ressort, or one of its topics;
3. a booked campaign drops out when it reached its impression goal, today's cap, or (with
   even pacing) the share of its goal that is due by now;
4. among the booked campaigns left, the highest priority wins; within it one is drawn with
   probability proportional to its weight. House ads are drawn (by weight) only when no
   booked campaign is left;
5. one page never gets the same campaign twice: a slot with no other campaign left stays
   empty;
6. a display slot narrower than its size at the reader's screen (the width the page's
   script sends) shows the largest smaller size that fits, of the nearest height (a
   billboard slot on a phone: a 300×250 rectangle, else a 320×100 banner), never a banner
   scaled down, and nothing when none fits.

Impressions are counted later, when the reader saw the ad; counts of today come from the
cache counters that the counting service increments, so a cap holds across processes as
far as the cache is shared (Redis); with the in-process cache each process adds its own
counts to those in the snapshot.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from redaktion.core.outage import cache_call

from . import snapshot as snapshots
from .models import DISPLAY_SIZES
from .signing import CLICK_URL_MARK, click_url, new_nonce, view_token

# Even pacing lets a campaign run this far ahead of its schedule, so that a campaign can
# start delivering at once and short gaps in traffic do not starve it.
PACING_AHEAD_SECONDS = 3600
MAX_SLOTS_PER_REQUEST = 12
COUNTER_KEY = "redaktion:ads:n:{day}:{campaign}"
COUNTER_SECONDS = 2 * 24 * 3600

_rng = random.Random()  # noqa: S311 (ad rotation, not secrets)


@dataclass(frozen=True)
class Decision:
    placement: str
    campaign_id: int
    creative_id: int
    html: str
    tag: str
    token: str

    def as_json(self) -> dict:
        data = {"slot": self.placement, "html": self.html, "token": self.token}
        if self.tag:
            # The tag itself runs in a frame of its own (``ads:frame``), never in the page.
            data["tag"] = reverse("ads:frame", args=[self.creative_id])
        return data


def local_day(now: float) -> date:
    """The day (Europe/Berlin, the site's time zone) of the epoch time ``now``."""
    return timezone.localdate(datetime.fromtimestamp(now, tz=timezone.get_current_timezone()))


def counter_key(day, campaign_id: int) -> str:
    return COUNTER_KEY.format(day=day.isoformat(), campaign=campaign_id)


def due_impressions(campaign: snapshots.CampaignEntry, now: float) -> int | None:
    """How many impressions the campaign may have delivered by ``now``: its goal, or with
    even pacing the share of the goal due by then (plus ``PACING_AHEAD_SECONDS``). None
    when it has no goal."""
    if campaign.goal is None:
        return None
    if not campaign.even_pacing:
        return campaign.goal
    span = max(campaign.ends - campaign.starts, 1.0)
    share = min(1.0, max(0.0, (now - campaign.starts + PACING_AHEAD_SECONDS) / span))
    return int(campaign.goal * share)


def _targets(campaign: snapshots.CampaignEntry, ressort_id, topic_ids) -> bool:
    if campaign.run_of_site:
        return True
    if ressort_id is not None and ressort_id in campaign.ressorts:
        return True
    return bool(campaign.topics.intersection(topic_ids))


def sizes_for(size: str, width: int | None) -> list[str]:
    """The sizes an ad may take in a slot of ``size`` that is ``width`` CSS pixels wide, in
    order of preference: the slot's own when it fits or the width is unknown; else the
    display sizes no wider than the slot, the nearest in height first (the space the slot
    reserves), then the larger; none when nothing fits."""
    if size not in DISPLAY_SIZES or width is None or DISPLAY_SIZES[size][0] <= width:
        return [size]
    own_height = DISPLAY_SIZES[size][1]
    smaller = [name for name, (w, _h) in DISPLAY_SIZES.items() if w <= width]
    return sorted(
        smaller,
        key=lambda name: (
            abs(DISPLAY_SIZES[name][1] - own_height),
            -DISPLAY_SIZES[name][0] * DISPLAY_SIZES[name][1],
        ),
    )


def _running(snap, now: float, ressort_id, topic_ids) -> list:
    """Campaigns inside their booking period and targeted at the page."""
    return [
        campaign
        for campaign in snap.campaigns
        if campaign.starts <= now < campaign.ends and _targets(campaign, ressort_id, topic_ids)
    ]


def decide(
    placements: list[str],
    *,
    ressort_id: int | None = None,
    topic_ids: frozenset[int] = frozenset(),
    widths: list[int] | None = None,
    now: float | None = None,
    rng: random.Random | None = None,
) -> list[Decision | None]:
    """One decision (or None: leave the slot empty) per placement, in order; ``widths`` are
    the slots' widths in CSS pixels at the reader's screen, in the same order (unknown when
    missing).

    Never touches the database once the snapshot is built; asks the cache, in one call, for
    the generation and today's counters of the running campaigns targeted at this page that
    have a goal or a cap.
    """
    now = time.time() if now is None else now
    rng = rng or _rng
    day = local_day(now)
    topic_ids = frozenset(topic_ids)
    found: dict[str, object] = {}

    def counter_keys(memo) -> list[str]:
        found["snapshot"] = memo
        found["running"] = _running(memo, now, ressort_id, topic_ids)
        return [counter_key(day, c.id) for c in found["running"] if c.id in memo.limited]

    snap, counters = snapshots.current_with(now, counter_keys)
    placements = placements[:MAX_SLOTS_PER_REQUEST]
    if not snap.enabled or not snap.campaigns:
        return [None] * len(placements)

    if found.get("snapshot") is snap:
        running = found["running"]
    else:
        running = _running(snap, now, ressort_id, topic_ids)
    counted = _counted_today(snap, running, day, counters)
    eligible = [campaign for campaign in running if _within_limits(campaign, counted, now)]

    decisions: list[Decision | None] = []
    shown: set[int] = set()
    widths = list(widths or [])
    for index, placement in enumerate(placements):
        slot = snap.slots.get(placement)
        if slot is None:
            decisions.append(None)
            continue
        sizes = sizes_for(slot.size, widths[index] if index < len(widths) else None)
        fitting = [
            campaign
            for campaign in eligible
            if (not campaign.slots or placement in campaign.slots)
            and campaign.id not in shown
            and campaign.sizes.intersection(sizes)
        ]
        campaign = _draw(fitting, rng)
        if campaign is None:
            decisions.append(None)
            continue
        shown.add(campaign.id)
        size = next(size for size in sizes if size in campaign.sizes)
        creatives = [creative for creative in campaign.creatives if size in creative.html]
        creative = creatives[0] if len(creatives) == 1 else rng.choice(creatives)
        ids = {"campaign_id": campaign.id, "creative_id": creative.id, "nonce": new_nonce()}
        decisions.append(
            Decision(
                placement=placement,
                campaign_id=campaign.id,
                creative_id=creative.id,
                html=creative.html[size].replace(CLICK_URL_MARK, click_url(**ids)),
                tag=creative.tag,
                token=view_token(**ids),
            )
        )
    return decisions


def _counted_today(snap, campaigns, day, live: dict | None) -> dict[int, tuple[int, int]]:
    """(total, today) impressions per booked campaign with a goal or a cap; ``live`` holds
    the day counters already fetched, or None to fetch them."""
    limited = [c for c in campaigns if not c.house and (c.goal is not None or c.daily_cap)]
    if not limited:
        return {}
    keys = {counter_key(day, c.id): c for c in limited}
    if live is None:
        live = cache_call(cache.get_many, list(keys), fallback={})
    result = {}
    for key, campaign in keys.items():
        counter = live.get(key, 0)
        if day == snap.day:
            today = max(campaign.today, counter)
            total = campaign.total - campaign.today + today
        else:
            today = counter
            total = campaign.total + counter
        result[campaign.id] = (total, today)
    return result


def _within_limits(campaign, counted, now: float) -> bool:
    if campaign.house or campaign.id not in counted:
        return True
    total, today = counted[campaign.id]
    if campaign.daily_cap and today >= campaign.daily_cap:
        return False
    due = due_impressions(campaign, now)
    return due is None or total < due


def _draw(campaigns, rng: random.Random):
    """Highest priority among booked campaigns, by weight; house ads only without them."""
    if not campaigns:
        return None
    booked = [campaign for campaign in campaigns if not campaign.house]
    pool = booked or campaigns
    top = max(campaign.priority for campaign in pool)
    pool = [campaign for campaign in pool if campaign.priority == top]
    if len(pool) == 1:
        return pool[0]
    return rng.choices(pool, weights=[campaign.weight for campaign in pool])[0]
