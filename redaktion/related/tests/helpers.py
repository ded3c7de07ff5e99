from datetime import timedelta

from django.utils import timezone

from redaktion.news.factories import ArticlePageFactory, RessortPageFactory

from .corpus import TEXTS

RESSORTS = {"wirtschaft": "Wirtschaft", "fussball": "Sport", "klima": "Wissen"}


def article(ressort, text, *, title=None, days_ago=0, **kwargs):
    sentences = text.split(". ")
    return ArticlePageFactory(
        parent=ressort,
        title=title or sentences[0].rstrip("."),
        lead=sentences[0],
        kicker="",
        paragraphs=[text],
        first_published_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )


def newsroom(home_page):
    """{label: [articles]} for the corpus; one Ressort per label; oldest first."""
    result = {}
    day = 40
    for label, texts in TEXTS.items():
        ressort = RessortPageFactory(parent=home_page, title=RESSORTS[label])
        result[label] = []
        for text in texts:
            result[label].append(article(ressort, text, days_ago=day))
            day -= 1
    return result


def labels_of(pages, articles):
    by_pk = {page.pk: label for label, group in articles.items() for page in group}
    return [by_pk.get(page.pk) for page in pages]
