"""The messages: confirmation, manage link, alert and digest emails, and push payloads.

Every alert and digest says why it came (the follows of the reader that the article
matches: "weil Sie dem Thema Bundeshaushalt folgen") and how to stop it: a link per such
follow, one for all alerts, and the manage page.

Alert mails for one article differ between subscribers only in the address, the
Message-ID, the links, and which of the article's Ressort, topics and authors the reader
follows, so each (article, language, follows) is rendered and serialised once per batch with
marker strings in place of the links, and each message replaces the markers
(``AlertRenderer``): rendering and serialising MIME per message would cost more than the
SMTP conversation.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, replace
from email.utils import formataddr
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from wagtail.models import Site

from redaktion.core.models import BrandSettings
from redaktion.core.text import teaser_cut
from redaktion.news.live import LiveTickerEntry
from redaktion.news.models import ArticlePage

from . import tokens
from .models import Subscriber
from .selectors import FollowItem

MANAGE_MARK = "@@manage-url@@"
UNSUBSCRIBE_MARK = "@@unsubscribe-url@@"
TO_MARK = "to-address@redaktion.invalid"
ID_MARK = "message-id@redaktion.invalid"
UNFOLLOW_MARK = "@@unfollow-url-{}@@"


def site_url(path: str = "/") -> str:
    """An absolute URL on the public site (``BASE_URL``)."""
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", path.lstrip("/"))


@functools.cache
def _url_pattern(name: str, base: str) -> tuple[str, str]:
    """The absolute URL of ``name`` split around its token (reversed once, not per mail)."""
    marker = "TOKEN-MARKER"
    before, after = urljoin(base, reverse(name, args=[marker]).lstrip("/")).split(marker)
    return before, after


def _token_url(name: str, token: str) -> str:
    before, after = _url_pattern(name, settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/")
    return f"{before}{token}{after}"


def manage_url(subscriber: Subscriber) -> str:
    token = tokens.subscriber_token(subscriber, salt=tokens.MANAGE_SALT)
    return _token_url("notifications:manage", token)


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = tokens.subscriber_token(subscriber, salt=tokens.UNSUBSCRIBE_SALT)
    return _token_url("notifications:unsubscribe", token)


def unfollow_url(subscriber: Subscriber, item: FollowItem) -> str:
    token = tokens.follow_token(subscriber, kind=item.kind, target_id=item.target_id)
    return _token_url("notifications:unfollow", token)


def why_text(reasons, *, digest: bool = False) -> str:
    """Why a reader gets the mail: "…, weil Sie dem Thema Bundeshaushalt und Anna Berg
    folgen." Empty for no reasons (a follow ended after the article went out)."""
    if not reasons:
        return ""
    follows = get_text_list([item.followed for item in reasons], _("and"))
    if digest:
        return _("You get this briefing because you follow %(follows)s.") % {"follows": follows}
    return _("You get this message because you follow %(follows)s.") % {"follows": follows}


def because_text(reasons) -> str:
    """Why one article of a digest is in it ("Weil Sie dem Thema Bundeshaushalt folgen.")."""
    if not reasons:
        return ""
    follows = get_text_list([item.followed for item in reasons], _("and"))
    return _("Because you follow %(follows)s.") % {"follows": follows}


def _stop_links(reasons, urls) -> list[dict]:
    return [{"label": item.label, "url": url} for item, url in zip(reasons, urls, strict=True)]


def _fill(text: str, manage: str, unsubscribe: str, unfollow: list[str]) -> str:
    text = text.replace(MANAGE_MARK, manage).replace(UNSUBSCRIBE_MARK, unsubscribe)
    for index, url in enumerate(unfollow):
        text = text.replace(UNFOLLOW_MARK.format(index), url)
    return text


def ascii_domain(domain: str) -> str:
    """``domain`` in the form DNS and SMTP take: punycode for an internationalised name
    (``bücher.de`` → ``xn--bcher-kva.de``). Raises UnicodeError for a name IDNA refuses."""
    return domain.encode("idna").decode("ascii")


def mail_address(email: str) -> str:
    """The address to hand to the mail server: the domain in punycode, the local part as it
    is (a non-ASCII one needs a server that speaks SMTPUTF8)."""
    local, _at, domain = email.rpartition("@")
    return f"{local}@{ascii_domain(domain)}"


def _message(*, subject, text, html, to, brand, unsubscribe=None, connection=None):
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the URL.
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=sender(brand),
        to=[mail_address(to)],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def brand_name() -> str:
    """The publication's name (Settings → Brand of the default site), as readers know it.
    Two queries: a batch of mails reads it once and passes it on."""
    site = Site.objects.filter(is_default_site=True).first()
    name = BrandSettings.for_site(site).name if site else ""
    return name or settings.WAGTAIL_SITE_NAME


def sender(brand: str) -> str:
    """From: the brand's name with the configured address (``DEFAULT_FROM_EMAIL``)."""
    return formataddr((brand, settings.DEFAULT_FROM_EMAIL))


