"""Tags for the follow box; none of them touches the database."""

from django import template
from django.conf import settings

from .. import selectors, services

register = template.Library()


@register.simple_tag
def vapid_public_key() -> str:
    """The VAPID application server key (the same for every reader), or "" without push."""
    return settings.VAPID_PUBLIC_KEY if settings.VAPID_PRIVATE_KEY else ""


@register.simple_tag
def consent_text() -> str:
    return services.consent_text()


@register.simple_tag
def digest_hours():
    return range(24)


@register.simple_tag
def follow_targets(ressort=None, topic=None, author=None, topics=(), authors=()):
    """What a page offers to follow (``selectors.follow_targets``): an article passes its
    Ressort, topics and authors; a Ressort, topic or author page passes itself."""
    return selectors.follow_targets(
        ressort=ressort,
        topics=[topic, *topics] if topic is not None else topics,
        authors=[author, *authors] if author is not None else authors,
    )
