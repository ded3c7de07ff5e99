"""What a page render must not repeat once a process has served the page: parsing the
rendition specs (Wagtail checks each operation's arguments through ``inspect``) and
looking up attributes an article does not have (Django's template engine then lists the
whole page class with ``dir``)."""

import pytest
from django.template import base as template_base
from wagtail.images import image_operations

from redaktion.core.middleware import purge_page_cache
from redaktion.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_a_second_render_parses_no_spec_and_misses_no_article_attribute(
    client, newsroom, monkeypatch
):
    urls = ["/", "/politik/", newsroom["article"].url]
    for url in urls:
        assert client.get(url).status_code == 200  # renditions made, templates loaded
    purge_page_cache()

    parsed, listed = [], []
    getcallargs = image_operations.inspect.getcallargs

    def parse(*args, **kwargs):
        parsed.append(args[0])
        return getcallargs(*args, **kwargs)

    def dir_of(obj=None):
        if isinstance(obj, ArticlePage):
            listed.append(obj)
        return dir(obj)

    monkeypatch.setattr(image_operations.inspect, "getcallargs", parse)
    monkeypatch.setattr(template_base, "dir", dir_of, raising=False)
    for url in urls:
        assert client.get(url).status_code == 200
    assert parsed == []
    assert listed == []
