"""Wagtail's users app with the desk's user forms (``users.py``); named in ``INSTALLED_APPS``
instead of ``wagtail.users``. A module of its own: an app config is imported before the
models are ready, and the forms need them."""

from wagtail.users.apps import WagtailUsersAppConfig


class DeskUsersConfig(WagtailUsersAppConfig):
    user_viewset = "redaktion.desk.users.DeskUserViewSet"
