"""``{% related_articles page %}``: the article page's "Mehr zum Thema", also in a preview."""

import pytest
from django.template import Context, Template

from redaktion.news.factories import ArticlePageFactory, RessortPageFactory
from redaktion.news.models import ArticlePage
from redaktion.news.selectors import ressorts
from redaktion.related.models import RelatedBlock, RelatedPick, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(home_page):
    politik = RessortPageFactory(parent=home_page, title="Politik")
    finanzen = RessortPageFactory(parent=home_page, title="Finanzen")
    main = ArticlePageFactory(parent=politik, title="Haushalt beschlossen", publish=False)
    others = [
        ArticlePageFactory(parent=finanzen, title=f"Meldung {n}", publish=False) for n in range(3)
    ]
    for n, other in enumerate(others):
        Suggestion.objects.create(article=main, suggested=other, score=0.9 - n / 10)
    return ArticlePage.objects.get(pk=main.pk), others


def test_the_tag_attaches_the_ressorts_of_the_page(desk, django_assert_num_queries):
    main, others = desk
    template = Template(
        "{% load related_tags %}{% related_articles page as related %}"
        "{% for article in related %}{{ article.ressort.title }}: {{ article.title }}|{% endfor %}"
    )
    context = Context({"page": main, "ressorts": ressorts()})
    # blocks, picks, suggestions, pages, view restrictions, the recency setting
    with django_assert_num_queries(6):
        html = template.render(context)
    assert html == "Finanzen: Meldung 0|Finanzen: Meldung 1|Finanzen: Meldung 2|"


def test_a_preview_shows_unsaved_picks_and_blocks(desk):
    main, others = desk
    main.related_picks = [RelatedPick(article=others[2])]
    main.related_blocks = [RelatedBlock(article=others[0])]
    html = main.make_preview_request().content.decode()
    top = html.split('id="related-title"', 1)[1].split("</section>", 1)[0]
    assert top.index("Meldung 2") < top.index("Meldung 1")
    assert "Meldung 0" not in top
    assert not RelatedPick.objects.exists()
