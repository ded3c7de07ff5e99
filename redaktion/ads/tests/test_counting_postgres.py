"""Concurrent impressions on PostgreSQL: threads that count at the same moment lose nothing,
including the race to create the day's row."""

import threading

import pytest
from django.db import connection

from redaktion.ads.factories import CampaignFactory, CreativeFactory
from redaktion.ads.models import CampaignDay
from redaktion.ads.services import ads_count, ads_count_views
from redaktion.ads.signing import view_token

THREADS = 8
BEACONS = 40
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def run_threads(work):
    barrier = threading.Barrier(THREADS)
    errors = []

    def target(number):
        try:
            barrier.wait()
            work(number)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


@pytest.mark.postgres
# serialized_rollback also keeps the closing flush from re-running post_migrate (the desk's
# groups), which would collide with the next serialized test's restored rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_beacons_lose_no_impression():
    campaigns = [CampaignFactory() for _ in range(2)]
    creatives = [CreativeFactory(campaign=campaign) for campaign in campaigns]
    tokens = {
        n: [
            [view_token(campaign_id=c.campaign_id, creative_id=c.pk) for c in creatives]
            for _ in range(BEACONS)
        ]
        for n in range(THREADS)
    }

    def work(number):
        for beacon in tokens[number]:
            assert ads_count_views(tokens=beacon, user_agent=BROWSER) == 2

    run_threads(work)
    for campaign in campaigns:
        row = CampaignDay.objects.get(campaign=campaign)
        assert row.impressions == THREADS * BEACONS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_increments_of_a_new_day_lose_nothing():
    from datetime import date

    campaign = CampaignFactory()
    day = date(2026, 5, 4)

    def work(number):
        for _ in range(25):
            ads_count(day=day, impressions={campaign.pk: 3}, clicks={campaign.pk: 1})

    run_threads(work)
    row = CampaignDay.objects.get(campaign=campaign, day=day)
    assert (row.impressions, row.clicks) == (THREADS * 25 * 3, THREADS * 25)
