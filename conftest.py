"""The test kit shared by every app's tests.

* ``run_tasks``: run what publishing sets off after commit (the test backend runs tasks at
  once) and drain the publish pipeline's outbox, as ``with run_tasks(): ArticlePageFactory(...)``.
* ``django_db_setup``: each test process copies a database migrated once (see
  ``redaktion/core/tests/migrated.py``) instead of running the migrations itself.
* ``module_db``: one transaction around a test module (or class), so module-scoped
  fixtures can build a newsroom once for tests that only read it; it is rolled back when
  the module ends. Each test still runs in a savepoint of its own, so a test that writes
  leaves nothing behind for the next one, but objects a module fixture returns are shared:
  a test that changes one in memory must not be in such a module.
* ``chromium``, ``browser_page``, ``reader`` (with an ordinary Chrome's user agent, for
  what counts readers); on their pages ``chromium.scripts_ran(page)`` waits until the
  scripts a reader page starts after its first paint have run.
* ``live_server``: pytest-django's, answering one request at a time while it shares the
  test's in-memory SQLite connection.
* ``redis_server``: a redis-server of the test's own, which the test may stop and start.
* ``home_page``; factories live in ``<app>/factories.py`` (``ArticlePageFactory(publish=False)``
  is the cheap article for tests that are not about publishing).
"""

import contextlib
import os
import shutil
import threading

import pytest
from django.db import transaction
from django.test import override_settings

from chromium import CHROMIUM, CHROMIUM_FLAGS, OFFLINE, note_scripts
from redaktion.core.tests.migrated import MigrateOnce
from redaktion.core.tests.servers import RedisServer


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests go last, after pytest-django has put the transactional tests behind
    the others: once Playwright's event loop runs in the test thread, that thread gets a new
    database connection without the serialized copy of the database, so a later
    ``serialized_rollback`` test would start from the empty database a flush leaves behind
    (tests rely on the home page the migrations create).

    Tests marked ``postgres`` skip on SQLite, and tests marked ``varnish`` without varnishd
    (``make varnish``), on a developer's machine. In CI they must run: there such a test
    fails instead of skipping."""
    browser = [item for item in items if item.get_closest_marker("browser")]
    items[:] = [item for item in items if not item.get_closest_marker("browser")] + browser
    if os.environ.get("CI") == "true":
        return  # pytest_runtest_setup fails them instead
    for item in items:
        missing = _missing_requirement(item)
        if missing:
            item.add_marker(pytest.mark.skip(reason=missing))


def _missing_requirement(item) -> str | None:
    """What a test marked ``postgres`` or ``varnish`` needs and this run lacks."""
    if item.get_closest_marker("postgres") and not _on_postgres():
        return "needs DATABASE_URL=postgres://…"
    if item.get_closest_marker("varnish") and not shutil.which("varnishd"):
        return "needs varnishd with xkey: run `make varnish`"
    return None


def pytest_runtest_setup(item):
    missing = _missing_requirement(item)
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this test: it {missing}")


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """One media folder for the session: images made by a module fixture must still be
    there for the renditions its tests ask for."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(scope="session")
def _migrate_once(django_db_use_migrations, django_db_keepdb):
    """Started before pytest-django's ``django_db_setup`` and stopped after it (below); not
    with ``--reuse-db`` or ``--no-migrations``, which have their own ways."""
    if not django_db_use_migrations or django_db_keepdb:
        yield None
        return
    migrate = MigrateOnce()
    migrate.start()
    yield migrate
    migrate.stop()


@pytest.fixture(scope="session")
def django_db_setup(_migrate_once, django_db_setup):
    if _migrate_once is not None:
        _migrate_once.stop()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around the whole module, rolled back at its end (see the module
    docstring). Module-scoped fixtures that write ask for it; their tests ask for ``db``."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Runs what a change sets off once it commits: the on-commit callbacks (the test backend
    runs tasks at once) and then the outbox until nothing is due: ``with run_tasks(): ...``."""
    from redaktion.core.outbox import outbox_drain

    @contextlib.contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks
        while outbox_drain().done:
            pass

    return run


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so no page cached by another test is served,
    and with none of the routes and fragment lists a process remembers: ids of rolled-back
    pages are given again."""
    from django.core.cache import cache

    from redaktion.core import fragments, routing

    cache.clear()
    routing.known_routes.clear()
    fragments.forget_used()


@pytest.fixture
def fragments_without_page_cache(settings):
    """Every request renders (no page cache), with the fragment cache on as in production:
    for tests of what a page-cache miss reads from the fragments."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own on a free port, that the test can stop and start
    again (``RedisServer``): parallel test processes never share its keys."""
    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the Redis tests: `make browser` installs redis-server")
        pytest.skip("redis-server is missing: `make browser` installs it with apt")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def home_page(db):
    from redaktion.news.models import HomePage

    return HomePage.objects.get(depth=2)


class OneRequestAtATime:
    """A WSGI application that answers one request at a time, body included.

    The live server answers each connection in a thread of its own, and with in-memory
    SQLite every thread uses the test's one connection: an editor's background ping during
    a save mixed its savepoints with the save's ("no such savepoint"). The app's responses
    are small and none streams, so each body is read whole under the lock."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            response = self.app(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        return [body]


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server; while it shares the test's in-memory SQLite connection
    (not on PostgreSQL), it answers one request at a time (``OneRequestAtATime``)."""
    if live_server.thread.connections_override:
        server = live_server.thread.httpd
        server.set_app(OneRequestAtATime(server.get_app()))
    return live_server


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt")
        pytest.skip(f"{CHROMIUM} is missing: `make browser` installs it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, OFFLINE]
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# An ordinary desktop Chrome: headless Chromium names itself in its user agent, and the ad
# and read counters ignore robots.
READER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def reader(chromium):
    """A reader's desktop page in a fresh context, with an ordinary Chrome's user agent, so
    what counts readers counts it; ``chromium.scripts_ran`` works on it."""
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="de-DE", user_agent=READER_USER_AGENT
    )
    note_scripts(context)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh browser context (no cookies) with a desktop-sized page; ``chromium.scripts_ran``
    works on it."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    note_scripts(context)
    page = context.new_page()
    yield page
    context.close()
