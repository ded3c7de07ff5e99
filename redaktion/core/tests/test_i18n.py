"""Both catalogues are complete: every string in the code is in them, German is translated,
and the compiled .mo files match their .po sources."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "redaktion" / "locale"
LANGUAGES = ["de", "en"]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_fuzzy_or_obsolete_entries(language):
    po = catalogue(language)
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


def test_german_catalogue_is_fully_translated():
    assert [e.msgid for e in catalogue("de").untranslated_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po.translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in mo
        if e.msgid
    }
    assert compiled == source, "run `make messages` to compile the catalogues"


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext is missing: .ci/run installs it")
        pytest.skip("GNU gettext is missing (apt-get install gettext)")
    work = tmp_path / "redaktion"
    shutil.copytree(ROOT / "redaktion", work, ignore=shutil.ignore_patterns("__pycache__"))
    # makemessages writes into LOCALE_PATHS[0]: point it at the copy, never at the source.
    (tmp_path / "i18n_check_settings.py").write_text(
        f"from redaktion.settings.test import *\nLOCALE_PATHS = [{str(work / 'locale')!r}]\n"
    )
    subprocess.run(
        [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "de"],
        cwd=work,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "i18n_check_settings",
            "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
        },
    )
    fresh = polib.pofile(str(work / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in catalogue("de")}
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known)
    assert missing == [], "run `make messages` and translate the new strings"
