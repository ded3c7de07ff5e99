"""Reads of the notifications app, each with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Page

from redaktion.news.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    RessortPage,
    TaggedArticle,
    Topic,
)
from redaktion.news.templatetags.news_tags import author_url, topic_url

from .models import Channel, Delivery, Follow, FollowKind, Rhythm, Subscriber


@dataclass(frozen=True)
class Targets:
    """What an article can be followed by: its Ressort, topics and authors."""

    ressort_id: int | None
    topic_ids: tuple[int, ...]
    author_ids: tuple[int, ...]

    def follow_filter(self) -> Q:
        query = Q(pk__in=[])
        if self.ressort_id is not None:
            query |= Q(kind=FollowKind.RESSORT, target_id=self.ressort_id)
        if self.topic_ids:
            query |= Q(kind=FollowKind.TOPIC, target_id__in=self.topic_ids)
        if self.author_ids:
            query |= Q(kind=FollowKind.AUTHOR, target_id__in=self.author_ids)
        return query

    def pairs(self) -> set[tuple[str, int]]:
        """The (kind, id) pairs a ``Follow`` of one of these targets has."""
        pairs = {(FollowKind.TOPIC.value, pk) for pk in self.topic_ids}
        pairs |= {(FollowKind.AUTHOR.value, pk) for pk in self.author_ids}
        if self.ressort_id is not None:
            pairs.add((FollowKind.RESSORT.value, self.ressort_id))
        return pairs


def article_targets(article: ArticlePage) -> Targets:
    """The article's Ressort (its parent), topics and authors; three queries."""
    parent = Page.objects.filter(path=article.path[: -Page.steplen]).values_list("pk", flat=True)
    return Targets(
        ressort_id=next(iter(parent), None),
        topic_ids=tuple(
            TaggedArticle.objects.filter(content_object_id=article.pk)
            .order_by("tag_id")
            .values_list("tag_id", flat=True)
        ),
        author_ids=tuple(
            ArticleAuthor.objects.filter(page_id=article.pk)
            .order_by("author_id")
            .values_list("author_id", flat=True)
        ),
    )


def articles_targets(article_ids) -> dict[int, Targets]:
    """``article_targets`` of several articles at once (those that still exist); four
    queries, none for no ids."""
    ids = set(article_ids)
    if not ids:
        return {}
    paths = dict(Page.objects.filter(pk__in=ids).values_list("pk", "path"))
    parents = dict(
        Page.objects.filter(
            path__in={path[: -Page.steplen] for path in paths.values()}
        ).values_list("path", "pk")
    )
    topics: dict[int, list[int]] = {}
    for article_id, tag_id in (
        TaggedArticle.objects.filter(content_object_id__in=paths)
        .order_by("tag_id")
        .values_list("content_object_id", "tag_id")
    ):
        topics.setdefault(article_id, []).append(tag_id)
    authors: dict[int, list[int]] = {}
    for article_id, author_id in (
        ArticleAuthor.objects.filter(page_id__in=paths)
        .order_by("author_id")
        .values_list("page_id", "author_id")
    ):
        authors.setdefault(article_id, []).append(author_id)
    return {
        pk: Targets(
            ressort_id=parents.get(path[: -Page.steplen]),
            topic_ids=tuple(topics.get(pk, ())),
            author_ids=tuple(authors.get(pk, ())),
        )
        for pk, path in paths.items()
    }


def delivery_reasons(pairs) -> dict[tuple[int, int], list[FollowItem]]:
    """Why each (subscriber id, article id) in ``pairs`` got the article: the subscriber's
    follows that the article matches, named, in ``follow_items`` order (empty when none is
    left). At most eight queries for any number of pairs."""
    pairs = set(pairs)
    targets = articles_targets({article_id for _subscriber_id, article_id in pairs})
    wanted = Q(pk__in=[])
    for article_targets_ in targets.values():
        wanted |= article_targets_.follow_filter()
    follows: dict[int, set[tuple[str, int]]] = {}
    for subscriber_id, kind, target_id in Follow.objects.filter(
        wanted, subscriber_id__in={subscriber_id for subscriber_id, _article_id in pairs}
    ).values_list("subscriber_id", "kind", "target_id"):
        follows.setdefault(subscriber_id, set()).add((kind, target_id))
    matched = {
        (subscriber_id, article_id): follows.get(subscriber_id, set())
        & (targets[article_id].pairs() if article_id in targets else set())
        for subscriber_id, article_id in pairs
    }
    items = follow_items([pair for found in matched.values() for pair in found])
    return {
        key: [item for item in items if (item.kind, item.target_id) in found]
        for key, found in matched.items()
    }


