from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from redaktion.core.database import refresh_statistics
from redaktion.demo.ads import ads_demo_load
from redaktion.demo.services import DemoError, demo_admin_ensure, demo_load


class Command(BaseCommand):
    help = _(
        "Load the German demo newsroom: Ressorts, authors, topics, articles with pictures, "
        "legal pages and a demo admin account. A second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet",
            action="store_true",
            help=_("Print only the admin credentials, not the progress."),
        )

    def handle(self, *args, quiet=False, **options):
        say = (lambda message: None) if quiet else self.stdout.write
        try:
            with transaction.atomic():
                admin = demo_admin_ensure()
                result = demo_load(progress=say)
                ads_demo_load(progress=say)
        except DemoError as error:
            raise CommandError(str(error)) from error
        if result.loaded:
            refresh_statistics()  # the tables were filled in bulk

        if result.loaded:
            say(
                self.style.SUCCESS(
                    _(
                        "Demo newsroom loaded: %(articles)d articles in %(ressorts)d Ressorts, "
                        "%(topics)d topics, %(authors)d authors (%(seconds).1f s)."
                    )
                    % {**result.counts, "seconds": result.seconds}
                )
            )
        else:
            say(_("The demo newsroom is already loaded; nothing changed."))

        login_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home")
        if admin.password:
            self.stdout.write(
                "\n".join(
                    [
                        "",
                        _("Admin:    %(url)s") % {"url": login_url},
                        _("User:     %(username)s") % {"username": admin.username},
                        _("Password: %(password)s") % {"password": admin.password},
                        _("The password is shown only now; keep it."),
                    ]
                )
            )
        else:
            say(
                _(
                    "Admin: %(url)s – the user “%(username)s” already exists and keeps its "
                    "password. To set a new one: redaktion changepassword %(username)s"
                )
                % {"url": login_url, "username": admin.username}
            )
