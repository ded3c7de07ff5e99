"""The summary ``redaktion import wordpress`` prints for a newsroom's whole export, imported
twice: the second run must find every item unchanged.

    .venv/bin/python bench/import_wordpress_newsroom.py

Writes a WXR 1.2 (``var/bench-newsroom/export.xml``, German filler text made up here) of a
small local paper: 60 posts (50 published over two years, 8 drafts, one awaiting review, one
scheduled for next year), 5 pages (one a draft), categories nested two deep and mapped to
Ressorts by a mapping file, 100 tags, 3 authors, and 20 attachments whose pictures are in an
uploads folder (``--media``), each the featured image of a post, with caption and credit.
A fresh SQLite database next to it gets the Ressorts Lokales, Sport and Kultur. Prints each
run's command and output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench-newsroom"
PYTHON = sys.executable
SITE = "https://kreiszeitung.example"
AUTHORS = [("amueller", "Anna Müller"), ("bschulz", "Ben Schulz"), ("cwolf", "Clara Wolf")]
# (slug, name, parent slug)
CATEGORIES = [
    ("lokales", "Lokales", ""),
    ("stadt", "Stadt", "lokales"),
    ("rathaus", "Rathaus", "stadt"),
    ("kreis", "Kreis", "lokales"),
    ("sport", "Sport", ""),
    ("fussball", "Fußball", "sport"),
    ("kultur", "Kultur", ""),
    ("buehne", "Bühne", "kultur"),
]
MAPPING = "stadt;Lokales\nrathaus;Lokales\nkreis;Lokales\nfussball;Sport\nbuehne;Kultur\n"
TAGS = [f"Thema {n:03d}" for n in range(1, 101)]
ATTACHMENTS = 20
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Kreiszeitung</title><link>{site}</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{site}</wp:base_site_url>
"""
POST = """<item><title><![CDATA[{title}]]></title><link>{site}/{path}/</link>
<dc:creator><![CDATA[{login}]]></dc:creator>
<content:encoded><![CDATA[<!-- wp:paragraph --><p>{title}: Der Ausschuss hat am Abend \
beraten, die Entscheidung fällt <em>im Frühjahr</em>.</p><!-- /wp:paragraph -->
<!-- wp:heading --><h2>Was jetzt kommt</h2><!-- /wp:heading -->
<!-- wp:paragraph --><p>Bürgerinnen und Bürger können bis Monatsende Stellung nehmen.</p>\
<!-- /wp:paragraph -->
<!-- wp:quote --><blockquote class="wp-block-quote"><p>Wir hören allen zu.</p>\
<cite>Die Bürgermeisterin</cite></blockquote><!-- /wp:quote -->]]></content:encoded>
<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>{local}</wp:post_date>
<wp:post_date_gmt>{gmt}</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>{post_type}</wp:post_type>
{categories}{meta}</item>
"""
ATTACHMENT = """<item><title>Foto {n}</title><link>{site}/foto-{n}/</link>
<excerpt:encoded><![CDATA[Szene aus dem Kreis, Bild {n}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_type>attachment</wp:post_type>
<wp:status>inherit</wp:status><wp:post_name>foto-{n}</wp:post_name>
<wp:attachment_url>{site}/wp-content/uploads/2025/05/foto-{n}.png</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>\
<wp:meta_value><![CDATA[2025/05/foto-{n}.png]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>\
<wp:meta_value><![CDATA[Szene {n}]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key>\
<wp:meta_value><![CDATA[a:1:{{s:10:"image_meta";a:1:{{s:6:"credit";s:{credit_length}:"{credit}";}}}}]]>\
</wp:meta_value></wp:postmeta></item>
"""


