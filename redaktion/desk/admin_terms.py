"""The newsroom's words for labels that Wagtail's German catalogue leaves in English
("Dashboard", "Home", "Breadcrumb") or in forum jargon ("In Moderation").

The project's catalogue (``LOCALE_PATHS``) is read before Wagtail's, so a msgid of Wagtail's
translated there is shown with the project's German everywhere in the admin. Naming them
here keeps them in the catalogue through ``make messages`` (which drops msgids no source
file uses); nothing imports this module.
"""

from django.utils.translation import gettext_noop

WAGTAIL_TERMS = (
    gettext_noop("Dashboard"),
    gettext_noop("Home"),
    gettext_noop("Breadcrumb"),
    gettext_noop("In Moderation"),
)
