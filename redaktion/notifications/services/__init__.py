"""Writes of the notifications app, in three parts:

* ``subscriptions``: subscribe with double opt-in, confirm, manage, stop one follow,
  unsubscribe, delete, web push subscriptions;
* ``fanout``: the deliveries of an article's first publication or breaking-news resend;
* ``sending``: leased batches handed to the channels (``redaktion.notifications.channels``),
  marked sent one by one, retried with backoff; daily digests.

Every service is keyword-only and safe to repeat: confirmations merge, a fan-out inserts
with ``ON CONFLICT DO NOTHING`` against the unique ``Delivery`` constraint, and sending
claims deliveries with a lease, so no message goes out twice.
"""

from ..exceptions import NotificationError
from .fanout import (
    notification_announce,
    notification_breaking,
    notification_fan_out,
    notification_key_event,
)
from .sending import (
    LEASE,
    MAX_ATTEMPTS,
    SendResult,
    deliveries_send,
    digests_send,
    release_expired_leases,
)
from .subscriptions import (
    MAX_FOLLOWS,
    confirmation_data,
    confirmation_send,
    consent_text,
    existing_follows,
    follow_from_token,
    follow_remove,
    manage_link_send,
    push_subscribe,
    push_unsubscribe,
    subscriber_delete,
    subscriber_from_token,
    subscriber_set_status,
    subscriber_update,
    subscription_confirm,
    subscription_request,
)

__all__ = [
    "LEASE",
    "MAX_ATTEMPTS",
    "MAX_FOLLOWS",
    "NotificationError",
    "SendResult",
    "consent_text",
    "deliveries_send",
    "digests_send",
    "existing_follows",
    "follow_from_token",
    "follow_remove",
    "confirmation_data",
    "confirmation_send",
    "manage_link_send",
    "notification_announce",
    "notification_breaking",
    "notification_fan_out",
    "notification_key_event",
    "push_subscribe",
    "push_unsubscribe",
    "release_expired_leases",
    "subscriber_delete",
    "subscriber_from_token",
    "subscriber_set_status",
    "subscriber_update",
    "subscription_confirm",
    "subscription_request",
]
