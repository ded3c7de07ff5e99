"""Template tags of "Mehr zum Thema": the reader's list under an article, and the engine's
suggestions in the article editor."""

from django import template

from redaktion.core.fragments import fragment
from redaktion.news import keys
from redaktion.news.listings import with_renditions
from redaktion.news.selectors import attach_ressorts, ressorts

from ..selectors import RELATED_LENGTH, editor_suggestions, related_for

register = template.Library()


@register.simple_tag(takes_context=True)
def related_articles(context, article, limit: int = RELATED_LENGTH):
    """ "Mehr zum Thema" for ``article`` (``selectors.related_for``: the editor's picks
    first, then the engine's suggestions; a preview shows unsaved picks), each with its
    Ressort attached from the page's ``ressorts``, which are loaded when the context has
    none: ``{% related_articles page as related %}``. At most six queries, none while its
    fragment is cached."""
    ressort_list = context.get("ressorts")
    if ressort_list is None:
        ressort_list = ressorts()
    # A fragment per article: purged with the article's page key (the engine rewrote the
    # list, an editor changed picks) and with the key of every article it shows.
    return fragment(
        f"related:{article.pk}:{limit}",
        lambda: with_renditions(attach_ressorts(related_for(article, limit=limit), ressort_list)),
        keys=[keys.page(article.pk)],
        request=context.get("request"),
    )


@register.simple_tag
def related_suggestions(article):
    """The engine's suggestions with their scores, marked picked or blocked, for the
    article editor (``selectors.editor_suggestions``)."""
    return editor_suggestions(article)
