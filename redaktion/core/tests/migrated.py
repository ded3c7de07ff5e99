"""A migrated test database made once and copied, instead of migrating in every test
process (256 migrations take 40 s of CPU each time).

The first process that needs the database migrates it as usual and keeps a copy: a SQLite
file (copied into each process's in-memory database by SQLite's backup API), or on
PostgreSQL a template database (each process's database is ``CREATE DATABASE … TEMPLATE``).
The copy is named by a fingerprint of everything that shapes the migrated database: every
installed app's migrations, the installed packages, and the project's code that can run
while it migrates (``code_that_migrates``: settings, app configs, models, hooks, the
``migrate`` signal receivers that set up the desk, and all they import). A change to any
of them makes a new copy; a later run of unchanged code starts from the copy it finds, and
an edit of an importer, a template tag or a command does not migrate again. Processes that
start together wait for the one that migrates (a file lock), so the migrations run once per
fingerprint.
"""

import ast
import contextlib
import fcntl
import hashlib
import importlib.metadata
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from django.apps import apps
from django.core import management
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate

PROJECT = Path(__file__).resolve().parents[2]
# One folder per checkout: a checkout replaces only its own copies.
STORE = (
    Path(tempfile.gettempdir())
    / "redaktion-test-db"
    / hashlib.sha256(str(PROJECT).encode()).hexdigest()[:12]
)


def _module_file(name: str) -> Path | None:
    """The project's source file of module ``name`` (``None`` for anything else, or for a
    name that is an attribute, not a module)."""
    if name != "redaktion" and not name.startswith("redaktion."):
        return None
    base = PROJECT.parent.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_names(path: Path):
    """Every module name ``path`` imports, at module level or inside a function (the
    app configs import their receivers in ``ready``), and every ``redaktion.…`` string it
    holds (the settings name backends that Django imports by name)."""
    package = list(path.relative_to(PROJECT.parent).parts[:-1])
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*parts, *([node.module] if node.module else [])])
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            dotted = node.value.split(":")[0]
            while dotted.startswith("redaktion."):
                yield dotted
                dotted = dotted.rpartition(".")[0]


def _migrations() -> set[Path]:
    """Every installed app's migration files (the project's and the packages')."""
    return {
        path.resolve()
        for app in apps.get_app_configs()
        for path in (Path(app.path) / "migrations").glob("*.py")
    }


def code_that_migrates() -> set[Path]:
    """The project's modules that can run while the test database migrates: the settings,
    each app's package, config, models, Wagtail hooks and migrations, the modules of the
    ``migrate`` signals' receivers, and every module of the project these import (at module
    level or in a function, directly or not). Tests are left out: none runs during
    ``migrate``."""
    # The module Django read its settings from (``settings.SETTINGS_MODULE`` is None while
    # a test overrides settings).
    roots = {sys.modules[os.environ["DJANGO_SETTINGS_MODULE"]].__file__, *_migrations()}
    for app in apps.get_app_configs():
        roots.add(sys.modules[type(app).__module__].__file__)
        for name in (app.name, f"{app.name}.models", f"{app.name}.wagtail_hooks"):
            roots.add(_module_file(name))
    for signal in (pre_migrate, post_migrate):
        for receiver in signal._live_receivers(sender=None)[0]:
            roots.add(_module_file(getattr(receiver, "__module__", "")))
    found = {Path(root).resolve() for root in roots if root}
    found = {path for path in found if path.is_relative_to(PROJECT)}
    todo = list(found)
    while todo:
        module = todo.pop()
        # Importing a module runs its packages' ``__init__`` first.
        packages = [
            parent / "__init__.py"
            for parent in module.parents
            if parent.is_relative_to(PROJECT) and (parent / "__init__.py").is_file()
        ]
        names = [_module_file(name) for name in _imported_names(module)]
        for path in [*packages, *names]:
            if (
                path is not None
                and path not in found
                and "tests" not in path.relative_to(PROJECT).parts
            ):
                found.add(path)
                todo.append(path)
    return found


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(code_that_migrates() | _migrations()):
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
