"""The German demo site in a throwaway directory, served on 127.0.0.1 for the page checks.

``check_pages.py`` and ``lighthouse.py`` share it: a fresh SQLite database in a temporary
directory, ``migrate``, ``redaktion demo --quiet`` and ``collectstatic``, then gunicorn with
DEBUG off (WhiteNoise serves the collected static files). Media files (the demo's pictures)
are served the way nginx serves them in production, by ``bench/media_wsgi.py`` in front of
the site, so pages load completely.
"""

from __future__ import annotations

import contextlib
import html.parser
import os
import secrets
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from harness import ROOT, VENV_BIN, fetch, free_port, process, wait_for

NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Every request off this machine fails at once (and is still seen, so it can be counted).
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"


def require_tools(*paths: Path | str) -> None:
    missing = [str(path) for path in paths if not Path(path).exists()]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: run `make node browser` first")


def environment(tmp: Path, *, production: bool) -> dict[str, str]:
    """The process environment: dev settings with DEBUG off, or production settings."""
    env = {
        **os.environ,
        "REDAKTION_VAR_DIR": str(tmp),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "PAGE_CACHE_ENABLED": "false",
        "TASK_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if production:
        env.update(
            DJANGO_SETTINGS_MODULE="redaktion.settings.production",
            SECRET_KEY=secrets.token_urlsafe(64),
            SECURE_SSL_REDIRECT="false",
            PAGE_CACHE_ENABLED="true",
        )
    else:
        env.update(DJANGO_SETTINGS_MODULE="redaktion.settings.dev")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "redaktion_demo", "--quiet")
    manage(env, "collectstatic", "--noinput", "-v0")


@contextlib.contextmanager
def serve(env: dict[str, str], log: Path, workers: int = 2) -> Iterator[str]:
    """gunicorn on a free loopback port; yields the base URL."""
    port = free_port()
    args = [
        str(VENV_BIN / "gunicorn"),
        "media_wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    with process(args, env=env, log=log):
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/")
        except RuntimeError:
            print(log.read_text(errors="replace")[-3000:])
            raise
        yield base


@contextlib.contextmanager
def demo_site(*, production: bool = False) -> Iterator[tuple[str, Path]]:
    """Build the demo site in a temporary directory and serve it; yields (base URL, tmp)."""
    with tempfile.TemporaryDirectory(prefix="redaktion-site-") as name:
        tmp = Path(name)
        env = environment(tmp, production=production)
        print("Building the demo site (migrate, demo, collectstatic) …", flush=True)
        build(env)
        with serve(env, tmp / "gunicorn.log") as base:
            yield base, tmp


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
