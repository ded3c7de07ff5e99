"""Template tags of "Mehr zum Thema": the reader's list under an article, and the engine's
suggestions in the article editor."""

from django import template

from redaktion.news.selectors import attach_ressorts, ressorts

from ..selectors import RELATED_LENGTH, editor_suggestions, related_for

register = template.Library()


@register.simple_tag(takes_context=True)
def related_articles(context, article, limit: int = RELATED_LENGTH):
    """ "Mehr zum Thema" for ``article`` (``selectors.related_for``: the editor's picks
    first, then the engine's suggestions; a preview shows unsaved picks), each with its
    Ressort attached from the page's ``ressorts``, which are loaded when the context has
    none: ``{% related_articles page as related %}``. At most six queries."""
    ressort_list = context.get("ressorts")
    if ressort_list is None:
        ressort_list = ressorts()
    return attach_ressorts(related_for(article, limit=limit), ressort_list)


@register.simple_tag
def related_suggestions(article):
    """The engine's suggestions with their scores, marked picked or blocked, for the
    article editor (``selectors.editor_suggestions``)."""
    return editor_suggestions(article)