def write_export(path: Path) -> None:
    parts = [HEAD.format(site=SITE)]
    for login, name in AUTHORS:
        parts.append(
            f"<wp:author><wp:author_login>{login}</wp:author_login><wp:author_display_name>"
            f"<![CDATA[{name}]]></wp:author_display_name></wp:author>\n"
        )
    for number, (slug, name, parent) in enumerate(CATEGORIES, 1):
        parts.append(
            f"<wp:category><wp:term_id>{number}</wp:term_id><wp:category_nicename>{slug}"
            f"</wp:category_nicename><wp:category_parent>{parent}</wp:category_parent>"
            f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>\n"
        )
    for number, tag in enumerate(TAGS, 100):
        slug = tag.lower().replace(" ", "-")
        parts.append(
            f"<wp:tag><wp:term_id>{number}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
            f"<wp:tag_name><![CDATA[{tag}]]></wp:tag_name></wp:tag>\n"
        )
    for n in range(1, ATTACHMENTS + 1):
        credit = f"Foto: {AUTHORS[n % 3][1]}"
        parts.append(
            ATTACHMENT.format(
                n=n,
                site=SITE,
                post_id=1000 + n,
                credit=credit,
                credit_length=len(credit.encode()),
            )
        )
    for n in range(1, 61):
        if n <= 50:
            status, year, month = "publish", 2024 + n % 2, 1 + n % 12
        elif n <= 58:
            status, year, month = "draft", 2026, 11
        elif n == 59:
            status, year, month = "pending", 2026, 11
        else:
            status, year, month = "future", 2027, 3
        slug, name, _parent = CATEGORIES[n % len(CATEGORIES)]
        categories = f'<category domain="category" nicename="{slug}"><![CDATA[{name}]]></category>'
        # Every tag on one post at least: n, n + 60 and 7n cover all hundred.
        for tag in dict.fromkeys((TAGS[n % 100], TAGS[(n + 60) % 100], TAGS[(n * 7) % 100])):
            categories += (
                f'<category domain="post_tag" nicename="{tag.lower().replace(" ", "-")}">'
                f"<![CDATA[{tag}]]></category>"
            )
        meta = ""
        if n <= ATTACHMENTS:
            meta = (
                "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                f"<wp:meta_value>{1000 + n}</wp:meta_value></wp:postmeta>"
            )
        day = 1 + n % 28
        parts.append(
            POST.format(
                title=f"Meldung {n} aus dem Kreis",
                site=SITE,
                path=f"{year}/{month:02d}/meldung-{n}",
                login=AUTHORS[n % 3][0],
                excerpt=f"Kurz gemeldet: Nummer {n}.",
                post_id=n,
                local=f"{year}-{month:02d}-{day:02d} 10:00:00",
                gmt=f"{year}-{month:02d}-{day:02d} 09:00:00"
                if status != "draft"
                else "0000-00-00 00:00:00",
                slug=f"meldung-{n}",
                status=status,
                post_type="post",
                categories=categories,
                meta=meta,
            )
        )
    for n, title in enumerate(["Impressum", "Datenschutz", "Kontakt", "Abo", "Mediadaten"], 201):
        parts.append(
            POST.format(
                title=title,
                site=SITE,
                path=title.lower(),
                login="amueller",
                excerpt="",
                post_id=n,
                local="2024-01-02 10:00:00",
                gmt="2024-01-02 09:00:00",
                slug=title.lower(),
                status="draft" if title == "Mediadaten" else "publish",
                post_type="page",
                categories="",
                meta="",
            )
        )
    parts.append("</channel></rss>\n")
    path.write_text("".join(parts), encoding="utf-8")


def write_media(folder: Path) -> None:
    target = folder / "2025" / "05"
    target.mkdir(parents=True)
    for n in range(1, ATTACHMENTS + 1):
        Image.new("RGB", (320, 180), (40 + n * 9, 90, 160)).save(target / f"foto-{n}.png")


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    export, mapping, media = WORK / "export.xml", WORK / "ressorts.csv", WORK / "uploads"
    write_export(export)
    mapping.write_text(MAPPING, encoding="utf-8")
    write_media(media)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "redaktion.settings.dev",
        "MEDIA_ROOT": str(WORK / "media"),
        "TASK_BACKEND": "database",
        "LANGUAGE_CODE": "de",
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from redaktion.news.factories import RessortPageFactory, home_page\n"
            "for title in ('Lokales', 'Sport', 'Kultur'):\n"
            "    RessortPageFactory(parent=home_page(), title=title, slug=title.lower())",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    command = [
        "redaktion_import",
        "wordpress",
        str(export.relative_to(ROOT)),
        "--map",
        str(mapping.relative_to(ROOT)),
        "--media",
        str(media.relative_to(ROOT)),
        "--no-progress",
    ]
    for run in ("first", "second"):
        print(f"$ manage.py {' '.join(command)}   # {run} run", flush=True)
        result = subprocess.run([*manage, *command], env=env, cwd=ROOT, check=False)
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
