"""Nu Html Checker and axe-core on the main page types of the German demo site.

Builds the demo site in a temporary directory (``bench/demosite.py``), serves it with DEBUG
off, finds a home, Ressort, topic, author and article page from the links on the site, then

* validates each page's HTML with vnu (errors only),
* runs axe-core (WCAG 2.0/2.1 A and AA) in Chromium at 1280×900 and at 390×844 (mobile),
  each in light and dark mode (the site follows the system's colour scheme),
* counts requests to any host other than 127.0.0.1 (there must be none).

Prints a table and exits non-zero if anything is found.

    .venv/bin/python bench/check_pages.py [--base http://127.0.0.1:8000]

``--base`` checks a running demo site instead of building one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from demosite import AXE_JS, VNU_JAR, demo_site, find_pages, require_tools
from harness import fetch, markdown_table

from chromium import CHROMIUM, CHROMIUM_FLAGS, OFFLINE

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "mobile": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SCHEMES = ("light", "dark")
LOOPBACK = {"127.0.0.1", ""}


def vnu(files: dict[str, Path]) -> dict[str, list[dict]]:
    """vnu's errors per page name."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
        + [str(path) for path in files.values()],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    by_file = {name: [] for name in files}
    names = {path.resolve().as_uri(): name for name, path in files.items()}
    for message in messages:
        name = names.get(message.get("url", ""))
        if name is None:  # a message about vnu itself, not about a page
            raise SystemExit(f"vnu: {message}")
        by_file[name].append(message)
    return by_file


def _host(url: str) -> str:
    """The host a request goes to; data: and blob: URLs go nowhere."""
    parts = urlsplit(url)
    return parts.hostname or "" if parts.scheme in {"http", "https", "ws", "wss"} else ""


def axe(
    pages: list[tuple[str, str]],
) -> tuple[dict[tuple[str, str, str], list[dict]], set[str]]:
    """axe violations per (page name, viewport name, colour scheme), and every host a page
    requested."""
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, str, str], list[dict]] = {}
    hosts: set[str] = set()
    flags = [*CHROMIUM_FLAGS, OFFLINE]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        try:
            for viewport, options in VIEWPORTS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(locale="de-DE", color_scheme=scheme, **options)
                    page = context.new_page()
                    # axe-core from the site's own origin: the site's Content-Security-Policy
                    # runs no inline script, which add_script_tag(path=…) would add.
                    page.route("**/axe.min.js", lambda route: route.fulfill(path=str(AXE_JS)))
                    page.on("request", lambda request: hosts.add(_host(request.url)))
                    for name, url in pages:
                        page.goto(url, wait_until="load")
                        page.add_script_tag(url=urljoin(url, "/axe.min.js"))
                        report = page.evaluate(
                            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                            AXE_TAGS,
                        )
                        results[name, viewport, scheme] = report["violations"]
                    context.close()
        finally:
            browser.close()
    return results, hosts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a running demo site (default: build one)")
    options = parser.parse_args()
    require_tools(VNU_JAR, AXE_JS, CHROMIUM)
    with contextlib.ExitStack() as stack:
        if options.base:
            base = options.base.rstrip("/")
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        else:
            base, tmp = stack.enter_context(demo_site())
        pages = find_pages(base).items()
        files = {}
        for name, url in pages:
            files[name] = tmp / f"{name}.html"
            files[name].write_bytes(fetch(url))
        vnu_errors = vnu(files)
        violations, hosts = axe(pages)

    failed = False
    rows = []
    for name, url in pages:
        errors = vnu_errors[name]
        cells = [name, urlsplit(url).path, str(len(errors))]
        for viewport in VIEWPORTS:
            for scheme in SCHEMES:
                found = violations[name, viewport, scheme]
                cells.append(", ".join(f"{v['id']} ({len(v['nodes'])})" for v in found) or "0")
                failed |= bool(found)
        failed |= bool(errors)
        rows.append(cells)
    header = ["page", "path", "vnu errors"] + [
        f"axe {viewport} {scheme}" for viewport in VIEWPORTS for scheme in SCHEMES
    ]
    print(markdown_table(header, rows, "llr" + "r" * len(VIEWPORTS) * len(SCHEMES)))

    for name, errors in vnu_errors.items():
        for error in errors:
            print(f"vnu {name}:{error.get('lastLine')}: {error.get('message')}")
            print(f"    {error.get('extract', '').strip()}")
    for (name, viewport, scheme), found in violations.items():
        for violation in found:
            print(f"axe {name} ({viewport}, {scheme}): {violation['id']}: {violation['help']}")
            for node in violation["nodes"][:5]:
                print(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")

    others = sorted(host for host in hosts if host not in LOOPBACK)
    print(f"Requests to hosts other than 127.0.0.1: {len(others)} {others if others else ''}")
    failed |= bool(others)
    print("FAILED" if failed else "OK: no vnu error, no axe violation, no third-party request")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
