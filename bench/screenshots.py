"""Screenshots of the German demo site for docs/: article, home and Ressort page on a
desktop (1366×900) and a phone (390×844), in light and dark mode, each the first screen a
reader sees; docs/screenshot.png (the README's picture) is the desktop home page.

Builds the demo site in a temporary directory (``bench/demosite.py``), or uses a running
one given with ``--base``.

    .venv/bin/python bench/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from pathlib import Path

from demosite import demo_site, find_pages, require_tools
from harness import ROOT

from chromium import CHROMIUM, CHROMIUM_FLAGS, OFFLINE

PAGES = ("article", "home", "ressort")
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
}
SCHEMES = ("light", "dark")


def shoot(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    pages = dict(find_pages(base).items())
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, OFFLINE]
        )
        try:
            for viewport, options in VIEWPORTS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(locale="de-DE", color_scheme=scheme, **options)
                    page = context.new_page()
                    for name in PAGES:
                        page.goto(pages[name], wait_until="networkidle")
                        path = out / f"{name}-{viewport}-{scheme}.png"
                        page.screenshot(path=str(path))
                        written.append(path)
                    context.close()
        finally:
            browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a running demo site (default: build one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    options = parser.parse_args()
    require_tools(CHROMIUM)
    with contextlib.ExitStack() as stack:
        base = options.base or stack.enter_context(demo_site(production=True))[0]
        written = shoot(base.rstrip("/"), options.out)
    shutil.copyfile(options.out / "home-desktop-light.png", ROOT / "docs" / "screenshot.png")
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
