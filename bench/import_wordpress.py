"""Speed and memory of ``redaktion import wordpress`` on SQLite, with a generated export.

    .venv/bin/python bench/import_wordpress.py --posts 10000

Writes an export of N posts (``var/bench-import/export.xml``; German filler text made up
here, two paragraphs, a subheading, a quote and a list per post, 3 of 10 tags, 1 of 8
categories, 3 authors) and a fresh SQLite database next to it, migrates it, adds the
Ressort "Archiv-Import" for every post, then times the import in a child process and reads
its peak resident memory and CPU time (``ru_maxrss``, ``ru_utime + ru_stime`` of that
process alone, ``os.wait4``): on a machine shared with other work the wall-clock rate falls
with the load, the CPU time much less. A second run of the same file follows, which must
report every post unchanged. Prints one Markdown row per run.

``--bulk``/``--no-bulk`` pass on to the import (default: the import's own choice by size).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench-import"
PYTHON = sys.executable

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench-Blatt</title><link>https://bench.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://bench.example</wp:base_site_url>
"""
AUTHOR = (
    "<wp:author><wp:author_login>{login}</wp:author_login>"
    "<wp:author_display_name><![CDATA[{name}]]></wp:author_display_name></wp:author>\n"
)
AUTHORS = [("amueller", "Anna Müller"), ("bschulz", "Ben Schulz"), ("cwolf", "Clara Wolf")]
CATEGORIES = ["Stadt", "Land", "Sport", "Kultur", "Wirtschaft", "Politik", "Wetter", "Leute"]
TAGS = ["Rathaus", "Schule", "Bahn", "Markt", "Feuerwehr", "Verein", "Bau", "Klima", "Fest", "Kita"]
ITEM = """<item><title><![CDATA[Bericht Nummer {n} aus dem Kreis]]></title>
<link>https://bench.example/{year}/{month:02d}/bericht-{n}/</link>
<dc:creator><![CDATA[{login}]]></dc:creator>
<content:encoded><![CDATA[<!-- wp:paragraph --><p>Der Kreistag berät am Abend über den \
Bericht {n}. Die Fraktionen sind sich <strong>einig</strong>, dass schnell gehandelt werden \
muss.</p><!-- /wp:paragraph -->
<h2>Wie es weitergeht</h2>
<p>Die Verwaltung soll bis zum Sommer einen Plan vorlegen. Bürger können sich \
<a href="https://bench.example/beteiligung/">online beteiligen</a>.</p>
<blockquote><p>Wir brauchen eine Lösung vor dem Winter.</p><cite>Der Landrat</cite></blockquote>
<ul><li>Sitzung im Rathaus</li><li>Beginn 18 Uhr</li></ul>]]></content:encoded>
<excerpt:encoded><![CDATA[Der Kreistag berät über Bericht {n}.]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id>
<wp:post_date_gmt>{year}-{month:02d}-{day:02d} 09:00:00</wp:post_date_gmt>
<wp:post_name>bericht-{n}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="{cat_slug}"><![CDATA[{cat}]]></category>
{tags}</item>
"""


def write_export(path: Path, posts: int) -> None:
    with open(path, "w", encoding="utf-8") as file:
        file.write(HEAD)
        for login, name in AUTHORS:
            file.write(AUTHOR.format(login=login, name=name))
        for n in range(1, posts + 1):
            cat = CATEGORIES[n % len(CATEGORIES)]
            tags = "".join(
                f'<category domain="post_tag" nicename="{t.lower()}"><![CDATA[{t}]]></category>'
                for t in (TAGS[n % 10], TAGS[(n * 3 + 1) % 10], TAGS[(n * 7 + 2) % 10])
            )
            file.write(
                ITEM.format(
                    n=n,
                    year=2015 + n % 10,
                    month=1 + n % 12,
                    day=1 + n % 28,
                    login=AUTHORS[n % 3][0],
                    cat=cat,
                    cat_slug=cat.lower(),
                    tags=tags,
                )
            )
        file.write("</channel></rss>\n")


def manage(env, *args, check=True):
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=check, cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--bulk", action=argparse.BooleanOptionalAction, default=None)
    arguments = parser.parse_args()
    posts = arguments.posts
    mode = [] if arguments.bulk is None else ["--bulk" if arguments.bulk else "--no-bulk"]
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    export = WORK / "export.xml"
    write_export(export, posts)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "redaktion.settings.dev",
        "MEDIA_ROOT": str(WORK / "media"),
        "TASK_BACKEND": "database",
    }
    manage(env, "migrate", "--verbosity", "0")
    manage(
        env,
        "shell",
        "-c",
        "from redaktion.news.factories import RessortPageFactory, home_page;"
        "RessortPageFactory(parent=home_page(), title='Archiv-Import', slug='archiv-import')",
    )
    size = export.stat().st_size / 1e6
    print("| posts | file MB | run | seconds | posts/s | CPU s | posts/CPU s | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for run in ("first", "second"):
        started = time.monotonic()
        child = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [PYTHON, str(ROOT / "manage.py"), "redaktion_import", "wordpress", str(export)]
            + ["--fallback-ressort", "archiv-import", "--no-progress", *mode],
            env=env,
            cwd=ROOT,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        if os.waitstatus_to_exitcode(status):
            return 1
        rss = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime
        print(
            f"| {posts} | {size:.1f} | {run} | {seconds:.1f} | {posts / seconds:.1f} "
            f"| {cpu:.1f} | {posts / cpu:.1f} | {rss:.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
