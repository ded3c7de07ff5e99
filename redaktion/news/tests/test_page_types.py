"""Parent/child rules of the page tree, and that every page type renders and previews."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    ImageFactory,
    RessortPageFactory,
    StandardPageFactory,
    TopicFactory,
    home_page,
)
from redaktion.news.models import ArticlePage, HomePage, RessortPage, StandardPage
from redaktion.related.factories import ArticleWithPicksFactory


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_takes_ressorts_and_standard_pages(self):
        self.assertCanCreateAt(HomePage, RessortPage)
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_ressort_takes_articles_only(self):
        self.assertCanCreateAt(RessortPage, ArticlePage)
        self.assertCanNotCreateAt(RessortPage, RessortPage)
        self.assertCanNotCreateAt(RessortPage, StandardPage)
        self.assertCanNotCreateAt(RessortPage, HomePage)

    def test_article_and_standard_page_take_nothing(self):
        for parent in (ArticlePage, StandardPage):
            for child in (ArticlePage, RessortPage, StandardPage, HomePage):
                self.assertCanNotCreateAt(parent, child)

    def test_home_page_sits_at_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(RessortPage, HomePage)


@pytest.mark.usefixtures("_clean_cache")
class RenderAndPreviewTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = home_page()
        cls.ressort = RessortPageFactory(parent=cls.home, title="Politik", slug="politik")
        cls.pick = ArticlePageFactory(parent=cls.ressort, title="Ältere Meldung")
        cls.article = ArticleWithPicksFactory(
            parent=cls.ressort,
            title="Neue Meldung",
            first_published_at=datetime(2015, 10, 6, 16, 15, tzinfo=UTC),
            lead_image=ImageFactory(),
            lead_image_credit="dpa",
            authors=[AuthorFactory(slug="anna")],
            topics=[TopicFactory(slug="nato", name="Nato")],
            picks=[cls.pick],
            body=[
                ("paragraph", "<p>Text</p>"),
                ("quote", {"text": "Zitat", "attribution": "Jemand"}),
                ("embed", {"url": "https://vimeo.com/76979871", "title": "Video", "caption": ""}),
            ],
        )
        cls.standard = StandardPageFactory(parent=cls.home, title="Impressum", slug="impressum")

    def test_every_page_type_renders(self):
        for page in (self.home, self.ressort, self.article, self.standard):
            self.assertPageIsRenderable(page)

    def test_home_page_routes_render(self):
        for route in ("thema/nato/", "autor/anna/", "archiv/2015/", "archiv/2015/10/"):
            self.assertPageIsRenderable(self.home, route_path=route)
        for route in ("thema/gibts-nicht/", "autor/niemand/", "archiv/1999/", "archiv/2015/13/"):
            self.assertPageIsRenderable(self.home, route_path=route, accept_404=True)

    def test_every_page_type_previews(self):
        for page in (self.home, self.ressort, self.standard):
            self.assertPageIsPreviewable(page)
        self.assertPageIsPreviewable(self.article, post_data=self._article_form_data())

    def _article_form_data(self):
        """The edit form's data; the StreamField is drawn by JavaScript, so its data is given."""
        self.client.force_login(self.create_superuser("formreader"))
        edit_url = reverse("wagtailadmin_pages:edit", kwargs={"page_id": self.article.pk})
        data = querydict_from_html(
            self.client.get(edit_url).content.decode(), form_id="page-edit-form"
        )
        self.client.logout()
        data = data.copy()
        body = nested_form_data(
            {
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>Vorschau</p>")),
                        ("subheading", "Zwischentitel"),
                        ("quote", {"text": "Zitat", "attribution": "Jemand"}),
                    ]
                )
            }
        )
        for key, value in body.items():
            data[key] = value
        return data

    def test_preview_shows_the_draft_and_is_never_cached_publicly(self):
        draft = self.article.get_latest_revision_as_object()
        draft.title = "Entwurf mit neuer Überschrift"
        response = draft.make_preview_request()
        assert response.status_code == 200
        assert "Entwurf mit neuer Überschrift" in response.content.decode()
        cache_control = response.headers["Cache-Control"]
        assert "private" in cache_control
        assert "no-cache" in cache_control
        assert "public" not in cache_control
