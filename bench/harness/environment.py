"""Environments and databases: the site in a directory of its own, and Django in the
benchmark's own process."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import django
from django.core.management import call_command

from .servers import LOCAL_POSTGRES, ROOT, VENV_BIN, granian, gunicorn, postgres_database

PYTHON = str(VENV_BIN / "python")


def site_environment(var: Path, *, production: bool = True, **values: str) -> dict[str, str]:
    """The environment of the site's processes: this process's, with the site's data in
    ``var``, answering on loopback only and logging warnings and worse. ``production``: the
    production settings with a fresh SECRET_KEY and no SSL redirect (plain http on loopback);
    otherwise the development settings with DEBUG off. ``values`` are set on top. The
    caller's DATABASE_URL and REDIS_URL are never inherited: a site uses the database and
    cache that ``values`` name, or the embedded defaults."""
    env = {
        **os.environ,
        "REDAKTION_VAR_DIR": str(var),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if production:
        env.update(
            DJANGO_SETTINGS_MODULE="redaktion.settings.production",
            SECRET_KEY=secrets.token_urlsafe(64),
            SECURE_SSL_REDIRECT="false",
        )
    else:
        env.update(DJANGO_SETTINGS_MODULE="redaktion.settings.dev", DEBUG="false")
    env.update(values)
    return env


@dataclass
class Site:
    """A site set up by ``site()``: ``var`` holds its data (database file, static and media
    files, logs), ``env`` is the environment its processes run in."""

    var: Path
    env: dict[str, str]

    def manage(self, *args: str) -> None:
        """``manage.py`` with ``args`` in the site (its output discarded, errors shown)."""
        subprocess.run(
            [PYTHON, "manage.py", *args],
            env=self.env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def python(self, *args: str) -> str:
        """Python with ``args`` (a script and its options) in the site; returns what it
        printed (progress on stderr goes to the terminal)."""
        return subprocess.run(
            [PYTHON, *args], env=self.env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True
        ).stdout

    def serve(self, *, env: dict[str, str] | None = None, **options):
        """``gunicorn()`` serving the site with ``options``, its log in ``var``; ``env`` is
        set on top of the site's environment for this server only."""
        return gunicorn({**self.env, **(env or {})}, log=self.var / "gunicorn.log", **options)

    def serve_production(self, *, env: dict[str, str] | None = None, **options):
        """``granian()``, the app server of `make serve`, serving the site with ``options``;
        otherwise as ``serve()``."""
        return granian({**self.env, **(env or {})}, log=self.var / "granian.log", **options)


@contextlib.contextmanager
def site(
    *,
    database: str = "sqlite",
    postgres_name: str = "",
    production: bool = True,
    prefix: str = "redaktion-bench-",
    **values: str,
) -> Iterator[Site]:
    """A fresh site for the length of the block, in a temporary directory (``prefix``):
    its environment (``site_environment()`` with ``production`` and ``values``), a database
    of its own (``sqlite``: a file in the directory; ``postgres``: the database
    ``postgres_name`` on the machine's server, dropped and created anew), migrated, with the
    static files collected (WhiteNoise serves them with DEBUG off)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        var = Path(name)
        if database == "postgres":
            if not postgres_name:
                raise ValueError("a site on PostgreSQL needs a database name of its own")
            url = postgres_database(f"{LOCAL_POSTGRES}/{postgres_name}", fresh=True)
        else:
            url = f"sqlite:///{var / 'bench.sqlite3'}"
        env = site_environment(var, production=production, DATABASE_URL=url, **values)
        built = Site(var, env)
        built.manage("migrate", "--noinput", "-v0")
        built.manage("collectstatic", "--noinput", "-v0")
        yield built


def django_setup(settings: str = "redaktion.settings.test") -> None:
    """Django in this process, with ``settings`` unless DJANGO_SETTINGS_MODULE names others
    (the test settings: fast hashing, tasks run at once, the database of DATABASE_URL)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    django.setup()


def django_on_postgres(url: str) -> None:
    """Django in this process on the PostgreSQL database ``url``, created if missing and
    migrated; the data in it is kept between runs."""
    postgres_database(url)
    os.environ["DATABASE_URL"] = url
    django_setup()
    call_command("migrate", verbosity=0)


def require_postgres(url: str, example: str) -> str:
    """``url``, if it names a PostgreSQL database; otherwise exits saying how to set one."""
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"set DATABASE_URL=postgres://…/{example} (a database of its own)")
    return url


def last_json(output: str):
    """The JSON a child process printed on its last line (after any progress)."""
    return json.loads(output.strip().splitlines()[-1])
