"""System checks that keep old article URLs alive.

Readers and search engines hold links to articles that editors later rename or move; the
site answers them with a 301 only while Wagtail's redirect auto-creation and the redirect
middleware are both on. A settings change that turns either off would silently break those
links, so ``manage.py check`` says so.
"""

from django.apps import apps
from django.conf import settings
from django.core.checks import Warning, register

REDIRECT_MIDDLEWARE = "wagtail.contrib.redirects.middleware.RedirectMiddleware"


@register()
def check_redirects(app_configs, **kwargs):
    warnings = []
    if not apps.is_installed("wagtail.contrib.redirects"):
        warnings.append(
            Warning(
                "wagtail.contrib.redirects is not installed: renamed or moved articles "
                "lose their old URLs.",
                hint="Add 'wagtail.contrib.redirects' to INSTALLED_APPS.",
                id="syndication.W001",
            )
        )
    if not getattr(settings, "WAGTAILREDIRECTS_AUTO_CREATE", True):
        warnings.append(
            Warning(
                "WAGTAILREDIRECTS_AUTO_CREATE is off: renaming or moving an article "
                "creates no redirect from its old URL.",
                hint="Set WAGTAILREDIRECTS_AUTO_CREATE = True.",
                id="syndication.W002",
            )
        )
    if REDIRECT_MIDDLEWARE not in settings.MIDDLEWARE:
        warnings.append(
            Warning(
                "The redirect middleware is missing: stored redirects are never served.",
                hint=f"Add '{REDIRECT_MIDDLEWARE}' to MIDDLEWARE.",
                id="syndication.W003",
            )
        )
    return warnings
