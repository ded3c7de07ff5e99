"""Tags for the follow box; none of them touches the database."""

from django import template
from django.conf import settings

from .. import services

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
