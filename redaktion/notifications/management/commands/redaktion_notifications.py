"""``redaktion notifications``: VAPID keys for web push, and sending by hand.

redaktion notifications vapid-keys     # prints VAPID_PUBLIC_KEY=… and VAPID_PRIVATE_KEY=…
redaktion notifications send           # sends every due delivery and digest now
"""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from redaktion.notifications import services
from redaktion.notifications.models import Channel


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_keys() -> tuple[str, str]:
    """A new P-256 key pair: (public key as the browser's applicationServerKey, private key
    as the raw 32-byte scalar), both base64url without padding."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return _b64(public), _b64(private)


class Command(BaseCommand):
    help = "Alerts for new articles: make VAPID keys for web push, or send what is due."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["vapid-keys", "send"])

    def handle(self, *, action, **options):
        if action == "vapid-keys":
            public, private = vapid_keys()
            self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}")
            return
        total = services.SendResult()
        for channel in Channel.values:
            total.add(services.deliveries_send(channel=channel))
        digests = services.digests_send()
        self.stdout.write(
            _("Sent %(sent)d, retry later %(retried)d, failed %(failed)d, digests %(digests)d.")
            % {
                "sent": total.sent,
                "retried": total.retried,
                "failed": total.failed,
                "digests": digests.sent,
            }
        )
