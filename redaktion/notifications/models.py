"""Follows, subscribers and deliveries of "Benachrichtigung über neue Artikel".

* ``Subscriber``: one reader on one channel: an email address (confirmed by double opt-in;
  unconfirmed addresses are never stored, the confirmation link carries the request) or a
  browser's push subscription. Rhythm (at once or a daily digest at a chosen hour), language,
  the consent text and time, and a random ``key`` that every magic link must repeat, so
  links die with the row and a key change revokes them.
* ``Follow``: what a subscriber follows: a Ressort, a topic or an author, by kind and id.
* ``Announcement``: one row per article that has been announced; its existence is what
  makes only the first publication notify anyone.
* ``Delivery``: one row per (subscriber, article, channel, reason, Liveticker entry), unique,
  so a retried or restarted fan-out never creates a second message; its status is the lease
  that makes sending exactly once (``pending`` → ``sending`` with ``claimed_at`` →
  ``sent``/``failed``).
"""

from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PUSH = "push", _("Web push")


class Rhythm(models.TextChoices):
    INSTANT = "instant", _("At once")
    DAILY = "daily", _("Daily digest")


class FollowKind(models.TextChoices):
    RESSORT = "ressort", _("Section")
    TOPIC = "topic", _("Topic")
    AUTHOR = "author", _("Author")


class Subscriber(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    email = models.EmailField(_("email address"), max_length=254, null=True, blank=True)
    push_endpoint = models.URLField(_("push endpoint"), max_length=1000, null=True, blank=True)
    push_p256dh = models.CharField(max_length=200, blank=True)
    push_auth = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    rhythm = models.CharField(
        _("rhythm"), max_length=8, choices=Rhythm.choices, default=Rhythm.INSTANT
    )
    digest_hour = models.PositiveSmallIntegerField(_("digest hour"), default=7)
    language = models.CharField(_("language"), max_length=8, default="de")
    key = models.CharField(max_length=32)
    consent_text = models.TextField(_("consent text"))
    consented_at = models.DateTimeField(_("consented at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(fields=["email"], name="unique_subscriber_email"),
            models.UniqueConstraint(fields=["push_endpoint"], name="unique_subscriber_endpoint"),
        ]
        indexes = [models.Index(fields=["rhythm", "digest_hour"], name="subscriber_digest_idx")]

    def __str__(self):
        return self.email or f"push #{self.pk}"


class DeletedAddress(models.Model):
    """An address deleted on its owner's request, as a keyed hash (never in clear text) with
    the time: confirmation links requested before that time no longer create a subscriber.
    Kept only as long as such links are valid (``tokens.CONFIRM_MAX_AGE``)."""

    digest = models.CharField(max_length=64, unique=True)
    deleted_at = models.DateTimeField()

    def __str__(self):
        return self.digest

    @staticmethod
    def digest_of(email: str) -> str:
        return salted_hmac(
            "redaktion.notifications.deleted", email.strip().lower(), algorithm="sha256"
        ).hexdigest()


class Follow(models.Model):
    # Indexed by the unique constraint, which starts with the subscriber.
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="follows", db_index=False
    )
    kind = models.CharField(max_length=8, choices=FollowKind.choices)
    target_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "kind", "target_id"], name="unique_follow"
            )
        ]
        # The fan-out reads followers of a few targets: (kind, target) first, subscriber
        # included so the index alone answers it.
        indexes = [
            models.Index(fields=["kind", "target_id", "subscriber"], name="follow_target_idx")
        ]

    def __str__(self):
        return f"{self.kind}:{self.target_id}"


class Announcement(models.Model):
    """An article whose first publication has been announced; breaking resends count up."""

    article = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    announced_at = models.DateTimeField(auto_now_add=True)
    breaking_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        permissions = [("send_breaking", _("Can resend an article as breaking news"))]

    def __str__(self):
        return str(self.article_id)


class Delivery(models.Model):
    class Reason(models.TextChoices):
        NEW = "new", _("New article")
        BREAKING = "breaking", _("Breaking news")
        KEY_EVENT = "live", _("Key event in a live ticker")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # No index of its own: the unique constraint's index starts with the subscriber, and
    # every further index is written again by each per-message status update.
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    article = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    reason = models.CharField(max_length=8, choices=Reason.choices, default=Reason.NEW)
    # A key event of a Liveticker (``article`` is the ticker): one delivery per entry; 0 for
    # the article itself.
    entry_id = models.BigIntegerField(default=0)
    digest = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "article", "channel", "reason", "entry_id"],
                name="unique_delivery",
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "channel", "digest", "next_attempt_at"],
                name="delivery_queue_idx",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.subscriber_id} → {self.article_id} ({self.channel})"


# Reasons whose message is sent as breaking news: at once, also to digest readers.
URGENT = (Delivery.Reason.BREAKING, Delivery.Reason.KEY_EVENT)
