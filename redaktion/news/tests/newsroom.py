"""The reference newsroom the page tests read: built by a fixture or by setUpTestData."""

from datetime import UTC, datetime

from wagtail.models import Site

from redaktion.core.models import BrandSettings
from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    ImageFactory,
    RessortPageFactory,
    StandardPageFactory,
    TopicFactory,
)
from redaktion.related.factories import ArticleWithPicksFactory


def build_brand() -> BrandSettings:
    """The BrandSettings row exists, as after the first request (no insert while counting)."""
    brand = BrandSettings.for_site(Site.objects.get(is_default_site=True))
    brand.name = "Deutsche Wirtschafts Nachrichten"
    brand.short_name = "DWN"
    brand.save()
    return brand


def build_ressorts(home_page) -> dict:
    return {
        name: RessortPageFactory(parent=home_page, title=name, slug=slug, publish=False)
        for name, slug in [
            ("Politik", "politik"),
            ("Finanzen", "finanzen"),
            ("Technologie", "technologie"),
        ]
    }


def build_newsroom(home_page, brand, ressorts):
    """The anatomy of the reference article: a Politik article first published on
    06.10.2015 at 18:15 in Berlin, with a lead image, picks, topics, authors and body
    blocks of every kind, plus a few other articles around it."""
    syrien = TopicFactory(name="Syrien", slug="syrien")
    nato = TopicFactory(name="Nato", slug="nato")
    korrespondent = AuthorFactory(name="Anna Berger", slug="anna-berger", role="Korrespondentin")
    redakteur = AuthorFactory(name="Jonas Keller", slug="jonas-keller", role="Redakteur")
    older = ArticlePageFactory(
        publish=False,
        parent=ressorts["Politik"],
        title="Nato beobachtet russischen Militäraufmarsch",
        first_published_at=datetime(2015, 10, 5, 9, 0, tzinfo=UTC),
        topics=[nato],
    )
    pick = ArticlePageFactory(
        publish=False,
        parent=ressorts["Finanzen"],
        title="Ölpreis steigt nach Luftangriffen",
        first_published_at=datetime(2015, 10, 4, 9, 0, tzinfo=UTC),
    )
    image = ImageFactory(title="Verteidigungsministerium in Moskau", width=800, height=450)
    body = [
        ("paragraph", "<p>Das russische Verteidigungsministerium hat die Nato eingeladen.</p>"),
        ("subheading", "Koordination der Luftschläge"),
        ("image", {"image": image, "caption": "Kampfjets über Syrien", "credit": "Reuters"}),
        ("quote", {"text": "Wir sind offen für eine Zusammenarbeit.", "attribution": "Antonow"}),
        ("infobox", {"title": "Hintergrund", "body": "<p>Russland fliegt seit September.</p>"}),
        (
            "embed",
            {
                "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "title": "Pressekonferenz in Moskau",
                "caption": "Video der Pressekonferenz",
            },
        ),
        ("paragraph", "<p>" + "Wort " * 300 + "</p>"),
    ]
    article = ArticleWithPicksFactory(
        publish=False,
        parent=ressorts["Politik"],
        title="Russland lädt Nato-Offiziere nach Moskau ein",
        slug="russland-laedt-nato-offiziere-ein",
        kicker="Gemeinsam gegen den IS",
        lead="Russlands Präsident sorgt täglich für Überraschungen. Nun dürfen "
        "Nato-Offiziere nach Moskau reisen.",
        first_published_at=datetime(2015, 10, 6, 16, 15, tzinfo=UTC),
        lead_image=ImageFactory(title="Der Kreml in Moskau", width=960, height=540),
        lead_image_caption="Der Kreml in Moskau.",
        lead_image_credit="dpa",
        body=body,
        authors=[korrespondent, redakteur],
        topics=[syrien, nato],
        picks=[pick, older],
    )
    newer = ArticlePageFactory(
        publish=False,
        parent=ressorts["Technologie"],
        title="KI-Startups in Deutschland",
        first_published_at=datetime(2015, 10, 7, 8, 0, tzinfo=UTC),
    )
    impressum = StandardPageFactory(
        parent=home_page, title="Impressum", slug="impressum", publish=False
    )
    privacy = StandardPageFactory(
        parent=home_page, title="Datenschutz", slug="datenschutz", publish=False
    )
    brand.impressum_page = impressum
    brand.privacy_page = privacy
    brand.save()
    return {
        "article": article,
        "pick": pick,
        "older": older,
        "newer": newer,
        "topics": (syrien, nato),
        "authors": (korrespondent, redakteur),
        "impressum": impressum,
    }
