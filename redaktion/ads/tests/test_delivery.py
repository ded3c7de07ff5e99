"""The decision: targeting, booking period, priority, weights, caps, pacing, house ads."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from redaktion.ads import snapshot
from redaktion.ads.delivery import PACING_AHEAD_SECONDS, decide, due_impressions
from redaktion.ads.factories import CampaignFactory, CreativeFactory, slot_enable
from redaktion.ads.models import AdSettings, Placement, Size
from redaktion.ads.services import ads_count, ads_invalidate
from redaktion.news.factories import RessortPageFactory, TopicFactory

pytestmark = pytest.mark.django_db

RIVER = Placement.RIVER.value
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def campaign_with_creative(**fields):
    campaign = CampaignFactory(**fields)
    CreativeFactory(campaign=campaign, title=f"Creative of {campaign.name}")
    return campaign


def chosen(placements=(RIVER,), **kwargs):
    return [d.campaign_id if d else None for d in decide(list(placements), **kwargs)]


@pytest.fixture
def river(db):
    return slot_enable(Placement.RIVER)


def test_no_enabled_slot_no_ad(db):
    campaign_with_creative()
    assert chosen() == [None]


def test_run_of_site_campaign_fills_the_slot_with_its_html_and_a_token(river):
    campaign = campaign_with_creative()
    [decision] = decide([RIVER])
    assert decision.campaign_id == campaign.pk
    assert "Anzeige" in decision.html
    assert decision.token


def test_unknown_and_disabled_slots_stay_empty(river):
    campaign_with_creative()
    assert chosen(["nowhere", Placement.HOME.value]) == [None, None]


def test_targeting_by_ressort_and_topic(river, home_page):
    politik = RessortPageFactory(parent=home_page, title="Politik")
    finanzen = RessortPageFactory(parent=home_page, title="Finanzen")
    nato = TopicFactory(name="Nato")
    by_ressort = campaign_with_creative(run_of_site=False, targeting={"ressorts": [politik]})
    by_topic = campaign_with_creative(run_of_site=False, targeting={"topics": [nato]})

    assert chosen(ressort_id=politik.pk) == [by_ressort.pk]
    assert chosen(ressort_id=finanzen.pk, topic_ids=frozenset({nato.pk})) == [by_topic.pk]
    assert chosen(ressort_id=finanzen.pk) == [None]
    assert chosen() == [None]  # the home page: neither Ressort nor topic


def test_campaign_booked_for_other_slots_is_not_shown(river):
    article_bottom = slot_enable(Placement.ARTICLE_BOTTOM)
    campaign = campaign_with_creative(targeting={"slots": [article_bottom]})
    assert chosen([RIVER, Placement.ARTICLE_BOTTOM.value]) == [None, campaign.pk]


def test_creative_must_fit_the_slot_size(db):
    slot_enable(Placement.HOME, size=Size.BILLBOARD)
    campaign_with_creative()  # a native teaser only
    assert chosen([Placement.HOME.value]) == [None]


def test_booking_period(river):
    campaign = campaign_with_creative(starts_at=START, ends_at=START + timedelta(days=7))
    with time_machine.travel(START - timedelta(minutes=1), tick=False):
        snapshot.forget()
        assert chosen() == [None]
    with time_machine.travel(START, tick=False):
        snapshot.forget()
        assert chosen() == [campaign.pk]
    with time_machine.travel(START + timedelta(days=7), tick=False):
        snapshot.forget()
        assert chosen() == [None]


def test_paused_campaign_is_not_shown(river):
    campaign_with_creative(active=False)
    assert chosen() == [None]


def test_higher_priority_wins(river):
    campaign_with_creative(priority=3, weight=1000)
    high = campaign_with_creative(priority=8, weight=1)
    rng = random.Random(7)
    assert {chosen(rng=rng)[0] for _ in range(50)} == {high.pk}


def test_weights_share_the_slot(river):
    """Weights 1:3 over 4,000 draws with a fixed seed: shares within two points."""
    light = campaign_with_creative(weight=10)
    heavy = campaign_with_creative(weight=30)
    rng = random.Random(20240917)
    counts = Counter(chosen(rng=rng)[0] for _ in range(4000))
    assert set(counts) == {light.pk, heavy.pk}
    assert counts[heavy.pk] / 4000 == pytest.approx(0.75, abs=0.02)


def test_house_ad_fills_only_empty_slots(river):
    house = campaign_with_creative(kind="house", priority=10)
    assert chosen() == [house.pk]
    booked = campaign_with_creative(priority=1)
    ads_invalidate()
    assert chosen() == [booked.pk]


def test_one_page_never_shows_a_campaign_twice(river):
    first = campaign_with_creative()
    second = campaign_with_creative()
    assert sorted(chosen([RIVER, RIVER], rng=random.Random(1))) == sorted([first.pk, second.pk])
    # With only one campaign left the second slot stays empty.
    second.active = False
    second.save()
    ads_invalidate()
    assert chosen([RIVER, RIVER, RIVER]) == [first.pk, None, None]


def test_the_site_switch_turns_every_ad_off(river):
    campaign_with_creative(kind="house")
    settings = AdSettings.load()
    settings.ads_enabled = False
    settings.save()
    ads_invalidate()
    assert chosen([RIVER, RIVER]) == [None, None]


def test_daily_cap_stops_for_the_day_and_resumes_the_next(river):
    with time_machine.travel(START + timedelta(hours=2), tick=False) as traveller:
        campaign = campaign_with_creative(
            daily_cap=100, starts_at=START, ends_at=START + timedelta(days=10)
        )
        day = START.date()
        ads_count(day=day, impressions={campaign.pk: 99})
        assert chosen() == [campaign.pk]
        ads_count(day=day, impressions={campaign.pk: 1})
        assert chosen() == [None]
        # The snapshot (built from the database) agrees once it is rebuilt.
        ads_invalidate()
        assert chosen() == [None]
        traveller.move_to(START + timedelta(days=1))
        assert chosen() == [campaign.pk]


def test_cap_counted_in_the_database_holds_without_the_cache_counter(river):
    """Another process counted: the snapshot's database figures apply."""
    with time_machine.travel(START + timedelta(hours=2), tick=False):
        campaign = campaign_with_creative(
            daily_cap=10, starts_at=START, ends_at=START + timedelta(days=10)
        )
        ads_count(day=START.date(), impressions={campaign.pk: 10})
        from django.core.cache import cache

        cache.delete_many([key for key in cache._cache if ":ads:n:" in key])
        ads_invalidate()
        assert chosen() == [None]


