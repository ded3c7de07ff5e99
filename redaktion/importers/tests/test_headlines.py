"""The headline of an article page whose ``<h1>`` is the site's logo (an image, the site's
name, a link to the home page), on small German pages written for these tests."""

from redaktion.importers.extract import extract

TEXT = (
    "<p>Der Verein feiert am Wochenende sein hundertjähriges Bestehen mit einem Fest auf dem "
    "Sportplatz. Erwartet werden mehr als tausend Gäste aus der ganzen Region.</p>"
    "<p>Am Samstag spielen die Jugendmannschaften, am Sonntag tritt die erste Mannschaft "
    "gegen eine Auswahl ehemaliger Spieler an.</p>"
)


def test_a_logo_image_in_the_h1_gives_way_to_the_articles_heading():
    html = (
        "<html><head><title>Hundert Jahre Fussball am See – Seetaler Bote</title>"
        '<meta property="og:title" content="Hundert Jahre Fussball am See – Seetaler Bote">'
        '</head><body><header class="masthead"><h1><a href="/"><img src="/logo.svg" '
        'alt="Seetaler Bote"></a></h1></header>'
        '<div class="artikel"><h2 class="artikel-titel">Hundert '
        f"Jahre Fussball am See</h2>{TEXT}<p>Text: Ute Kern</p></div></body></html>"
    )
    facts = extract(html)
    assert facts.title == "Hundert Jahre Fussball am See"
    assert not facts.body.startswith("Hundert Jahre")
    assert facts.body.startswith("Der Verein feiert")
    # With the heading marked as microdata, og:title is cut at the logo's name too.
    marked = html.replace('class="artikel-titel"', 'itemprop="headline"')
    assert extract(marked.replace("<h2", "<h3").replace("</h2>", "</h3>")).title == (
        "Hundert Jahre Fussball am See"
    )


def test_the_sites_name_in_the_h1_is_no_headline():
    html = (
        "<html><head><title>Hundert Jahre Fussball am See - Wochenblick</title></head><body>"
        '<div id="wrapper"><h1 class="site-logo"><a href="/">Wochenblick</a></h1>'
        '<div class="article"><h2 class="article-headline">Hundert Jahre Fussball am See'
        f'</h2><p class="article-dateline">7. Dezember 2026</p>{TEXT}</div></div></body></html>'
    )
    facts = extract(html)
    assert facts.title == "Hundert Jahre Fussball am See"
    assert facts.date.date().isoformat() == "2026-12-07"
    assert "Wochenblick" not in facts.body and "Hundert Jahre" not in facts.body
    # The site's name from Open Graph makes a plain <h1> of it a logo too.
    named = html.replace('class="site-logo"', "").replace(
        '<a href="/">Wochenblick</a>', "Wochenblick"
    )
    named = named.replace("<head>", '<head><meta property="og:site_name" content="Wochenblick">')
    assert extract(named).title == "Hundert Jahre Fussball am See"


def test_a_headline_h1_that_links_to_the_article_stays_the_headline():
    html = (
        '<html><head><title>Wochenblick</title></head><body><h1><a href="/sport/fest.html">'
        f"Hundert Jahre Fussball am See</a></h1>{TEXT}</body></html>"
    )
    assert extract(html).title == "Hundert Jahre Fussball am See"