def followers(targets: Targets) -> QuerySet:
    """Active subscribers who follow any of ``targets``: distinct subscriber ids with their
    channel and rhythm, one query (``Follow``'s target index drives it)."""
    return (
        Follow.objects.filter(targets.follow_filter(), subscriber__status=Subscriber.Status.ACTIVE)
        .values_list("subscriber_id", "subscriber__channel", "subscriber__rhythm")
        .order_by()
        .distinct()
    )


def fan_out_rows(
    targets: Targets, *, article_id: int, reason: str, now: datetime, entry_id: int = 0
) -> QuerySet:
    """The ``Delivery`` rows of one fan-out as a SELECT (for INSERT … SELECT), columns in
    ``FAN_OUT_COLUMNS`` order. Email subscribers with a daily rhythm collect new articles for
    their digest; push and breaking news go out at once; a Liveticker's key event
    (``entry_id``) reaches push and instant email only."""
    digest = (
        Case(
            When(
                subscriber__rhythm=Rhythm.DAILY, subscriber__channel=Channel.EMAIL, then=Value(True)
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
        if reason == Delivery.Reason.NEW
        else Value(False, output_field=BooleanField())
    )
    follows = Follow.objects.filter(
        targets.follow_filter(), subscriber__status=Subscriber.Status.ACTIVE
    )
    if reason == Delivery.Reason.KEY_EVENT:
        # A key event is news of the moment: push and instant email, never a digest.
        follows = follows.exclude(
            subscriber__rhythm=Rhythm.DAILY, subscriber__channel=Channel.EMAIL
        )
    return (
        follows.annotate(
            d_article=Value(article_id),
            d_channel=F("subscriber__channel"),
            d_reason=Value(reason),
            d_entry=Value(entry_id),
            d_digest=digest,
            d_status=Value(Delivery.Status.PENDING.value),
            d_attempts=Value(0),
            d_next=Value(now),
            d_created=Value(now),
            d_error=Value(""),
        )
        .values_list(
            "subscriber_id",
            "d_article",
            "d_channel",
            "d_reason",
            "d_entry",
            "d_digest",
            "d_status",
            "d_attempts",
            "d_next",
            "d_created",
            "d_error",
        )
        .order_by()
        .distinct()
    )


FAN_OUT_COLUMNS = (
    "subscriber_id",
    "article_id",
    "channel",
    "reason",
    "entry_id",
    "digest",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
    "last_error",
)


@dataclass(frozen=True)
class FollowItem:
    kind: str
    target_id: int
    name: str
    url: str

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.target_id}"

    @property
    def kind_label(self) -> str:
        """The kind as a label in front of the name: "Thema"."""
        labels = {
            FollowKind.RESSORT: _("Section"),
            FollowKind.TOPIC: _("Topic"),
            FollowKind.AUTHOR: _("Author"),
        }
        return labels[self.kind]

    @property
    def described(self) -> str:
        """What is followed, in a sentence's words: "das Thema Bundeshaushalt"."""
        patterns = {
            FollowKind.RESSORT: _("the section %(name)s"),
            FollowKind.TOPIC: _("the topic %(name)s"),
            FollowKind.AUTHOR: _("articles by %(name)s"),
        }
        return patterns[self.kind] % {"name": self.name}

    @property
    def followed(self) -> str:
        """What is followed, as the object of "you follow …" (German takes the dative
        there): "dem Thema Bundeshaushalt"."""
        patterns = {
            FollowKind.RESSORT: pgettext("you follow …", "the section %(name)s"),
            FollowKind.TOPIC: pgettext("you follow …", "the topic %(name)s"),
            FollowKind.AUTHOR: pgettext("you follow …", "%(name)s"),
        }
        return patterns[self.kind] % {"name": self.name}

    @property
    def label(self) -> str:
        """Kind and name, as a heading or list item: "Thema Bundeshaushalt"."""
        return f"{FollowKind(self.kind).label} {self.name}"


def follow_items(pairs: list[tuple[str, int]]) -> list[FollowItem]:
    """Names and URLs of (kind, id) pairs that still exist, in kind then name order; at most
    three queries (one per kind present), none for an empty list."""
    wanted: dict[str, set[int]] = {}
    for kind, target_id in pairs:
        wanted.setdefault(kind, set()).add(int(target_id))
    items: list[FollowItem] = []
    if wanted.get(FollowKind.RESSORT):
        for page in RessortPage.objects.live().filter(pk__in=wanted[FollowKind.RESSORT]):
            items.append(FollowItem(FollowKind.RESSORT, page.pk, page.title, page.url or ""))
    if wanted.get(FollowKind.TOPIC):
        for topic in Topic.objects.filter(pk__in=wanted[FollowKind.TOPIC]):
            items.append(FollowItem(FollowKind.TOPIC, topic.pk, topic.name, topic_url(topic)))
    if wanted.get(FollowKind.AUTHOR):
        for author in Author.objects.filter(pk__in=wanted[FollowKind.AUTHOR]):
            items.append(FollowItem(FollowKind.AUTHOR, author.pk, author.name, author_url(author)))
    order = {kind: index for index, kind in enumerate(FollowKind.values)}
    return sorted(items, key=lambda item: (order[item.kind], item.name.casefold()))


def follow_targets(*, ressort=None, topics=(), authors=()) -> list[FollowItem]:
    """What a page offers to follow, from objects the page already loaded (no query): its
    Ressort, then its topics, then its authors, each once, in the order given."""
    items = []
    if ressort is not None:
        items.append(FollowItem(FollowKind.RESSORT, ressort.pk, ressort.title, ""))
    items.extend(FollowItem(FollowKind.TOPIC, topic.pk, topic.name, "") for topic in topics)
    items.extend(FollowItem(FollowKind.AUTHOR, author.pk, author.name, "") for author in authors)
    return list(dict.fromkeys(items))


def subscriber_follows(subscriber: Subscriber) -> list[FollowItem]:
    """What ``subscriber`` follows, named; at most four queries."""
    pairs = list(subscriber.follows.values_list("kind", "target_id"))
    return follow_items(pairs)


def subscriber_data(subscriber: Subscriber) -> dict:
    """Everything stored about ``subscriber`` (the "download my data" export); three
    queries: follows, names of what is followed at most three, deliveries."""
    follows = subscriber_follows(subscriber)
    deliveries = subscriber.deliveries.order_by("created_at", "pk").values(
        "article_id", "channel", "reason", "status", "created_at", "sent_at"
    )
    return {
        "channel": subscriber.channel,
        "email": subscriber.email,
        "push_endpoint": subscriber.push_endpoint,
        "status": subscriber.status,
        "rhythm": subscriber.rhythm,
        "digest_hour": subscriber.digest_hour,
        "language": subscriber.language,
        "consent_text": subscriber.consent_text,
        "consented_at": subscriber.consented_at.isoformat(),
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "created_at": subscriber.created_at.isoformat(),
        "follows": [
            {"kind": item.kind, "id": item.target_id, "name": item.name} for item in follows
        ],
        "deliveries": [
            {
                **row,
                "created_at": row["created_at"].isoformat(),
                "sent_at": row["sent_at"].isoformat() if row["sent_at"] else None,
            }
            for row in deliveries
        ],
    }


def digest_slots(now: datetime) -> dict[int, datetime]:
    """For each hour of the day, the latest time at or before ``now`` with that local hour."""
    local = timezone.localtime(now)
    slots = {}
    for hour in range(24):
        slot = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        if slot > local:
            slot -= timedelta(days=1)
        slots[hour] = slot
    return slots


def due_digest_subscribers(now: datetime, *, limit: int) -> list[int]:
    """Ids of email subscribers whose digest is due: they have a pending digest delivery
    created before the latest occurrence of their digest hour. At most ``limit``, one query."""
    due = Q(pk__in=[])
    for hour, slot in digest_slots(now).items():
        due |= Q(subscriber__digest_hour=hour, created_at__lt=slot)
    return list(
        Delivery.objects.filter(
            due,
            status=Delivery.Status.PENDING,
            digest=True,
            channel=Channel.EMAIL,
            subscriber__status=Subscriber.Status.ACTIVE,
        )
        .values_list("subscriber_id", flat=True)
        .order_by("subscriber_id")
        .distinct()[:limit]
    )


def has_due_deliveries(channel: str, now: datetime) -> bool:
    """Whether instant deliveries on ``channel`` wait to be sent; one query."""
    return Delivery.objects.filter(
        status=Delivery.Status.PENDING, channel=channel, digest=False, next_attempt_at__lte=now
    ).exists()
