"""Backups of a whole site: the database and the uploaded media in one ``.tar.gz``.

An archive holds ``manifest.json`` (format, database engine, time, what it holds), the
database — ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site
runs) or ``database.pgdump`` (``pg_dump --format=custom``, restored with ``pg_restore
--clean``) — and ``media/`` (``MEDIA_ROOT``: images, renditions, documents). With media on
object storage (S3) the bucket keeps them and the archive says so; back the bucket up with
its own versioning.

A restore replaces the database and the media with the archive's. It checks the archive
first (manifest, engine, every path inside the site, the dump present), so a wrong or
damaged file is refused before anything changes; stop the site and the worker meanwhile.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.utils import timezone

from .database import refresh_statistics

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """Says what is wrong with an archive or the environment; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    media_files: int
    size: int


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _local_media() -> Path | None:
    """MEDIA_ROOT when media live on the local file system, else None (object storage)."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def _pg_arguments(alias: str) -> tuple[list[str], dict[str, str]]:
    """libpq options and environment for pg_dump/pg_restore from Django's settings."""
    db = connections[alias].settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        # The arguments come from the settings and from paths this module chose.
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from exc


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """SQLite's online backup: a consistent copy, page by page, while others write."""
    source.backup(target)


def _dump_database(engine: str, target: Path, alias: str) -> None:
    connection = connections[alias]
    if engine == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            _sqlite_copy(connection.connection, copy)
        finally:
            copy.close()
        return
    args, env = _pg_arguments(alias)
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)


def _archive_path(output: Path | None, created) -> Path:
    name = f"redaktion-{created:%Y%m%d-%H%M%S}.tar.gz"
    if output is None:
        return Path(settings.VAR_DIR) / "backups" / name
    output = Path(output)
    if output.is_dir() or not output.name.endswith(".tar.gz"):
        return output / name
    return output


def backup_create(*, output: Path | None = None, alias: str = "default") -> BackupResult:
    """Write an archive of the database and the media; returns where and what it holds.
    ``output``: a ``.tar.gz`` file, or a folder (default ``var/backups``)."""
    engine = _engine(alias)
    created = timezone.now()
    path = _archive_path(output, created)
    path.parent.mkdir(parents=True, exist_ok=True)
    media = _local_media()
    media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media else []
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "created": created.isoformat(),
        "database": DUMP_NAMES[engine],
        "media": "included" if media else "object storage, not included",
        "media_files": len(media_files),
    }
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMP_NAMES[engine]
        _dump_database(engine, dump, alias)
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(created.timestamp())
            archive.addfile(info, fileobj=io.BytesIO(data))
            archive.add(dump, arcname=DUMP_NAMES[engine])
            for file in media_files:
                archive.add(file, arcname=f"{MEDIA_DIR}/{file.relative_to(media).as_posix()}")
    # The archive appears under its name only once it is complete.
    partial.replace(path)
    size = path.stat().st_size
    return BackupResult(path=path, engine=engine, media_files=len(media_files), size=size)


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError as exc:
        raise BackupError("This is not a Redaktion backup: it has no manifest.json.") from exc
    manifest = json.load(archive.extractfile(member))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')} is not supported.")
    return manifest


def _check_members(archive: tarfile.TarFile, manifest: dict) -> None:
    names = set()
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise BackupError(f"The archive holds a path outside the site: {member.name}")
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"The archive holds something other than files: {member.name}")
        names.add(member.name)
    if manifest["database"] not in names:
        raise BackupError(f"The archive lacks its database dump {manifest['database']}.")


def backup_restore(path: Path, *, alias: str = "default") -> dict:
    """Replace the database and the media with those of the archive at ``path``; returns its
    manifest. Raises ``BackupError`` before changing anything when the archive is not a
    complete backup of this kind of database."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    engine = _engine(alias)
    try:
        with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as scratch:
            manifest = _read_manifest(archive)
            if manifest["engine"] != engine:
                raise BackupError(
                    f"This backup is of a {manifest['engine']} database; "
                    f"this site runs on {engine}."
                )
            _check_members(archive, manifest)
            archive.extractall(scratch, filter="data")
            _restore_database(engine, Path(scratch) / manifest["database"], alias)
            refresh_statistics(alias)  # pg_restore brings no planner statistics
            _restore_media(Path(scratch) / MEDIA_DIR, manifest)
    except (tarfile.TarError, EOFError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is not a readable backup archive: {exc}") from exc
    return manifest


def _restore_database(engine: str, dump: Path, alias: str) -> None:
    connection = connections[alias]
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            _sqlite_copy(source, connection.connection)
        finally:
            source.close()
        return
    connection.close()
    args, env = _pg_arguments(alias)
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        + [*args, str(dump)],
        env,
    )


def _restore_media(extracted: Path, manifest: dict) -> None:
    media = _local_media()
    if media is None or manifest["media"] != "included":
        return
    if media.exists():
        shutil.rmtree(media)
    if extracted.exists():
        shutil.copytree(extracted, media)
    else:
        media.mkdir(parents=True)
