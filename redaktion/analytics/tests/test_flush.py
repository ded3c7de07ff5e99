"""Writing the counts: batches per article and hour, once per batch even when the worker
dies mid-flush, with the in-process store and with Redis; connected to the scheduler."""

import time
from datetime import UTC, datetime

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redaktion.analytics import counting, services
from redaktion.analytics.models import AppliedFlush, ArticleReadHour
from redaktion.core.outage import FailOpenRedisCache
from redaktion.core.worker import scheduler_ran
from redaktion.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db
redis = pytest.importorskip("redis")

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC).timestamp()


@pytest.fixture
def articles(db):
    return ArticlePageFactory.create_batch(2, publish=False)


@pytest.fixture
def redis_store(redis_server):
    """A Redis of the test's own: parallel test processes never share its keys."""
    yield counting.RedisStore(redis.Redis.from_url(redis_server.url()))


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return counting.MemoryStore()
    return request.getfixturevalue("redis_store")


def count(store, article, n, now=NOW, host=""):
    for _ in range(n):
        store.add(
            [counting.view_field(article.pk, now), counting.referrer_field(article.pk, host, now)]
        )


def hours(article) -> dict:
    return dict(ArticleReadHour.objects.filter(article=article).values_list("hour", "views"))


def test_counts_land_in_hourly_buckets_with_one_write_per_bucket(store, articles):
    first, second = articles
    count(store, first, 500, host="www.google.de")
    count(store, first, 3, host="t.co")
    count(store, first, 2, now=NOW + 3600)
    count(store, second, 7)
    with CaptureQueriesContext(connection) as queries:
        assert services.reads_flush(store=store) == 512
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
    # The flush record, then one INSERT per new (article, hour) row: 503 views of one
    # article from two hosts are one write.
    assert len([sql for sql in writes if "analytics_articlereadhour" in sql]) == 3
    hour = datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert hours(first) == {hour: 503, hour.replace(hour=11): 2}
    assert hours(second) == {hour: 7}
    count(store, first, 1, host="t.co")
    count(store, second, 1)
    with CaptureQueriesContext(connection) as queries:
        services.reads_flush(store=store)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    # Rows that exist are added to in one statement, whatever their number.
    assert len([sql for sql in writes if "analytics_articlereadhour" in sql]) == 1
    row = ArticleReadHour.objects.get(article=first, hour=hour)
    assert (row.views, row.referrers) == (504, {"www.google.de": 500, "t.co": 4})
    assert hours(second)[hour] == 8
    assert services.reads_flush(store=store) == 0  # nothing pending


def test_a_batch_counted_before_referrers_were_kept_by_the_hour_is_written(articles):
    store = counting.MemoryStore()
    article = articles[0]
    store.add([counting.view_field(article.pk, NOW), f"r:{article.pk}:2026-03-02:t.co"])
    services.reads_flush(store=store)
    rows = dict(ArticleReadHour.objects.filter(article=article).values_list("hour", "referrers"))
    # The day's first hour in the site's time zone (Europe/Berlin: 23:00 UTC the day before).
    assert rows[datetime(2026, 3, 1, 23, tzinfo=UTC)] == {"t.co": 1}
    assert sum(hours(article).values()) == 1


class Died(Exception):
    pass


def test_a_flush_that_died_after_writing_is_not_written_again(store, articles, monkeypatch):
    article = articles[0]
    count(store, article, 3)
    done = store.done
    monkeypatch.setattr(store, "done", lambda flush_id: (_ for _ in ()).throw(Died()))
    with pytest.raises(Died):
        services.reads_flush(store=store)
    assert sum(hours(article).values()) == 3
    count(store, article, 2)  # beacons meanwhile start a new batch
    monkeypatch.setattr(store, "done", done)
    services.reads_flush(store=store)  # the batch left aside again (skipped), then the new one
    assert sum(hours(article).values()) == 5
    assert AppliedFlush.objects.count() == 2
    assert services.reads_flush(store=store) == 0


def test_a_flush_that_died_while_writing_loses_nothing(store, articles, monkeypatch):
    article = articles[0]
    count(store, article, 4)
    add_to_rows = services._add_to_rows
    monkeypatch.setattr(services, "_add_to_rows", lambda *a: (_ for _ in ()).throw(Died()))
    with pytest.raises(Died):
        services.reads_flush(store=store)
    assert hours(article) == {}
    assert not AppliedFlush.objects.exists()  # rolled back with the counts
    monkeypatch.setattr(services, "_add_to_rows", add_to_rows)
    services.reads_flush(store=store)
    assert sum(hours(article).values()) == 4


