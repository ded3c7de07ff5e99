"""Production settings refuse to start half-configured and pass Django's deployment checks.

Each case runs in a fresh interpreter, since settings are read once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k" * 20 + "Zq8#v!Lm2@pX7^tR4&wE9*yU1(oI6)aS3"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests in this process; a deployment
    # never has it (check --deploy rejects it).
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base["DJANGO_SETTINGS_MODULE"] = "redaktion.settings.production"
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "news.example.org"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": "news.example.org", "SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS must list"),
    ],
)
def test_production_refuses_to_start_without_key_and_hosts(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_passes_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_development_key_is_generated_per_checkout_not_fixed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env |= {"REDAKTION_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "redaktion.settings.dev"}
    # Reading the settings module is what a start does first; no app needs to load for it.
    code = "from redaktion.settings import dev; print(dev.SECRET_KEY)"
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs[0] == runs[1]  # kept in var/, stable across restarts
    assert len(runs[0]) >= 50
    assert (tmp_path / "secret_key.txt").stat().st_mode & 0o077 == 0


def test_processes_starting_together_agree_on_the_development_key(tmp_path, monkeypatch):
    """The server and the worker of `make run` start at once on a new checkout: when the
    other process puts its key in place first, this one takes that key, not its own."""
    from django.core.management import utils

    from redaktion.settings import dev

    monkeypatch.setattr(dev, "VAR_DIR", tmp_path)
    theirs = "k" * 50

    def racing_key():
        (tmp_path / "secret_key.txt").write_text(theirs)  # the other process wins
        return "m" * 50

    monkeypatch.setattr(utils, "get_random_secret_key", racing_key)
    assert dev._local_secret_key() == theirs
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key.txt"]
