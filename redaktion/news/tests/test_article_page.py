"""The article page reads like the reference anatomy, in German, in the right order."""

import re
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.test import Client, TestCase
from django.utils import translation
from django.utils.html import escape

from redaktion.news.factories import ArticlePageFactory, ImageFactory, home_page

from .newsroom import build_brand, build_newsroom, build_ressorts


def _text(html: str) -> str:
    """Visible text with tags removed and whitespace folded, for order checks."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _in_order(text: str, *parts: str) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found != -1, f"{part!r} missing after position {position}"
        position = found + len(part)


class ArticleAnatomyTests(TestCase):
    """Read-only checks on one rendering of the reference article."""

    @classmethod
    def setUpTestData(cls):
        cls.newsroom = build_newsroom(home_page(), build_brand(), build_ressorts(home_page()))
        cache.clear()
        response = Client().get(cls.newsroom["article"].url)
        assert response.status_code == 200
        cls.html = response.content.decode()

    def test_anatomy_in_the_order_of_the_reference(self):
        main = self.html.split('<main id="main"', 1)[1]
        _in_order(
            _text(main),
            "Politik",
            "Gemeinsam gegen den IS",
            "Russland lädt Nato-Offiziere nach Moskau ein",
            "Lesezeit: 2 min",
            "06.10.2015 18:15",
            "Russlands Präsident sorgt täglich für Überraschungen.",
            "Von",
            "Anna Berger",
            "(Korrespondentin)",
            "Der Kreml in Moskau.",
            "Foto: dpa",
            "Mehr zum Thema:",
            "Syrien",
            "Benachrichtigung über neue Artikel:",
            "Politik",
            "Das russische Verteidigungsministerium hat die Nato eingeladen.",
            "Koordination der Luftschläge",
            "Mehr zum Thema:",
            "Ölpreis steigt nach Luftangriffen",
            "Nato beobachtet russischen Militäraufmarsch",
            "Neueste Artikel",
            "KI-Startups in Deutschland",
        )

    def test_header_markup(self):
        assert '<p class="article__ressort"><a href="/politik/">Politik</a></p>' in self.html
        assert '<h1 class="article__title">Russland lädt Nato-Offiziere nach Moskau ein</h1>' in (
            self.html
        )
        assert (
            '<time class="article__published" datetime="2015-10-06T18:15:00+02:00">'
            "06.10.2015 18:15</time>" in self.html
        )
        assert self.html.count("<h1") == 1
        assert '<html lang="de">' in self.html

    def test_lead_image_is_responsive_avif_and_webp_with_caption_and_credit(self):
        figure = self.html.split('<figure class="article__figure figure">', 1)[1].split(
            "</figure>", 1
        )[0]
        alt = escape(self.newsroom["article"].lead_image.default_alt_text)
        img = re.search(r"<img [^>]+>", figure).group(0)
        assert re.search(rf'<img alt="{re.escape(alt)}"[^>]* height="450"', img)
        assert 'width="800"' in img
        # Fetched first (it is the largest paint on desktops), decoded off the main thread.
        assert 'fetchpriority="high"' in img
        assert 'decoding="async"' in img
        assert "loading=" not in img
        # The column less its margins on phones, 46rem from 48em on.
        sizes = 'sizes="(min-width: 48em) 46rem, calc(100vw - 2rem)"'
        assert sizes in img
        # Every width the picture is shown at, up to twice that (720 for 2x phones up to
        # 392 px wide), never scaled up: AVIF first, the site's WebP for other browsers.
        original = self.newsroom["article"].lead_image.width
        widths = [400, 720, 800, min(1520, original)]
        source = re.search(r"<picture><source [^>]+>", figure).group(0)
        assert 'type="image/avif"' in source
        assert sizes in source
        for tag, extension in ((source, ".avif"), (img, ".webp")):
            srcset = re.search(r'srcset="([^"]+)"', tag).group(1)
            assert [int(w) for w in re.findall(r" (\d+)w", srcset)] == widths
            assert srcset.count(extension) == len(widths)
        assert re.search(r'src="[^"]+\.width-800\.webp"', img)
        assert "Der Kreml in Moskau." in figure
        assert '<span class="figure__credit">Foto: dpa</span>' in figure

    def test_related_list_once_after_the_body_picks_first_in_their_order(self):
        assert self.html.count('class="related"') == 1
        body_end = self.html.index("</article>")
        related = self.html.split('id="related-title"', 1)[1].split("</section>", 1)[0]
        assert self.html.index('id="related-title"') > body_end
        assert related.index("Ölpreis steigt") < related.index("Nato beobachtet")
        for title in ("Ölpreis steigt", "Nato beobachtet"):
            assert self.html.count(title) == 1, title

    def test_two_rows_between_picture_and_body(self):
        rows = self.html.split('<div class="article__rows">', 1)[1].split(
            '<div class="article__body">', 1
        )[0]
        topics = rows.split('<p class="rowline">', 2)[1]
        assert "Mehr zum Thema:" in topics
        assert re.search(r'<a class="chip" href="/thema/syrien/">Syrien</a>', topics)
        follow = rows.split('<div class="follow">', 1)[1]
        assert "Benachrichtigung über neue Artikel:" in follow
        article = self.newsroom["article"]
        buttons = re.findall(
            r'<a class="chip chip--follow" '
            r'href="/benachrichtigungen/abonnieren/\?follow=([a-z]+)%3A(\d+)" '
            r'data-follow="([a-z]+):(\d+)"><span class="visually-hidden">(\w+)</span> ([^<]+)</a>',
            follow,
        )
        assert [(b[0], int(b[1]), b[4], b[5]) for b in buttons] == [
            ("ressort", article.get_parent().pk, "Ressort", "Politik"),
            *[("topic", t.pk, "Thema", t.name) for t in article.topics.all()],
            *[
                ("author", a.author.pk, "Autor", a.author.name)
                for a in article.article_authors.select_related("author")
            ],
        ]
        assert all(b[0:2] == b[2:4] for b in buttons)

    def test_follow_form_in_a_dialog_with_nothing_ticked(self):
        dialog = self.html.split("<dialog", 1)[1].split("</dialog>", 1)[0]
        assert "data-follow-dialog" in dialog
        for name in ("Politik", "Syrien", "Nato", "Anna Berger", "Jonas Keller"):
            checkbox = r'<input type="checkbox" name="follow" value="[a-z]+:\d+">'
            assert re.search(rf"{checkbox} .*{name}", dialog)
        assert 'action="/benachrichtigungen/abonnieren/"' in dialog
        assert " checked" not in dialog
        # The page is cached for every reader: no CSRF token in it.
        assert "csrfmiddlewaretoken" not in dialog

    def test_body_blocks_render_with_their_templates(self):
        body = self.html.split('<div class="article__body">', 1)[1].split("</article>", 1)[0]
        assert "<p>Das russische Verteidigungsministerium hat die Nato eingeladen.</p>" in body
        assert '<h2 class="article__subheading">Koordination der Luftschläge</h2>' in body
        assert re.search(r'<figure class="figure figure--body">\s*<img [^>]*loading="lazy"', body)
        assert "Kampfjets über Syrien" in body and "Foto: Reuters" in body
        assert re.search(
            r"<blockquote[^>]*><p>Wir sind offen für eine Zusammenarbeit.</p></blockquote>\s*"
            r'<figcaption class="quote__attribution">Antonow</figcaption>',
            body,
        )
        assert re.search(
            r'<aside class="infobox">\s*<h3 class="infobox__title">Hintergrund</h3>', body
        )

    def test_embed_is_a_consent_placeholder_until_clicked(self):
        embed = self.html.split('<figure class="embed"', 1)[1].split("</figure>", 1)[0]
        assert "www.youtube.com" in embed
        assert "Pressekonferenz in Moskau" in embed
        assert '<a class="embed__open" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in embed
        assert "Inhalt von www.youtube.com laden" in embed
        assert "<iframe" not in self.html
        assert "youtube-nocookie" not in self.html
        assert (
            '<template data-after-paint><script src="/static/js/consent-embed.js"></script>'
            in self.html
        )
        # Nothing is loaded from elsewhere: every src and stylesheet is our own, the icon is
        # part of the page.
        loaded = re.findall(r'\bsrc="([^"]+)"', self.html) + re.findall(
            r'<link rel="(?:stylesheet|preload|modulepreload)" href="([^"]+)"', self.html
        )
        assert loaded
        assert [url for url in loaded if not url.startswith("/")] == []
        icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', self.html)
        assert icon.group(1).startswith("data:image/svg+xml,%3Csvg%20xmlns=")
        assert unquote(icon.group(1)).endswith("</svg>")

    def test_byline_under_the_lead_links_the_authors(self):
        header = self.html.split('<header class="article__header">', 1)[1].split("</header>", 1)[0]
        byline = header.split('<p class="article__lead">', 1)[1].split(
            '<p class="article__byline">'
        )[1]
        assert _text(byline).startswith("Von Anna Berger (Korrespondentin) und Jonas Keller")
        assert '<a class="byline__name" href="/autor/anna-berger/">Anna Berger</a>' in byline
        assert '<a class="byline__name" href="/autor/jonas-keller/">Jonas Keller</a>' in byline


@pytest.mark.django_db
def test_related_shows_published_picks_only_once(client, newsroom):
    article = newsroom["article"]
    extra = [
        ArticlePageFactory(parent=article.get_parent(), title=f"Weitere Meldung {n}")
        for n in range(5)
    ]
    extra[0].unpublish()
    article = article.get_latest_revision_as_object()
    for pick in extra:
        article.related_picks.create(article=pick)
    article.save_revision().publish()

    html = client.get(article.url).content.decode()
    related = html.split('id="related-title"', 1)[1].split("</section>", 1)[0]
    assert related.count("<li") == 6
    assert html.count('class="related__link"') == 6
    assert "Weitere Meldung 0" not in html.split('id="river-title"')[0]


@pytest.mark.django_db
def test_update_and_correction_note(client, newsroom):
    article = ArticlePageFactory(
        parent=newsroom["article"].get_parent(),
        first_published_at=datetime(2015, 10, 6, 16, 15, tzinfo=UTC),
        updated_at=datetime(2015, 10, 7, 8, 30, tzinfo=UTC),
        correction_note="Die Zahl der Kampfjets wurde korrigiert.",
    )
    html = client.get(article.url).content.decode()
    assert re.search(
        r'Aktualisiert: <time datetime="2015-10-07T10:30:00\+02:00">07.10.2015 10:30</time>'
        r" – Die Zahl der Kampfjets wurde korrigiert.",
        html,
    )
    assert "Aktualisiert" not in client.get(newsroom["article"].url).content.decode()


@pytest.mark.django_db
def test_article_without_optional_parts_has_no_empty_sections(client, newsroom):
    plain = ArticlePageFactory(parent=newsroom["article"].get_parent(), kicker="", topics=[])
    html = client.get(plain.url).content.decode()
    assert "Mehr zum Thema:" not in html
    assert "article__kicker" not in html
    assert 'class="rowline"' in html  # the follow row: the Ressort and the author
    assert html.count('class="rowline"') == 1
    assert "consent-embed.js" not in html


@pytest.mark.django_db
def test_english_when_the_site_language_is_english(client, newsroom, settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        html = client.get(newsroom["article"].url).content.decode()
    assert '<html lang="en">' in html
    for text in (
        "Reading time: 2 min",
        "More on this topic:",
        "Notify me about new articles:",
        "Photo: dpa",
        "Skip to content",
        "Latest articles",
    ):
        assert text in html
    assert "Lesezeit" not in html


@pytest.mark.django_db
def test_a_narrow_picture_names_each_width_once(client, newsroom):
    """A 700 px picture cannot be 800 or 1520 wide: it is offered once at its own width, as
    valid HTML requires."""
    article = ArticlePageFactory(
        parent=newsroom["article"].get_parent(), lead_image=ImageFactory(width=700, height=394)
    )
    html = client.get(article.url).content.decode()
    figure = html.split('<figure class="article__figure figure">', 1)[1].split("</figure>", 1)[0]
    for srcset in re.findall(r'srcset="([^"]+)"', figure):  # the AVIF, then the WebP
        assert [int(w) for w in re.findall(r" (\d+)w", srcset)] == [400, 700]
    assert len(re.findall(r'srcset="', figure)) == 2
