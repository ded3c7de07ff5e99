"""Web push: each alert encrypted for the browser (RFC 8291) and signed with the site's
VAPID key (RFC 8292) by pywebpush, over one HTTP session per batch."""

from __future__ import annotations

import requests
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from .. import messages
from ..models import URGENT, Delivery
from .base import Gone, Refused

TTL = 24 * 3600  # how long the push service keeps an alert for a browser that is offline
TIMEOUT = 10


def configured() -> bool:
    """Whether the VAPID key pair is set; without it there is no web push."""
    return bool(settings.VAPID_PRIVATE_KEY)


class PushConnection:
    """Push alerts of one batch about the articles in ``infos``."""

    def __init__(self, infos: dict[tuple[int, int], messages.ArticleInfo]):
        self.infos = infos
        self.vapid = Vapid.from_string(settings.VAPID_PRIVATE_KEY)
        self.session = requests.Session()

    def send(self, delivery: Delivery) -> None:
        subscriber = delivery.subscriber
        try:
            webpush(
                {
                    "endpoint": subscriber.push_endpoint,
                    "keys": {"p256dh": subscriber.push_p256dh, "auth": subscriber.push_auth},
                },
                data=messages.push_payload(
                    self.infos[messages.info_key(delivery)],
                    breaking=delivery.reason in URGENT,
                    language=subscriber.language,
                ),
                vapid_private_key=self.vapid,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=TTL,
                timeout=TIMEOUT,
                requests_session=self.session,
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (404, 410):  # the browser dropped the subscription
                raise Gone(str(exc)) from exc
            permanent = status is not None and 400 <= status < 500 and status != 429
            raise Refused(str(exc), permanent=permanent) from exc
        except requests.RequestException as exc:
            raise Refused(str(exc)) from exc

    def close(self) -> None:
        self.session.close()