def test_impression_goal_stops_delivery(river):
    with time_machine.travel(START + timedelta(days=9), tick=False):
        campaign = campaign_with_creative(
            impression_goal=500,
            even_pacing=False,
            starts_at=START,
            ends_at=START + timedelta(days=10),
        )
        ads_count(day=START.date(), impressions={campaign.pk: 499})
        ads_invalidate()
        assert chosen() == [campaign.pk]
        ads_count(day=(START + timedelta(days=9)).date(), impressions={campaign.pk: 1})
        assert chosen() == [None]


def test_even_pacing_follows_the_booking_period(river):
    """10,000 impressions over 10 days: a day in, about 1,000 (plus an hour's share) are due."""
    end = START + timedelta(days=10)
    campaign = campaign_with_creative(impression_goal=10_000, starts_at=START, ends_at=end)
    hour_share = 10_000 * PACING_AHEAD_SECONDS / (10 * 86400)

    with time_machine.travel(START + timedelta(days=1), tick=False) as traveller:
        ads_invalidate()
        due = int(1000 + hour_share)
        ads_count(day=START.date(), impressions={campaign.pk: due - 1})
        ads_invalidate()
        assert chosen() == [campaign.pk]
        ads_count(day=(START + timedelta(days=1)).date(), impressions={campaign.pk: 1})
        assert chosen() == [None], "ahead of schedule: wait"

        traveller.move_to(START + timedelta(days=5))
        assert chosen() == [campaign.pk], "half the period: half the goal is due"

        entry = next(c for c in snapshot.current().campaigns if c.id == campaign.pk)
    assert due_impressions(entry, START.timestamp()) == int(hour_share)
    assert due_impressions(entry, end.timestamp()) == 10_000


def test_decision_reads_no_database_once_the_snapshot_is_built(river, django_assert_num_queries):
    campaign_with_creative(daily_cap=1000, impression_goal=10_000)
    decide([RIVER])
    with django_assert_num_queries(0):
        for _ in range(20):
            decide([RIVER, RIVER])


def test_snapshot_build_has_a_fixed_number_of_queries(db, django_assert_num_queries):
    """Settings, slots, campaigns with counts, their slots, Ressorts, topics, creatives."""
    slot_enable(Placement.RIVER)
    for _ in range(3):
        campaign_with_creative()
    snapshot.build("a", now=datetime.now(tz=UTC).timestamp())  # makes the settings row
    for _ in range(3):
        campaign_with_creative()
    with django_assert_num_queries(7):
        snap = snapshot.build("b", now=datetime.now(tz=UTC).timestamp())
    assert len(snap.campaigns) == 6


def test_a_warm_decision_asks_the_cache_once(river, monkeypatch):
    """Generation and today's counters come in one call while the snapshot is current."""
    from django.core.cache import cache

    campaign_with_creative(daily_cap=1000)
    decide([RIVER])
    calls = Counter()
    inside = []  # the in-memory backend's get_many calls its own get per key

    for name in ("get", "get_many", "set", "add"):
        original = getattr(cache, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            if not inside:
                calls[_name] += 1
            inside.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, counted)
    for _ in range(5):
        assert chosen() != [None]
    assert calls == {"get_many": 5}
