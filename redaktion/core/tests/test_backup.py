"""``redaktion backup`` and ``redaktion restore``: a round trip on the suite's database
(SQLite or PostgreSQL), and archives that must be refused before anything changes."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from redaktion.core.backup import BackupError, backup_create, backup_restore
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory
from redaktion.news.models import ArticlePage


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "original_images").mkdir(parents=True)
    return Path(settings.MEDIA_ROOT)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_round_trip_brings_back_database_and_media(home_page, media, tmp_path):
    politik = RessortPageFactory(parent=home_page, title="Politik", slug="politik")
    kept = ArticlePageFactory(parent=politik, title="Vor der Sicherung", publish=False)
    (media / "original_images" / "foto.jpg").write_bytes(b"jpeg bytes")
    out = io.StringIO()
    with translation.override("en"):
        call_command("redaktion_backup", "--output", str(tmp_path / "sicherung.tar.gz"), stdout=out)
    assert "Backup written:" in out.getvalue()

    # Life goes on after the backup: an article deleted, another written, a file replaced.
    ArticlePage.objects.filter(pk=kept.pk).delete()
    ArticlePageFactory(parent=politik, title="Nach der Sicherung", publish=False)
    (media / "original_images" / "foto.jpg").unlink()
    (media / "original_images" / "neu.jpg").write_bytes(b"new")

    out = io.StringIO()
    with translation.override("en"):
        call_command("redaktion_restore", str(tmp_path / "sicherung.tar.gz"), "--yes", stdout=out)

    assert "Restored the backup" in out.getvalue()
    titles = set(ArticlePage.objects.values_list("title", flat=True))
    assert "Vor der Sicherung" in titles and "Nach der Sicherung" not in titles
    assert (media / "original_images" / "foto.jpg").read_bytes() == b"jpeg bytes"
    assert not (media / "original_images" / "neu.jpg").exists()


@pytest.mark.django_db
def test_backup_into_a_folder_names_the_file_by_time(media, tmp_path):
    result = backup_create(output=tmp_path)
    assert result.path.parent == tmp_path
    assert result.path.name.startswith("redaktion-") and result.path.name.endswith(".tar.gz")
    with tarfile.open(result.path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    assert manifest["format"] == 1 and manifest["media"] == "included"
    assert not list(tmp_path.glob("*.partial"))


def archive_with(tmp_path, members: dict[str, bytes], name="kaputt.tar.gz") -> Path:
    path = tmp_path / name
    with tarfile.open(path, "w:gz") as archive:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def manifest(engine: str) -> bytes:
    database = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
    return json.dumps(
        {"format": 1, "engine": engine, "created": "2026-12-06T12:00:00+00:00",
         "database": database, "media": "included", "media_files": 0}
    ).encode()  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("not an archive", "not a readable backup archive"),
        ("no manifest", "has no manifest.json"),
        ("other engine", "this site runs on"),
        ("escaping path", "a path outside the site"),
        ("no dump", "lacks its database dump"),
    ],
)
def test_bad_archives_are_refused_and_nothing_changes(home_page, media, tmp_path, kind, message):
    engine = connection.vendor
    other = "postgresql" if engine == "sqlite" else "sqlite"
    dump = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
    members = {
        "no manifest": {dump: b"x"},
        "other engine": {"manifest.json": manifest(other)},
        "escaping path": {"manifest.json": manifest(engine), dump: b"x", "../../etc/x": b"x"},
        "no dump": {"manifest.json": manifest(engine)},
    }
    path = tmp_path / "notiz.tar.gz"
    if kind in members:
        path = archive_with(tmp_path, members[kind])
    if kind == "not an archive":
        path.write_text("Einkaufsliste")
    (media / "original_images" / "bleibt.jpg").write_bytes(b"still here")
    pages = ArticlePage.objects.count()

    with pytest.raises(BackupError, match=message):
        backup_restore(path)

    assert (media / "original_images" / "bleibt.jpg").exists()
    assert ArticlePage.objects.count() == pages


def test_restore_wants_a_confirmation(tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="--yes"):
        call_command("redaktion_restore", str(tmp_path / "x.tar.gz"))