def confirmation_email(
    *, email: str, language: str, token: str, follows: list
) -> EmailMultiAlternatives:
    """The double opt-in mail: the only mail an unconfirmed address ever gets."""
    with translation.override(language):
        context = {
            "confirm_url": site_url(reverse("notifications:confirm", args=[token])),
            "follows": follows,
            "brand": brand_name(),
            "hours": tokens.CONFIRM_MAX_AGE // 3600,
        }
        return _message(
            subject=_("Please confirm your alerts from %(brand)s") % {"brand": context["brand"]},
            text=render_to_string("notifications/email/confirm.txt", context),
            html=render_to_string("notifications/email/confirm.html", context),
            to=email,
            brand=context["brand"],
        )


def manage_link_email(subscriber: Subscriber) -> EmailMultiAlternatives:
    with translation.override(subscriber.language):
        context = {"manage_url": manage_url(subscriber), "brand": brand_name()}
        return _message(
            subject=_("Your alerts from %(brand)s") % {"brand": context["brand"]},
            text=render_to_string("notifications/email/manage_link.txt", context),
            html=render_to_string("notifications/email/manage_link.html", context),
            to=subscriber.email,
            brand=context["brand"],
        )


@dataclass(frozen=True)
class ArticleInfo:
    pk: int
    title: str
    kicker: str
    lead: str
    url: str
    # A key event of a Liveticker: the link leads to the entry on the ticker's page.
    live: bool = False


def article_infos(article_ids) -> dict[int, ArticleInfo]:
    """Title, kicker, lead and absolute URL of each article; one query plus Wagtail's cached
    site root paths."""
    infos = {}
    for article in ArticlePage.objects.filter(pk__in=set(article_ids)).only(
        "pk", "title", "kicker", "lead", "url_path"
    ):
        url = article.get_url() or ""
        infos[article.pk] = ArticleInfo(
            pk=article.pk,
            title=article.title,
            kicker=article.kicker,
            lead=article.lead,
            url=url if url.startswith("http") else site_url(url),
        )
    return infos


# Characters of a key event's text under its line in an alert.
ENTRY_LEAD_LENGTH = 300


def info_key(delivery) -> tuple[int, int]:
    """What an alert shows: its article, or the key event ``entry_id`` of that ticker."""
    return (delivery.article_id, delivery.entry_id)


def _entry_info(article: ArticleInfo, entry: LiveTickerEntry) -> ArticleInfo:
    """A key event as its alert shows it: the entry's own line as headline under the
    ticker's title, its text (when the line is its title), its place on the ticker's page."""
    return replace(
        article,
        title=entry.line,
        kicker=article.title,
        lead=teaser_cut(entry.plain_text, ENTRY_LEAD_LENGTH) if entry.headline else "",
        url=f"{article.url}#eintrag-{entry.pk}",
        live=True,
    )


def alert_infos(deliveries) -> dict[tuple[int, int], ArticleInfo]:
    """What each of ``deliveries`` shows, by ``info_key``: its article, or for a key event
    of a Liveticker the entry (``_entry_info``). Missing for an article no longer published
    or an entry deleted since. One query plus ``article_infos``'s, none more without key
    events."""
    deliveries = list(deliveries)
    articles = article_infos({delivery.article_id for delivery in deliveries})
    entry_ids = {delivery.entry_id for delivery in deliveries if delivery.entry_id}
    entries = (
        {entry.pk: entry for entry in LiveTickerEntry.objects.filter(pk__in=entry_ids)}
        if entry_ids
        else {}
    )
    infos = {}
    for delivery in deliveries:
        article = articles.get(delivery.article_id)
        if article is None:
            continue
        if not delivery.entry_id:
            infos[info_key(delivery)] = article
            continue
        entry = entries.get(delivery.entry_id)
        if entry is not None and entry.ticker_id == delivery.article_id:
            infos[info_key(delivery)] = _entry_info(article, entry)
    return infos


