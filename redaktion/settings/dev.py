"""Local development and the embedded demo (`make run`)."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405


def _local_secret_key() -> str:
    """A per-checkout key kept in var/, made on first start: never a fixed one. Processes
    that start together (`make run`: the server and the worker) agree on one: each writes
    its key to a file of its own (mode 0600) and links it into place, which only the first
    does; none reads a key file that is not written yet."""
    from django.core.management.utils import get_random_secret_key

    path = VAR_DIR / "secret_key.txt"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=VAR_DIR, delete=False) as draft:
            draft.write(get_random_secret_key())
        try:
            os.link(draft.name, path)
        except FileExistsError:
            pass  # another process's key is in place
        finally:
            os.unlink(draft.name)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", False)
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", False)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
