"""The WSGI application: Django, with a page-cache hit (``redaktion.core.fasthit``) and the
read beacon (``redaktion.analytics.fastbeacon``) answered in front of it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redaktion.settings.production")

django_application = get_wsgi_application()

# These need Django set up.
from redaktion.analytics.fastbeacon import ReadBeaconApplication  # noqa: E402
from redaktion.core.fasthit import CachedPageApplication  # noqa: E402

application = ReadBeaconApplication(CachedPageApplication(django_application))
