from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The German demo newsroom and its ``redaktion demo`` command. Nothing in the product
    imports this app; it only writes through the other apps' factories and services."""

    name = "redaktion.demo"
    label = "demo"
    verbose_name = _("Demo newsroom")
