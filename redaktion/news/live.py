"""The Liveticker: a page with everything an article has (it *is* an ``ArticlePage``, so
rivers, feeds, search, related lists, alerts and sitemaps treat it as one) and a stream of
short entries under it.

Entries are rows of their own, not revisions of the page: the ticker goes through the desk's
review workflow once, then the Autoren of its Ressort post, correct and pin entries while it
is live, each published at once (``live_services``). The reader's page shows a bounded
window of them — pinned ones, the key events ("Wichtigste Ereignisse") and one page of the
stream, older pages by ``?vor=<id>`` — so a ticker of 2,000 entries costs the same queries as
one of 20; a small script asks ``live_entries_json`` for entries newer than the newest it
has (``?since=<id>``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField

from redaktion.core import surrogate
from redaktion.core.text import teaser_cut

from . import keys
from .blocks import ArticleBodyBlock, body_text
from .models import ArticlePage, Author

# Entries on one page of the stream; pinned entries and key events come on top of it.
PAGE_LENGTH = 20
# Key events listed in the "Wichtigste Ereignisse" summary (the newest).
KEY_EVENTS_LENGTH = 8
# At most this many entries in one answer to a poll; a reader further behind reloads.
POLL_LENGTH = 50
# Characters of an entry's text that stand for an entry without title (alerts, feeds).
LINE_LENGTH = 120


def ticker_key(pk: int) -> str:
    """The surrogate key of what shows a ticker's entries: its page and its poll answers."""
    return f"liveticker-{pk}"


class EntryOrder(models.TextChoices):
    NEWEST = "newest", _("Newest entry first")
    OLDEST = "oldest", _("Oldest entry first")


class LiveTickerPage(ArticlePage):
    """A Liveticker under a Ressort; the article's body is its introduction."""

    entry_order = models.CharField(
        _("order of entries"), max_length=8, choices=EntryOrder.choices, default=EntryOrder.NEWEST
    )
    coverage_start = models.DateTimeField(
        _("coverage start"),
        null=True,
        blank=True,
        help_text=_("When the events began; empty: the ticker's first publication."),
    )
    closed_at = models.DateTimeField(
        _("closed at"),
        null=True,
        blank=True,
        help_text=_("Set when the ticker ends; readers then see “The live ticker has ended”."),
    )

    content_panels = [
        *ArticlePage.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("entry_order"), FieldPanel("coverage_start")])],
            heading=_("Live ticker"),
        ),
    ]
    settings_panels = [*ArticlePage.settings_panels, FieldPanel("closed_at")]
    parent_page_types = ["news.RessortPage"]
    subpage_types = []
    template = "news/live_ticker_page.html"

    class Meta:
        verbose_name = _("live ticker")
        verbose_name_plural = _("live tickers")

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None and self.closed_at <= timezone.now()

    @property
    def coverage_started_at(self):
        return self.coverage_start or self.first_published_at

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Its SEO head lists the entries shown, so it is rendered on every request (not an
        # article's cached head) and reads the lead image with its share sizes.
        self.shown_lead_image()
        surrogate.add_keys(request, ticker_key(self.pk))
        entries = LiveTickerEntry.objects.filter(ticker_id=self.pk) if self.pk else None
        if entries is None:
            context.update(
                pinned=[], key_events=[], entries=[], older=None, newest_id=0, is_first_page=True
            )
            return context
        window = ticker_window(self, entries, before=request.GET.get("vor") if request else None)
        # The head's LiveBlogPosting lists what the page shows, without reading it again.
        self.shown_entries = [*window["pinned"], *window["entries"]]
        context.update(window, poll_interval=settings.LIVE_POLL_INTERVAL_SECONDS)
        return context


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


def ticker_window(ticker: LiveTickerPage, entries, *, before=None) -> dict:
    """What the reader's page shows, in four queries for any number of entries (five with
    ``before``, the ``?vor=`` of an older page): the pinned entries (newest first), the
    newest key events, one page of the other entries in the ticker's order (oldest-first
    tickers start at their beginning and page forward), the id a poll starts after.

    ``older`` is the id the next page starts before (after, oldest first), or None."""
    rows = entries.select_related("author")
    newest_first = ticker.entry_order == EntryOrder.NEWEST
    stream = rows.filter(is_pinned=False)
    anchor_id = _int(before)
    if anchor_id is not None:
        anchor = (
            LiveTickerEntry.objects.filter(ticker_id=ticker.pk, pk=anchor_id)
            .values_list("posted_at", flat=True)
            .first()
        )
        if anchor is not None:
            if newest_first:
                stream = stream.filter(
                    Q(posted_at__lt=anchor) | Q(posted_at=anchor, pk__lt=anchor_id)
                )
            else:
                stream = stream.filter(
                    Q(posted_at__gt=anchor) | Q(posted_at=anchor, pk__gt=anchor_id)
                )
    order = ("-posted_at", "-pk") if newest_first else ("posted_at", "pk")
    page = list(stream.order_by(*order)[: PAGE_LENGTH + 1])
    older = page[PAGE_LENGTH - 1].pk if len(page) > PAGE_LENGTH else None
    newest_id = entries.aggregate(newest=models.Max("pk"))["newest"] or 0
    return {
        "pinned": list(rows.filter(is_pinned=True).order_by("-posted_at", "-pk")),
        "key_events": list(
            entries.filter(is_key_event=True)
            .order_by("-posted_at", "-pk")
            .only("pk", "posted_at", "title", "summary")[:KEY_EVENTS_LENGTH]
        ),
        "entries": page[:PAGE_LENGTH],
        "older": older,
        "is_first_page": anchor_id is None,
        "newest_id": newest_id,
    }


class LiveTickerEntry(models.Model):
    """One entry of a Liveticker: published when saved, corrected in place (``updated_at``
    is then shown as "aktualisiert")."""

    ticker = models.ForeignKey(
        LiveTickerPage,
        verbose_name=_("live ticker"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    posted_at = models.DateTimeField(_("time"), default=timezone.now)
    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.CharField(
        _("summary"),
        max_length=200,
        blank=True,
        help_text=_("For key events: the line in “Key events”; empty: the title."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("text"))
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_key_event = models.BooleanField(
        _("key event"),
        default=False,
        help_text=_("Listed under “Key events” and sent to followers."),
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("live ticker entry")
        verbose_name_plural = _("live ticker entries")
        indexes = [
            models.Index(fields=["ticker", "posted_at", "id"], name="liveentry_stream_idx"),
            models.Index(
                fields=["ticker", "id"],
                name="liveentry_key_idx",
                condition=Q(is_key_event=True) | Q(is_pinned=True),
            ),
        ]

    def __str__(self):
        return self.title or f"{self.ticker_id}/{self.pk}"

    @property
    def plain_text(self) -> str:
        return body_text(self.body)

    @property
    def headline(self) -> str:
        return self.summary or self.title

    @property
    def line(self) -> str:
        """The entry in one line, for an alert or a feed: its summary or title, else the
        first words of its text."""
        return self.headline or teaser_cut(self.plain_text, LINE_LENGTH)

    def purge_keys(self) -> list[str]:
        return [ticker_key(self.ticker_id), keys.page(self.ticker_id)]