class AlertRenderer:
    """Renders alert mails; the article part once per (``info_key``, language, breaking).
    ``infos``: what each alert shows (``alert_infos``)."""

    def __init__(self, infos: dict[tuple[int, int], ArticleInfo]):
        self.infos = infos
        self.brand = brand_name()
        self._parts: dict[tuple, tuple[str, str, str]] = {}
        self._raw: dict[tuple, bytes | None] = {}

    def _render(self, info_key: tuple, language: str, breaking: bool, reasons: tuple):
        key = (info_key, language, breaking, reasons)
        if key not in self._parts:
            info = self.infos[info_key]
            with translation.override(language):
                marks = [UNFOLLOW_MARK.format(index) for index in range(len(reasons))]
                context = {
                    "article": info,
                    "breaking": breaking,
                    "brand": self.brand,
                    "why": why_text(reasons),
                    "stop_links": _stop_links(reasons, marks),
                    "manage_url": MANAGE_MARK,
                    "unsubscribe_url": UNSUBSCRIBE_MARK,
                }
                subject = (_("Breaking: %(title)s") if breaking else _("New: %(title)s")) % {
                    "title": info.title
                }
                self._parts[key] = (
                    subject,
                    render_to_string("notifications/email/alert.txt", context),
                    render_to_string("notifications/email/alert.html", context),
                )
        return self._parts[key]

    def raw(
        self, *, subscriber: Subscriber, info_key: tuple, breaking: bool, reasons=()
    ) -> bytes | None:
        """The finished message as bytes for an SMTP connection, made from a serialised
        template by replacing markers (address, links, Message-ID); None when a marker did
        not survive serialisation verbatim (an encoded body), so the caller builds the
        message the usual way. ``reasons``: the reader's follows that the article matches
        (``selectors.delivery_reasons``)."""
        reasons = tuple(reasons)
        key = (info_key, subscriber.language, breaking, reasons)
        unfollow_marks = [UNFOLLOW_MARK.format(index) for index in range(len(reasons))]
        if key not in self._raw:
            template = self.email(
                subscriber=Subscriber(email=TO_MARK, language=subscriber.language),
                info_key=info_key,
                breaking=breaking,
                reasons=reasons,
                links=(MANAGE_MARK, UNSUBSCRIBE_MARK, unfollow_marks),
            )
            template.extra_headers["Message-ID"] = f"<{ID_MARK}>"
            data = template.message().as_bytes(linesep="\r\n")
            marks = (TO_MARK, ID_MARK, MANAGE_MARK, UNSUBSCRIBE_MARK, *unfollow_marks)
            self._raw[key] = data if all(mark.encode() in data for mark in marks) else None
        data = self._raw[key]
        if data is None:
            return None
        data = (
            data.replace(TO_MARK.encode(), subscriber.email.encode())
            .replace(ID_MARK.encode(), make_msgid(domain=DNS_NAME)[1:-1].encode())
            .replace(MANAGE_MARK.encode(), manage_url(subscriber).encode())
            .replace(UNSUBSCRIBE_MARK.encode(), unsubscribe_url(subscriber).encode())
        )
        for mark, item in zip(unfollow_marks, reasons, strict=True):
            data = data.replace(mark.encode(), unfollow_url(subscriber, item).encode())
        return data

    def email(
        self,
        *,
        subscriber: Subscriber,
        info_key: tuple,
        breaking: bool,
        reasons=(),
        connection=None,
        links: tuple[str, str, list[str]] | None = None,
    ):
        reasons = tuple(reasons)
        subject, text, html = self._render(info_key, subscriber.language, breaking, reasons)
        manage, unsubscribe, unfollow = links or (
            manage_url(subscriber),
            unsubscribe_url(subscriber),
            [unfollow_url(subscriber, item) for item in reasons],
        )
        return _message(
            subject=subject,
            text=_fill(text, manage, unsubscribe, unfollow),
            html=_fill(html, manage, unsubscribe, unfollow),
            to=subscriber.email,
            brand=self.brand,
            unsubscribe=unsubscribe,
            connection=connection,
        )


def digest_email(
    *,
    subscriber: Subscriber,
    articles: list[ArticleInfo],
    brand: str,
    reasons: dict[int, list[FollowItem]] | None = None,
    connection=None,
):
    """One reader's daily briefing. ``reasons`` maps each article's id to the reader's
    follows it matches: each article says which brought it, and the footer names every one
    with its own "stop following" link."""
    reasons = reasons or {}
    unsubscribe = unsubscribe_url(subscriber)
    follows = list(
        dict.fromkeys(item for article in articles for item in reasons.get(article.pk, ()))
    )
    with translation.override(subscriber.language):
        context = {
            "entries": [
                {
                    "article": article,
                    "why": because_text(reasons.get(article.pk, ())),
                }
                for article in articles
            ],
            "brand": brand,
            "why": why_text(follows, digest=True),
            "stop_links": _stop_links(
                follows, [unfollow_url(subscriber, item) for item in follows]
            ),
            "manage_url": manage_url(subscriber),
            "unsubscribe_url": unsubscribe,
        }
        return _message(
            subject=_("%(brand)s: your daily briefing (%(count)d new articles)")
            % {"brand": context["brand"], "count": len(articles)},
            text=render_to_string("notifications/email/digest.txt", context),
            html=render_to_string("notifications/email/digest.html", context),
            to=subscriber.email,
            brand=brand,
            unsubscribe=unsubscribe,
            connection=connection,
        )


def push_payload(info: ArticleInfo, *, breaking: bool, language: str) -> str:
    """What the service worker shows: JSON with title, body, url and a tag per article."""
    with translation.override(language):
        title = (_("Breaking: %(title)s") if breaking else _("New: %(title)s")) % {
            "title": info.title
        }
    return json.dumps(
        {"title": title, "body": info.lead[:180], "url": info.url, "tag": f"article-{info.pk}"},
        ensure_ascii=False,
    )
