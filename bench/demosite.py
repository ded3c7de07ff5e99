"""The German demo site in a throwaway directory, served on 127.0.0.1 for the page checks.

``check_pages.py`` and ``lighthouse.py`` share it: ``harness.site()`` (a fresh SQLite
database in a temporary directory, migrated, static files collected) with the demo content
(``redaktion demo --quiet``), then gunicorn with DEBUG off (WhiteNoise serves the collected
static files). Media files (the demo's pictures) are served the way nginx serves them in
production, by ``bench/media_wsgi.py`` in front of the site, so pages load completely.
"""

from __future__ import annotations

import contextlib
import html.parser
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from harness import ROOT, fetch, site

NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"


def require_tools(*paths: Path | str) -> None:
    missing = [str(path) for path in paths if not Path(path).exists()]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: run `make node browser` first")


@contextlib.contextmanager
def demo_site(*, production: bool = False) -> Iterator[tuple[str, Path]]:
    """Build the demo site in a temporary directory and serve it; yields (base URL, its
    directory). ``production``: the production settings with Django's page cache on (in
    process); otherwise the development settings with DEBUG off and no page cache. Tasks
    run at once, as the demo's publishing asks."""
    print("Building the demo site (migrate, collectstatic, demo) …", flush=True)
    with site(
        production=production,
        prefix="redaktion-site-",
        PAGE_CACHE_ENABLED="true" if production else "false",
        TASK_BACKEND="immediate",
        # media_wsgi is in bench/
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
    ) as demo:
        demo.manage("redaktion_demo", "--quiet")
        with demo.serve(app="media_wsgi:application") as base:
            yield base, demo.var


class _Links(html.parser.HTMLParser):
    """Every link's href and class; links in the Ressort navigation get the class "nav"."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, class)
        self.in_nav = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav" and "ressort-nav" in (attributes.get("class") or ""):
            self.in_nav = True
        if tag == "a" and attributes.get("href"):
            cls = "nav" if self.in_nav else attributes.get("class") or ""
            self.links.append((attributes["href"], cls))

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_nav = False


@dataclass
class PageSet:
    home: str
    ressort: str
    topic: str
    author: str
    article: str

    def items(self) -> list[tuple[str, str]]:
        return list(vars(self).items())


def find_pages(base: str) -> PageSet:
    """The URLs of one page of each type, found from the links a reader can follow."""
    home = base + "/"

    def links(url: str) -> list[tuple[str, str]]:
        parser = _Links()
        parser.feed(fetch(url).decode())
        return [(urljoin(url, href), cls) for href, cls in parser.links if _local(base, href)]

    home_links = links(home)
    ressort = next(href for href, cls in home_links if cls == "nav")
    article = next(href for href, cls in home_links if "teaser__link" in cls)
    article_links = links(article)
    topic = next(href for href, _ in article_links if "/thema/" in href)
    author = next(href for href, _ in article_links if "/autor/" in href)
    return PageSet(home=home, ressort=ressort, topic=topic, author=author, article=article)


def _local(base: str, href: str) -> bool:
    return href.startswith("/") or href.startswith(base)
