"""``redaktion api_keys create NAME [--per-minute N]`` prints a new key (shown only now);
``list`` shows the keys; ``revoke PREFIX`` switches one off."""

from django.core.management.base import BaseCommand, CommandError

from ...models import ApiKey
from ...services import api_key_create


class Command(BaseCommand):
    help = "Create, list and revoke API keys of the JSON API."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create")
        create.add_argument("name")
        create.add_argument("--per-minute", type=int, default=600)
        actions.add_parser("list")
        revoke = actions.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        if action == "create":
            key, raw = api_key_create(
                name=options["name"], requests_per_minute=options["per_minute"]
            )
            self.stdout.write(raw)
            self.stderr.write(f"{key}: {key.requests_per_minute} requests per minute")
        elif action == "list":
            for key in ApiKey.objects.all():
                state = "active" if key.active else "revoked"
                self.stdout.write(f"{key.prefix}\t{key.name}\t{key.requests_per_minute}\t{state}")
        else:
            if not ApiKey.objects.filter(prefix=options["prefix"]).update(active=False):
                raise CommandError(f"No API key with prefix {options['prefix']}")
