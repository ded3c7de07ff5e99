from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from redaktion.core import health
from redaktion.desk.twofactor import second_factor

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/zweiter-faktor/", second_factor, name="desk_second_factor"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include("redaktion.syndication.urls"))]
urlpatterns += [path("feeds/", include("redaktion.syndication.feed_urls"))]
urlpatterns += [path("", include("redaktion.search.urls"))]
urlpatterns += [path("", include("redaktion.notifications.urls"))]
urlpatterns += [path("anzeigen/", include("redaktion.ads.urls"))]
urlpatterns += [path("", include("redaktion.analytics.urls"))]
urlpatterns += [path("", include("redaktion.api.urls"))]
urlpatterns += [path("", include("redaktion.news.urls"))]

urlpatterns += [path("", include(wagtail_urls))]
