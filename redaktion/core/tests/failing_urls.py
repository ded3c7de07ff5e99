"""The site's URLconf plus one view that fails, for the test that a server error reaches
the log."""

from django.urls import path

from redaktion.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("Absichtlich kaputt")


urlpatterns = [path("kaputt/", broken), *site_urlpatterns]
