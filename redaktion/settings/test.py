"""The test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-key-not-for-any-deployment"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
if "DATABASE_URL" not in os.environ:
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/redaktion-test-media")  # noqa: S108
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Django's test client logs in without a request, which django-axes refuses; the lockout's
# own tests switch it on.
AXES_ENABLED = False
# Tests change content without the purges that run after a commit; the tests of the
# fragment cache switch it on.
FRAGMENT_CACHE_ENABLED = False
# A test's pages must not be answered from another test's recent answers (the same paths);
# the fast hit's tests switch them on.
PAGE_CACHE_LOCAL_SECONDS = 0
