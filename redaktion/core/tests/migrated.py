"""A migrated test database made once and copied, instead of migrating in every test
process (256 migrations take 40 s of CPU each time).

The first process that needs the database migrates it as usual and keeps a copy: a SQLite
file (copied into each process's in-memory database by SQLite's backup API), or on
PostgreSQL a template database (each process's database is ``CREATE DATABASE … TEMPLATE``).
The copy is named by a fingerprint of everything that shapes the migrated database: every
installed app's migrations, the project's code (its ``post_migrate`` receivers set up the
desk) and the installed packages. A change to any of them makes a new copy; a later run of
unchanged code starts from the copy it finds. Processes that start together wait for the
one that migrates (a file lock), so the migrations run once per fingerprint.
"""

import contextlib
import fcntl
import hashlib
import importlib.metadata
import os
import sqlite3
import tempfile
from pathlib import Path

from django.apps import apps
from django.core import management
from django.db import connections

PROJECT = Path(__file__).resolve().parents[2]
# One folder per checkout: a checkout replaces only its own copies.
STORE = (
    Path(tempfile.gettempdir())
    / "redaktion-test-db"
    / hashlib.sha256(str(PROJECT).encode()).hexdigest()[:12]
)


def fingerprint() -> str:
    digest = hashlib.sha256()
    files = set()
    for app in apps.get_app_configs():
        migrations = Path(app.path) / "migrations"
        if migrations.is_dir():
            files.update(migrations.glob("*.py"))
    files.update(path for path in PROJECT.rglob("*.py") if "tests" not in path.parts)
    for path in sorted(files):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    # Each distribution once: the project's own is found once per way onto ``sys.path`` (its
    # editable install, pytest's root dir, the current directory under ``python -m``), and
    # how pytest was started must not migrate the database again.
    for dist in sorted(
        {f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()}
    ):
        digest.update(dist.encode())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked(name: str):
    STORE.mkdir(parents=True, exist_ok=True)
    with open(STORE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _Sqlite:
    def __init__(self, connection, key):
        self.connection = connection
        self.path = STORE / f"sqlite-{key}.sqlite3"

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> None:
        self.connection.ensure_connection()
        source = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()

    def save(self) -> None:
        partial = self.path.with_suffix(f".{os.getpid()}.partial")
        target = sqlite3.connect(partial)
        try:
            self.connection.connection.backup(target)
        finally:
            target.close()
        partial.replace(self.path)
        for old in STORE.glob("sqlite-*.sqlite3"):
            if old != self.path:
                old.unlink(missing_ok=True)


class _Postgres:
    def __init__(self, connection, key):
        self.connection = connection
        self.prefix = f"{connection.settings_dict['NAME'].split('_gw')[0]}_tpl_"
        self.template = f"{self.prefix}{key}"

    def _admin(self, *statements, fetch=False):
        self.connection.close()
        with self.connection._nodb_cursor() as cursor:
            for statement, params in statements:
                cursor.execute(statement, params)
            return cursor.fetchall() if fetch else None

    def exists(self) -> bool:
        rows = self._admin(
            ("SELECT 1 FROM pg_database WHERE datname = %s", [self.template]), fetch=True
        )
        return bool(rows)

    def load(self) -> None:
        name = self.connection.ops.quote_name(self.connection.settings_dict["NAME"])
        template = self.connection.ops.quote_name(self.template)
        self._admin(
            (f"DROP DATABASE IF EXISTS {name}", None),
            (f"CREATE DATABASE {name} TEMPLATE {template}", None),
        )

    def save(self) -> None:
        name = self.connection.ops.quote_name(self.connection.settings_dict["NAME"])
        old = self._admin(
            (
                "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                [self.prefix.replace("_", r"\_") + "%", self.template],
            ),
            fetch=True,
        )
        quote = self.connection.ops.quote_name
        self._admin(
            *[(f"DROP DATABASE IF EXISTS {quote(stale)}", None) for (stale,) in old],
            (f"CREATE DATABASE {quote(self.template)} TEMPLATE {name}", None),
        )


@contextlib.contextmanager
def postgres_copy(connection):
    """The name of a new database copied from the migrated one kept for this code (``None``
    when no run made one, e.g. with ``--reuse-db``), dropped on leaving: a process that a
    test starts gets a migrated database of its own in a second, instead of migrating for
    half a minute. The test's own connection is left alone (it may be in a transaction)."""
    template = _Postgres(connection, fingerprint()).template
    name = f"{template}_{os.getpid()}"
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if not cursor.fetchall():
            yield None
            return
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    try:
        yield name
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")


def _store_for(connection, key):
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
        connection.settings_dict["NAME"]
    ):
        return _Sqlite(connection, key)
    if connection.vendor == "postgresql":
        return _Postgres(connection, key)
    return None


class MigrateOnce:
    """Between ``start`` and ``stop`` (while Django sets up the test databases), its
    ``migrate`` of a test database copies the kept database when there is one, else migrates
    and keeps a copy."""

    def __init__(self):
        self.key = fingerprint()
        self.real = management.call_command

    def call_command(self, name, *args, **options):
        connection = connections[options.get("database", "default")]
        store = _store_for(connection, self.key) if name == "migrate" else None
        if store is None:
            return self.real(name, *args, **options)
        with _locked(f"{connection.vendor}-{self.key}"):
            if store.exists():
                store.load()
                return None
            result = self.real(name, *args, **options)
            store.save()
            return result

    def start(self) -> None:
        management.call_command = self.call_command

    def stop(self) -> None:
        management.call_command = self.real