def test_a_batch_taken_again_keeps_its_id(store, articles):
    count(store, articles[0], 1)
    first = store.take()
    count(store, articles[0], 1)
    again = store.take()
    assert again == first
    store.done(first.flush_id)
    assert store.take().flush_id != first.flush_id


def test_the_worker_scheduler_writes_the_counts(articles, monkeypatch, redis_store):
    monkeypatch.setattr(counting, "store", lambda: redis_store)
    count(redis_store, articles[0], 3, now=time.time())
    reports = [
        report for _receiver, report in scheduler_ran.send_robust(sender=None, deadline=None)
    ]
    assert "reads: 3 views written" in reports
    assert sum(hours(articles[0]).values()) == 3


def test_redis_is_the_store_when_the_cache_is_redis(monkeypatch, redis_server):
    redis_cache = FailOpenRedisCache(redis_server.url(), {})
    monkeypatch.setattr(counting, "caches", {"default": redis_cache})
    assert isinstance(counting.store(), counting.RedisStore)
    monkeypatch.setattr(counting, "caches", {"default": LocMemCache("reads", {})})
    assert counting.store() is counting._memory_store


def test_with_redis_a_read_is_checked_and_counted_in_one_round_trip(
    monkeypatch, redis_server, articles
):
    redis_cache = FailOpenRedisCache(redis_server.url(), {})
    monkeypatch.setattr(counting, "caches", {"default": redis_cache})
    monkeypatch.setattr(counting, "cache", redis_cache)
    client = redis.Redis.from_url(redis_server.url())
    article = articles[0]
    reader = {"address": "203.0.113.5", "user_agent": "Firefox", "now": NOW}

    # The script is loaded into this Redis by its first use.
    counting.record_read(article_id=articles[1].pk, referrer_host="", **reader)
    calls_before = client.info("commandstats")["cmdstat_evalsha"]["calls"]
    hincrby_before = client.info("commandstats")["cmdstat_hincrby"]["calls"]
    counting.record_read(article_id=article.pk, referrer_host="t.co", **reader)
    counting.record_read(article_id=article.pk, referrer_host="t.co", **reader)  # a reload
    counting.record_read(article_id=article.pk, referrer_host="", **{**reader, "address": "x"})
    stats = client.info("commandstats")
    assert stats["cmdstat_evalsha"]["calls"] - calls_before == 3  # one call per beacon
    assert stats["cmdstat_hincrby"]["calls"] - hincrby_before == 4  # two readers, two fields

    # The reader's key is the cache's own: the cache sees the reader as seen.
    assert not counting.first_view(article_id=article.pk, **reader)
    assert services.reads_flush(store=counting.store()) == 3
    row = ArticleReadHour.objects.get(article=article)
    assert row.referrers == {"t.co": 1, "": 1}


def test_referrer_rows_of_days_are_folded_into_the_days_first_hour(articles):
    """Migration 0002: each day's referrer counts join the article's first hour of the day."""
    from importlib import import_module
    from types import SimpleNamespace

    fold = import_module("redaktion.analytics.migrations.0002_referrers_by_hour")
    article = articles[0]
    first_hour = datetime(2026, 3, 1, 23, tzinfo=UTC)  # 2 March, 00:00 in Berlin
    ArticleReadHour.objects.create(article=article, hour=first_hour, views=5, referrers={})
    day = datetime(2026, 3, 2).date()
    old_rows = [
        SimpleNamespace(article_id=article.pk, day=day, host="t.co", views=2),
        SimpleNamespace(article_id=article.pk, day=day, host="", views=1),
        SimpleNamespace(article_id=articles[1].pk, day=day, host="t.co", views=4),
    ]

    class OldReferrers:
        class objects:
            @staticmethod
            def order_by(*fields):
                return SimpleNamespace(iterator=lambda: iter(old_rows))

    models = {"ArticleReferrer": OldReferrers, "ArticleReadHour": ArticleReadHour}
    fold.fold_referrers_into_hours(SimpleNamespace(get_model=lambda app, name: models[name]), None)

    row = ArticleReadHour.objects.get(article=article, hour=first_hour)
    assert (row.views, row.referrers) == (5, {"t.co": 2, "": 1})
    other = ArticleReadHour.objects.get(article=articles[1])
    assert (other.hour, other.views, other.referrers) == (first_hour, 0, {"t.co": 4})
