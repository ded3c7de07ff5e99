"""``--dry-run`` (what an import would do, writing nothing) and ``--author`` (the author of
posts that name none) of ``redaktion import wordpress``."""

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from redaktion.importers.models import ImportedItem
from redaktion.news.factories import AuthorFactory
from redaktion.news.models import Author, Topic

from .test_bad_input import export, item
from .test_wordpress import EXPORT, article, imported, media, ressorts  # noqa: F401 (fixtures)


def written() -> tuple[int, ...]:
    return (
        Page.objects.count(),
        ImportedItem.objects.count(),
        Author.objects.count(),
        Topic.objects.count(),
        Redirect.objects.count(),
    )


def test_a_dry_run_counts_what_the_import_would_do_and_writes_nothing(ressorts, media, tmp_path):  # noqa: F811
    before = written()
    out, err, error = imported(media, EXPORT, "--dry-run")
    assert "Dry run: nothing was written." in out
    assert written() == before
    real, real_err, real_error = imported(media, EXPORT)
    # The same counts as the import that follows (pictures are not looked for), the same
    # item failing for the same reason.
    assert out.splitlines()[1].split(";")[0] == real.splitlines()[0].split(";")[0]
    assert "Created 4, updated 0, unchanged 0, skipped 1, failed 1" in out
    assert err == real_err and error == real_error
    imported(media, EXPORT)
    again, _err, _error = imported(media, EXPORT, "--dry-run")
    assert "Created 0, updated 0, unchanged 4" in again

    changed = tmp_path / "changed.xml"
    changed.write_text(EXPORT.read_text().replace("Neue Brücke", "Neue Brücke eröffnet", 1))
    after = written()
    out, _err, _error = imported(media, changed, "--dry-run")
    assert "updated 1" in out
    assert written() == after
    assert before != after


def test_a_dry_run_names_the_items_the_import_would_fail(ressorts, media, tmp_path):  # noqa: F811
    path = export(tmp_path / "ohne.xml", item(1), item(2, creator=False), item(3, content=""))
    out, err, error = imported(media, path, "--dry-run")
    assert "Created 1, updated 0, unchanged 0, skipped 0, failed 2" in out
    assert "„Meldung 2“ (ID 2): the post has no author (dc:creator)" in err
    assert "(ID 3): the post has no content" in err
    assert "2 items could not be imported" in error
    assert not ImportedItem.objects.exists()


def test_posts_without_an_author_get_the_one_named(ressorts, media, tmp_path):  # noqa: F811
    path = export(tmp_path / "ohne.xml", item(1, creator=False), item(2, creator=False))
    _out, _err, error = imported(media, path)
    assert "2 items could not be imported" in error

    out, _err, error = imported(media, path, "--author", "Redaktion Kreisbote")
    assert error is None and "Created 2" in out
    assert [a.name for a in article(1).authors] == ["Redaktion Kreisbote"]
    assert article(2).authors == article(1).authors
    assert Author.objects.filter(name="Redaktion Kreisbote").count() == 1


def test_the_author_named_may_be_one_of_the_newsroom(ressorts, media, tmp_path):  # noqa: F811
    desk = AuthorFactory(name="Lokalredaktion", slug="lokalredaktion")
    path = export(tmp_path / "ohne.xml", item(1, creator=False), item(2))
    out, _err, error = imported(media, path, "--author", "lokalredaktion")
    assert error is None and "Created 2" in out
    assert article(1).authors == [desk]
    assert article(2).authors != [desk]
