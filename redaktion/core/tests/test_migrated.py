"""The fingerprint of the kept test database (``migrated.py``): which of the project's
modules it reads, so that an edit that cannot change the migrated database does not
migrate it again, and one that can does."""

from redaktion.core.tests import migrated

PROJECT = migrated.PROJECT


def test_the_code_that_can_run_while_migrating_is_in_the_fingerprint():
    found = migrated.code_that_migrates()
    expected = [
        "__init__.py",
        "settings/test.py",
        "settings/base.py",  # imported by the test settings
        "core/apps.py",
        "core/database.py",  # its post_migrate receiver, connected in ready()
        "desk/signals.py",  # sets up the desk after migrate, imported in ready()
        "desk/services.py",  # what that receiver calls
        "news/models.py",
        "news/migrations/0007_byline_order.py",
        "search/migrations/0002_text_index.py",
        "news/wagtail_hooks.py",
    ]
    assert [name for name in expected if PROJECT / name not in found] == []


def test_code_that_never_runs_while_migrating_is_not():
    found = migrated.code_that_migrates()
    outside = [
        "importers/wordpress.py",
        "demo/services.py",
        "news/factories.py",
        "desk/templatetags/desk_tags.py",
        "core/management/commands/redaktion_worker.py",
    ]
    assert [name for name in outside if PROJECT / name in found] == []
    assert [path for path in found if "tests" in path.relative_to(PROJECT).parts] == []


def test_relative_imports_and_imports_in_functions_are_followed():
    names = set(migrated._imported_names(PROJECT / "core" / "apps.py"))
    # ``from . import checks, database, …`` inside ready()
    assert {"redaktion.core.checks", "redaktion.core.database"} <= names


def test_a_name_that_is_not_a_module_of_the_project_has_no_file():
    assert migrated._module_file("redaktion.core.apps") == PROJECT / "core" / "apps.py"
    assert migrated._module_file("redaktion.core") == PROJECT / "core" / "__init__.py"
    assert migrated._module_file("redaktion.core.apps.CoreConfig") is None
    assert migrated._module_file("wagtail.models") is None
