"""Writes of the ad app: counting impressions and clicks, and invalidating the snapshot.

Counts go into one ``CampaignDay`` row per campaign and day, incremented in the database
(``UPDATE … SET impressions = impressions + n``), so concurrent requests never overwrite
each other; the row is created on the first count of the day, and a concurrent creation is
caught by the unique constraint and turned into an increment. A beacon that carries several
views adds them up per campaign first (one statement per campaign, not per view).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from redaktion.core.outage import cache_call
from redaktion.core.useragents import is_bot

from . import snapshot
from .delivery import COUNTER_SECONDS, counter_key, local_day
from .models import CampaignDay, Creative
from .signing import CLICK_TOKEN_SECONDS, VIEW_TOKEN_SECONDS, read_click_token, read_view_token

SEEN_KEY = "redaktion:ads:seen:{nonce}"
CLICKED_KEY = "redaktion:ads:clicked:{nonce}"
MAX_TOKENS_PER_BEACON = 20


class AdError(Exception):
    """A domain error of the ad app; the message says what to fix."""


def ads_invalidate() -> None:
    """Every process builds or fetches a new snapshot for its next decision. Idempotent."""
    snapshot.bump_generation()
    snapshot.forget()


def ads_count(
    *,
    day: date,
    impressions: Mapping[int, int] | None = None,
    clicks: Mapping[int, int] | None = None,
) -> None:
    """Adds impressions and clicks per campaign id to the campaigns' rows of ``day``.

    Loses nothing under concurrency (see the module docstring). Counts for a campaign that
    was deleted meanwhile are dropped. Also increments today's shared counters, which the
    decisions read for caps, goals and pacing.
    """
    impressions = {pk: n for pk, n in (impressions or {}).items() if n > 0}
    clicks = {pk: n for pk, n in (clicks or {}).items() if n > 0}
    for campaign_id in sorted(set(impressions) | set(clicks)):
        _increment(campaign_id, day, impressions.get(campaign_id, 0), clicks.get(campaign_id, 0))
    for campaign_id, n in impressions.items():
        _bump_counter(counter_key(day, campaign_id), n)


def _increment(campaign_id: int, day: date, impressions: int, clicks: int) -> None:
    rows = CampaignDay.objects.filter(campaign_id=campaign_id, day=day)
    changes = {"impressions": F("impressions") + impressions, "clicks": F("clicks") + clicks}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            CampaignDay.objects.create(
                campaign_id=campaign_id, day=day, impressions=impressions, clicks=clicks
            )
    except IntegrityError:
        # Another request created the row first (or the campaign is gone: then 0 rows).
        rows.update(**changes)


def _bump_counter(key: str, n: int) -> None:
    """Adds ``n`` to today's shared counter; without a reachable cache only the database row
    counts (decisions then pace by the snapshot's figures)."""
    cache_call(_incr_or_add, key, n)


def _incr_or_add(key: str, n: int) -> None:
    try:
        cache.incr(key, n)
    except ValueError:
        if not cache.add(key, n, timeout=COUNTER_SECONDS):
            cache.incr(key, n)


def ads_count_views(*, tokens: Iterable[str], user_agent: str, now: float | None = None) -> int:
    """Counts one impression per valid view token; returns how many were counted.

    A token counts once: forged, expired and repeated tokens are ignored, and so is every
    token sent by a known robot. At most ``MAX_TOKENS_PER_BEACON`` tokens are read.
    """
    if is_bot(user_agent):
        return 0
    now = time.time() if now is None else now
    per_campaign: Counter[int] = Counter()
    for raw in list(tokens)[:MAX_TOKENS_PER_BEACON]:
        token = read_view_token(raw.strip())
        if token is None:
            continue
        # Without a reachable cache a token cannot be proven unused: it is not counted.
        if not cache_call(
            cache.add, SEEN_KEY.format(nonce=token.nonce), 1, VIEW_TOKEN_SECONDS, fallback=False
        ):
            continue
        per_campaign[token.campaign_id] += 1
    if per_campaign:
        ads_count(day=local_day(now), impressions=per_campaign)
    return sum(per_campaign.values())


def ads_click(*, token: str, user_agent: str, now: float | None = None) -> str:
    """The target URL of the creative named by a click token, counting the click once per
    token (not for a robot, a replay, or while the cache is unreachable). Raises ``AdError``
    for a forged or expired token or a creative that is gone."""
    clicked = read_click_token(token)
    if clicked is None:
        raise AdError("This ad link is not valid.")
    campaign_id, creative_id = clicked.campaign_id, clicked.creative_id
    target = (
        Creative.objects.filter(pk=creative_id, campaign_id=campaign_id)
        .values_list("target_url", flat=True)
        .first()
    )
    if not target:
        raise AdError("This ad is no longer available.")
    first_use = cache_call(
        cache.add, CLICKED_KEY.format(nonce=clicked.nonce), 1, CLICK_TOKEN_SECONDS, fallback=False
    )
    if first_use and not is_bot(user_agent):
        now = time.time() if now is None else now
        ads_count(day=local_day(now), clicks={campaign_id: 1})
    return target
