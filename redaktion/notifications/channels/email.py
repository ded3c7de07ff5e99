"""Email: alerts and digests over one connection of the configured mail backend.

With Django's SMTP backend an alert goes out as prebuilt bytes straight to the backend's
smtplib connection (``messages.AlertRenderer.raw``): building and serialising a MIME message
per recipient would cost more than the SMTP conversation. Any other backend (an ESP through
django-anymail) gets an ``EmailMessage``.
"""

from __future__ import annotations

import contextlib
import smtplib

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from .. import messages
from ..models import URGENT, Delivery, Subscriber
from .base import Refused, Unreachable


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def failure(exc: Exception) -> Refused:
    """The refusal an error of the mail backend stands for: permanent for an SMTP 5xx
    answer, temporary otherwise."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return Refused(f"{code} {text!r}", permanent=500 <= code < 600)
    code = getattr(exc, "smtp_code", None)
    if isinstance(code, int):
        return Refused(f"{code} {getattr(exc, 'smtp_error', '')!r}", permanent=500 <= code < 600)
    return Refused(_describe(exc))


class _MailConnection:
    """One open connection of the mail backend; raises ``Unreachable`` if it cannot open."""

    def __init__(self):
        self.mail = get_connection()
        try:
            self.mail.open()
        except Exception as exc:
            raise Unreachable(_describe(exc)) from exc

    def close(self) -> None:
        # The batch is done; a failing QUIT changes nothing.
        with contextlib.suppress(Exception):
            self.mail.close()


class AlertConnection(_MailConnection):
    """Alert mails of one batch about what ``infos`` holds (by ``messages.info_key``: an
    article, or a key event of a Liveticker); ``reasons`` maps
    (subscriber id, article id) to the reader's follows that brought the article
    (``selectors.delivery_reasons``), which the mail names."""

    def __init__(
        self, infos: dict[tuple[int, int], messages.ArticleInfo], reasons: dict | None = None
    ):
        self.renderer = messages.AlertRenderer(infos)
        self.reasons = reasons or {}
        super().__init__()

    def send(self, delivery: Delivery) -> None:
        try:
            self._send(delivery)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
            # This message was refused (SMTPException is an OSError: catch it first).
            raise failure(exc) from exc
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise Unreachable(_describe(exc)) from exc
        except Exception as exc:
            raise failure(exc) from exc

    def _send(self, delivery: Delivery) -> None:
        breaking = delivery.reason in URGENT
        subscriber = delivery.subscriber
        reasons = self.reasons.get((subscriber.pk, delivery.article_id), ())
        mail = self.mail
        if isinstance(mail, SMTPBackend) and mail.connection is not None:
            raw = self.renderer.raw(
                subscriber=subscriber,
                info_key=messages.info_key(delivery),
                breaking=breaking,
                reasons=reasons,
            )
            if raw is not None:
                mail.connection.sendmail(
                    settings.DEFAULT_FROM_EMAIL, [messages.mail_address(subscriber.email)], raw
                )  # the envelope sender; the From header with the brand's name is in raw
                return
        message = self.renderer.email(
            subscriber=subscriber,
            info_key=messages.info_key(delivery),
            breaking=breaking,
            reasons=reasons,
            connection=mail,
        )
        if not mail.send_messages([message]):
            raise smtplib.SMTPServerDisconnected("the backend sent nothing")


class DigestConnection(_MailConnection):
    """Digest mails, one per subscriber."""

    def __init__(self):
        self.brand = messages.brand_name()
        super().__init__()

    def send(
        self,
        subscriber: Subscriber,
        articles: list[messages.ArticleInfo],
        reasons: dict[int, list] | None = None,
    ) -> None:
        """``reasons``: the reader's follows that brought each article, by article id."""
        try:
            self.mail.send_messages(
                [
                    messages.digest_email(
                        subscriber=subscriber,
                        articles=articles,
                        brand=self.brand,
                        reasons=reasons,
                        connection=self.mail,
                    )
                ]
            )
        except Exception as exc:
            raise failure(exc) from exc
