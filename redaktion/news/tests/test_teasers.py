"""A teaser's HTML is rendered once per article instance and variant (``news.teasers``): a
listing kept in the cache carries it, and no two variants share it."""

import pickle

import pytest
from django.template import RequestContext, engines
from django.test import RequestFactory

from redaktion.news import teasers
from redaktion.news.factories import ArticlePageFactory, ImageFactory
from redaktion.news.models import ArticlePage

pytestmark = pytest.mark.django_db

PAGE = engines["django"].from_string(
    "{% load news_tags %}{% for a in articles %}"
    '[{% teaser a %}|{% teaser a heading="h2" %}|{% teaser a image=False compact=True %}'
    '|{% teaser a "lead" %}]{% endfor %}'
)


@pytest.fixture
def article(ressorts):
    created = ArticlePageFactory(
        parent=ressorts["Politik"],
        title="Hafen",
        lead="Ein Vorspann.",
        lead_image=ImageFactory(width=800, height=450),
    )
    return ArticlePage.objects.get(pk=created.pk)


def template_context():
    context = RequestContext(RequestFactory().get("/"))
    context.template = PAGE.template
    return context


def render(articles):
    return PAGE.render({"articles": articles}, RequestFactory().get("/"))


def test_each_variant_has_its_own_html(article):
    variants = render([article]).strip("[]").split("|")
    assert [v.count('<h3 class="teaser__title">') for v in variants] == [1, 0, 1, 0]
    assert '<h2 class="teaser__title">' in variants[1]
    assert "teaser__lead" in variants[0] and "teaser__lead" not in variants[2]
    assert "lead-story__title" in variants[3]
    assert len(article.rendered_teasers) == 4


def test_a_prerendered_article_carries_its_html_through_the_cache(
    article, settings, django_assert_num_queries
):
    settings.FRAGMENT_CACHE_ENABLED = True
    assert article.lead_image is not None
    teasers.prerender(RequestFactory().get("/"), [article], heading="h2")
    assert "lead_image" not in article._state.fields_cache  # the picture is not stored
    stored = pickle.loads(pickle.dumps(article))  # noqa: S301 (our own value, as the cache)
    stored.title = "Nicht gerendert"
    with django_assert_num_queries(0):
        html = teasers.render(template_context(), stored, heading="h2")
    assert "Hafen" in html and "<img" in html
    assert "Nicht gerendert" in render([stored]).split("|")[0]


def test_highlighted_teasers_are_rendered_each_time(article):
    article.highlighted_title = "<mark>Hafen</mark>"
    render([article])
    assert getattr(article, teasers.ATTRIBUTE) == {}


def test_an_unknown_option_is_refused(article):
    with pytest.raises(ValueError, match="colour"):
        teasers.render(None, article, colour="rot")


def test_without_the_fragment_cache_nothing_is_rendered_ahead(article, settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    teasers.prerender(RequestFactory().get("/"), [article], heading="h2")
    assert getattr(article, teasers.ATTRIBUTE, {}) == {}
