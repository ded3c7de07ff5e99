"""Lighthouse on the article, home and Ressort pages of the German demo site, on a phone and
on a desktop: the median of 3 runs each.

Builds the demo site in a temporary directory (``bench/demosite.py``) and serves it as in
production: gunicorn with 2 workers, ``redaktion.settings.production`` (DEBUG off, a generated
SECRET_KEY, no SSL redirect since this is plain http on loopback), Django's page cache on, and
WhiteNoise serving the compressed, hashed static files collectstatic wrote. Lighthouse runs
with its mobile settings (and ``--preset=desktop``), each run in a fresh Chromium profile.

Prints, per page and form factor, the median score of each category, the median Largest
Contentful Paint and bytes transferred on load, and, for a median below 100, the audits that
did not pass; exits non-zero if any median is below 95.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--page article --page home …]
        [--form-factor mobile --form-factor desktop] [--base http://127.0.0.1:8000]

``--base`` measures a running demo site (served as above) instead of building one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from demosite import LIGHTHOUSE, demo_site, find_pages, require_tools
from harness import markdown_table

from chromium import CHROMIUM, CHROMIUM_FLAGS

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
THRESHOLD = 95
PAGES = ("article", "home", "ressort", "topic", "author")
FORM_FACTORS = ("mobile", "desktop")


# Lighthouse sometimes fails to record a page load's trace (NO_NAVSTART, NO_FCP) when the
# machine is busy; such a run is repeated, and only a page that fails every time fails.
ATTEMPTS = 3


def lighthouse(url: str, workdir: Path, run: int, form_factor: str = "mobile") -> dict:
    output = workdir / f"lighthouse-{form_factor}-{run}.json"
    for attempt in range(1, ATTEMPTS + 1):
        profile = Path(tempfile.mkdtemp(prefix=f"profile-{run}-{attempt}-", dir=workdir))
        flags = " ".join(["--headless=new", *CHROMIUM_FLAGS, f"--user-data-dir={profile}"])
        finished = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                f"--chrome-flags={flags}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--output=json",
                f"--output-path={output}",
                "--quiet",
                *(["--preset=desktop"] if form_factor == "desktop" else []),
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
        )
        if finished.returncode == 0:
            return json.loads(output.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt} of {ATTEMPTS})", file=sys.stderr)
    raise SystemExit(f"Lighthouse failed {ATTEMPTS} times on {url}")


def failing_audits(report: dict, category: str) -> list[str]:
    """Audits of ``category`` that count towards its score and did not fully pass."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            where = [
                item.get("url") or item.get("node", {}).get("selector", "")
                for item in audit.get("details", {}).get("items", [])[:3]
            ]
            detail = f" [{'; '.join(map(str, where))}]" if any(where) else ""
            failing.append(f"{ref['id']} ({audit['score']:.2f}){detail}")
    return failing


def summary(reports: list[dict]) -> tuple[list[list[str]], list[str], bool]:
    """Table rows (category, the runs' scores, median), details of failing audits, and
    whether a median is below the threshold."""
    failed = False
    rows, details = [], []
    for category in CATEGORIES:
        scores = [round(report["categories"][category]["score"] * 100) for report in reports]
        median = statistics.median(scores)
        failed |= median < THRESHOLD
        rows.append([category, " / ".join(map(str, scores)), f"{median:g}"])
        if median < 100:
            # The audits that fail in the run(s) that gave the median score.
            middle = [r for r, s in zip(reports, scores, strict=True) if s == median]
            details.append(f"{category}: {', '.join(failing_audits(middle[0], category))}")
    for audit, label, unit, scale in [
        ("largest-contentful-paint", "LCP", "s", 1000),
        ("total-byte-weight", "transferred", "KB", 1024),
    ]:
        values = [report["audits"][audit]["numericValue"] / scale for report in reports]
        runs = " / ".join(f"{value:.1f}" for value in values)
        rows.append([f"{label} ({unit})", runs, f"{statistics.median(values):.1f}"])
    return rows, details, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", action="append", choices=PAGES)
    parser.add_argument("--form-factor", action="append", choices=FORM_FACTORS)
    parser.add_argument("--base", help="a running demo site (default: build one)")
    options = parser.parse_args()
    require_tools(LIGHTHOUSE, CHROMIUM)

    results = {}
    with contextlib.ExitStack() as stack:
        if options.base:
            base = options.base.rstrip("/")
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        else:
            base, tmp = stack.enter_context(demo_site(production=True))
        urls = dict(find_pages(base).items())
        for name in options.page or PAGES[:3]:
            for form_factor in options.form_factor or FORM_FACTORS:
                url = urls[name]
                path = url.removeprefix(base)
                print(f"Lighthouse ({form_factor}) on {path}, {options.runs} runs", flush=True)
                results[name, form_factor] = [
                    lighthouse(url, tmp, run, form_factor) for run in range(options.runs)
                ]

    failed = False
    third_party = set()
    for (name, form_factor), reports in results.items():
        rows, details, below = summary(reports)
        failed |= below
        print(f"\n{name}, {form_factor}")
        print(markdown_table(["category", "runs", "median"], rows, "llr"))
        for line in details:
            print(line)
        third_party |= {
            item.get("entity") or item.get("url")
            for report in reports
            for item in report["audits"]
            .get("third-party-summary", {})
            .get("details", {})
            .get("items", [])
        }
    if third_party:
        print(f"Third-party requests: {sorted(map(str, third_party))}")
    print(f"FAILED: a median below {THRESHOLD}" if failed else f"OK: every median >= {THRESHOLD}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
