"""Fill a database with N published articles for the benchmarks.

Run inside the project's environment with DJANGO_SETTINGS_MODULE set; uses the same factories
as the tests, so generated articles have the anatomy of real ones (authors, topics, a lead
image, a body of several paragraphs). Images are shared to keep generation about the pages.
The articles are inserted in bulk and then settled (``settle``): recorded, indexed and
related, as after an import, so that the worker has nothing left to catch up on.
"""

import argparse
import random
import sys
import time
from datetime import timedelta
from types import SimpleNamespace

import django
from faker import Faker
from harness import insert_live_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--ressorts", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.articles < 1:
        parser.error("--articles must be at least 1")

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from redaktion.news import factories

    factories.reseed(args.seed)
    faker = Faker("de_DE")
    faker.seed_instance(args.seed)
    rng = random.Random(args.seed)  # noqa: S311 (test data, not security)
    started = time.monotonic()
    home = factories.home_page()
    ressort_names = [
        "Politik",
        "Wirtschaft",
        "Finanzen",
        "Unternehmen",
        "Technologie",
        "Panorama",
        "Wissenschaft",
        "Kultur",
        "Sport",
        "Reise",
    ]
    ressorts = [
        factories.RessortPageFactory(parent=home, title=name)
        for name in ressort_names[: args.ressorts]
    ]
    authors = [factories.AuthorFactory() for _ in range(20)]
    topics = [factories.TopicFactory() for _ in range(60)]
    images = [factories.ImageFactory() for _ in range(12)]
    now = timezone.now()
    span = timedelta(days=3 * 365).total_seconds()
    bodies = [article_text(faker) for _ in range(50)]
    for start in range(0, args.articles, 1000):
        count = min(1000, args.articles - start)
        with transaction.atomic():
            bulk_articles(
                rng,
                count,
                ressorts=ressorts,
                authors=authors,
                topics=topics,
                images=images,
                templates=bodies,
                now=now,
                span=span,
            )
        done = start + count
        rate = done / (time.monotonic() - started)
        print(f"\r{done}/{args.articles} articles ({rate:.0f}/s)", end="", file=sys.stderr)
    print(file=sys.stderr)
    settle()
    # The planner's statistics still describe the empty tables of the migration.
    from redaktion.core.database import refresh_statistics

    refresh_statistics()


def settle() -> None:
    """Brings the site to the state a running newsroom is in: what readers see recorded
    (as an import records it, without outbox work per article), the search index and the
    related lists built. Otherwise the worker's first reconciliation would find every
    article unrecorded and without derived data, and spend the whole benchmark repairing
    them one by one, purging the home page with each."""
    from django.db import transaction

    from redaktion.news import publishing
    from redaktion.related.services import related_rebuild
    from redaktion.search.services import search_rebuild

    started = time.monotonic()
    with transaction.atomic(), publishing.events_deferred():
        publishing.articles_sync(None)
    indexed = search_rebuild()
    related_rebuild()
    print(
        f"{indexed} articles recorded, indexed, related lists built "
        f"({time.monotonic() - started:.0f} s)",
        file=sys.stderr,
    )


def bulk_articles(rng, count, *, ressorts, authors, topics, images, templates, now, span):
    """Insert ``count`` live articles with their authors and topics, spread over the
    Ressorts (``harness.insert_live_articles``: no revisions, no search-index entries)."""
    from django.utils.text import slugify

    from redaktion.news.models import ArticleAuthor, ArticlePage, TaggedArticle

    by_ressort: dict[int, list] = {}
    for _ in range(count):
        by_ressort.setdefault(rng.randrange(len(ressorts)), []).append(rng.choice(templates))
    placed = []
    for index, chosen in by_ressort.items():
        ressort = ressorts[index]
        for offset, template in enumerate(chosen, start=ressort.numchild + 1):
            published = now - timedelta(seconds=rng.uniform(0, span))
            article = ArticlePage(
                title=template.title,
                slug=f"{slugify(template.title)[:60]}-{ressort.pk}-{offset}",
                kicker=template.kicker,
                lead=template.lead,
                body=template.body,
                lead_image=rng.choice(images),
                lead_image_caption="Symbolbild",
                lead_image_credit="Bildagentur Nord",
                first_published_at=published,
                last_published_at=published,
            )
            article.update_derived_fields()
            placed.append((ressort, article))
    articles = insert_live_articles(placed)
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(page_id=a.pk, author=author, sort_order=i)
        for a in articles
        for i, author in enumerate(rng.sample(authors, rng.randint(1, 2)))
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object_id=a.pk, tag=topic)
        for a in articles
        for topic in rng.sample(topics, rng.randint(1, 3))
    )


def article_text(faker) -> SimpleNamespace:
    from django.utils.html import escape
    from wagtail.rich_text import RichText

    paragraphs = [faker.paragraph(nb_sentences=6) for _ in range(6)]
    return SimpleNamespace(
        title=faker.sentence(nb_words=7).rstrip("."),
        kicker=faker.word().capitalize(),
        lead=faker.paragraph(nb_sentences=3),
        body=[("paragraph", RichText(f"<p>{escape(p)}</p>")) for p in paragraphs],
    )


if __name__ == "__main__":
    main()
