"""The WSGI application: Django, with a page-cache hit answered in front of it
(``redaktion.core.fasthit``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redaktion.settings.production")

django_application = get_wsgi_application()

from redaktion.core.fasthit import CachedPageApplication  # noqa: E402 (needs Django set up)

application = CachedPageApplication(django_application)
