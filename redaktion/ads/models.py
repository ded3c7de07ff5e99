"""Slots, campaigns with their creatives, the switch for all ads, and the delivery counts.

An ad is never a page: campaigns and creatives are snippets, so nothing that lists pages
(JSON-LD, sitemaps, feeds, search, "Mehr zum Thema") can ever pick one up. Every creative
is rendered through ``ads/creative.html``, which prints the label ``Anzeige``; no field
here can change or hide it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable


class Placement(models.TextChoices):
    """Where a slot sits; each is one ``{% ad_slot %}`` tag in the reader templates."""

    RIVER = "river", _("River: a native teaser every N teasers")
    ARTICLE_INLINE = "article_inline", _("Article: after paragraph N")
    ARTICLE_BOTTOM = "article_bottom", _("Article: below the article")
    HOME = "home", _("Home page: below the lead story")
    RESSORT = "ressort", _("Ressort page: above the teasers")


class Size(models.TextChoices):
    """The space a slot reserves before its ad arrives (no layout shift)."""

    NATIVE = "native", _("Native teaser (like a teaser of the river)")
    RECTANGLE = "rectangle", _("Medium rectangle 300×250")
    LEADERBOARD = "leaderboard", _("Leaderboard 728×90, scales down on phones")
    BILLBOARD = "billboard", _("Billboard 970×250, scales down on phones")
    MOBILE = "mobile", _("Mobile banner 320×100")


# Width and height in CSS pixels of the display sizes; images are rendered at 1x and 2x.
# A slot narrower than its size (a billboard on a phone) shows a smaller one that fits
# (``delivery.sizes_for``), never one scaled down.
DISPLAY_SIZES = {
    Size.RECTANGLE: (300, 250),
    Size.LEADERBOARD: (728, 90),
    Size.BILLBOARD: (970, 250),
    Size.MOBILE: (320, 100),
}


class CreativeKind(models.TextChoices):
    NATIVE = "native", _("Native teaser")
    IMAGE = "image", _("Image banner")
    TAG = "tag", _("Third-party tag")


class Slot(models.Model):
    placement = models.CharField(
        _("placement"), max_length=32, choices=Placement.choices, unique=True
    )
    enabled = models.BooleanField(
        _("enabled"), default=False, help_text=_("Only enabled slots appear on the pages.")
    )
    size = models.CharField(_("size"), max_length=16, choices=Size.choices, default=Size.NATIVE)
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "River: an ad after every N teasers. Article: after paragraph N. "
            "Other placements ignore it."
        ),
    )

    panels = [
        FieldPanel("placement"),
        FieldPanel("enabled"),
        FieldRowPanel([FieldPanel("size"), FieldPanel("position")]),
    ]

    class Meta:
        verbose_name = _("ad slot")
        verbose_name_plural = _("ad slots")
        ordering = ["placement"]

    def __str__(self):
        return self.get_placement_display()


class CampaignKind(models.TextChoices):
    PAID = "paid", _("Booked campaign")
    HOUSE = "house", _("House ad (fills slots no booked campaign takes)")


class Campaign(ClusterableModel):
    name = models.CharField(_("name"), max_length=120)
    advertiser = models.CharField(_("advertiser"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=8, choices=CampaignKind.choices, default=CampaignKind.PAID
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to pause the campaign.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    slots = ParentalManyToManyField(
        Slot,
        verbose_name=_("slots"),
        blank=True,
        related_name="campaigns",
        help_text=_("Leave empty for every slot that fits one of its creatives."),
    )
    run_of_site = models.BooleanField(
        _("run of site"),
        default=True,
        help_text=_("Everywhere. Untick to show the campaign only with the Ressorts and topics."),
    )
    ressorts = ParentalManyToManyField(
        "news.RessortPage", verbose_name=_("Ressorts"), blank=True, related_name="+"
    )
    topics = ParentalManyToManyField(
        "news.Topic", verbose_name=_("topics"), blank=True, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 to 10; a higher priority is served first."),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Share among campaigns of the same priority."),
    )
    impression_goal = models.PositiveBigIntegerField(
        _("impression goal"),
        null=True,
        blank=True,
        help_text=_("Booked impressions; delivery stops when reached. Empty: no limit."),
    )
    even_pacing = models.BooleanField(
        _("even pacing"),
        default=True,
        help_text=_("Spread the impression goal evenly over the booking period."),
    )
    daily_cap = models.PositiveIntegerField(
        _("daily cap"),
        null=True,
        blank=True,
        help_text=_("At most this many impressions per day (Europe/Berlin). Empty: no cap."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("advertiser"),
                FieldPanel("kind"),
                FieldPanel("active"),
            ],
            heading=_("Campaign"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])],
            heading=_("Booking period"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("slots", widget=forms.CheckboxSelectMultiple),
                FieldPanel("run_of_site"),
                FieldPanel("ressorts", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics"),
            ],
            heading=_("Targeting"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("priority"), FieldPanel("weight")]),
                FieldRowPanel([FieldPanel("impression_goal"), FieldPanel("daily_cap")]),
                FieldPanel("even_pacing"),
            ],
            heading=_("Delivery"),
        ),
        InlinePanel("creatives", label=_("Creatives"), min_num=1),
    ]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_at", "name"]

    def __str__(self):
        return f"{self.advertiser}: {self.name}"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The booking period must end after it starts.")})


class Creative(Orderable):
    """One ad of a campaign. What is shown depends on ``kind``; the label is not a field."""

    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="creatives")
    kind = models.CharField(
        _("kind"), max_length=8, choices=CreativeKind.choices, default=CreativeKind.NATIVE
    )
    brand = models.CharField(
        _("brand"),
        max_length=40,
        blank=True,
        help_text=_("Shown next to the label, e.g. the advertiser's short name."),
    )
    ressort_label = models.CharField(
        _("Ressort label"), max_length=40, blank=True, help_text=_("Native teaser: e.g. Reisen.")
    )
    title = models.CharField(_("title"), max_length=140, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=400)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=200,
        blank=True,
        help_text=_("Image banner: what the banner says, for readers who cannot see it."),
    )
    target_url = models.URLField(_("target URL"), max_length=500, blank=True)
    tag_html = models.TextField(
        _("tag (HTML and JavaScript)"),
        blank=True,
        help_text=_(
            "Third-party tag: runs in a sandboxed frame, loaded only when the reader agrees."
        ),
    )

    panels = [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("brand"), FieldPanel("ressort_label")]),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("image"),
        FieldPanel("alt_text"),
        FieldPanel("target_url"),
        FieldPanel("tag_html"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("creative")
        verbose_name_plural = _("creatives")

    def __str__(self):
        return self.title or self.alt_text or f"{self.get_kind_display()} {self.pk}"

    def clean(self):
        super().clean()
        required = {
            CreativeKind.NATIVE: ("title", "target_url"),
            CreativeKind.IMAGE: ("image", "alt_text", "target_url"),
            CreativeKind.TAG: ("tag_html",),
        }[self.kind]
        missing = {
            name: _("A %(kind)s needs this field.") % {"kind": self.get_kind_display()}
            for name in required
            if not getattr(self, name) and not getattr(self, f"{name}_id", None)
        }
        if missing:
            raise ValidationError(missing)


class CampaignDay(models.Model):
    """Delivery of one campaign on one day (Europe/Berlin): one row, incremented in place."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="days"
    )
    day = models.DateField(_("day"))
    impressions = models.PositiveBigIntegerField(_("impressions"), default=0)
    clicks = models.PositiveBigIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("campaign day")
        verbose_name_plural = _("campaign days")
        ordering = ["-day", "campaign_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "day"], name="unique_campaign_day")
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day}"

    @property
    def click_rate(self) -> float | None:
        """Clicks per impression as a fraction (0.0042 is 0.42 %); None without impressions."""
        if not self.impressions:
            return None
        return self.clicks / self.impressions


@register_setting(icon="pick")
class AdSettings(BaseGenericSetting):
    """One switch for every ad on the site."""

    ads_enabled = models.BooleanField(
        _("show ads"),
        default=True,
        help_text=_("Untick to switch off every slot and every campaign at once."),
    )

    panels = [FieldPanel("ads_enabled")]

    class Meta:
        verbose_name = _("advertisements")
