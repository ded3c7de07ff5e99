"""Factories for campaigns, creatives and slots; the demo uses them too.

``running_native_campaign`` is the one-liner other apps' tests use to put an ad on the site
(e.g. to check that feeds and search never show it).
"""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from redaktion.ads import snapshot
from redaktion.ads.models import Campaign, Creative, Placement, Size, Slot

NATIVE_TITLE = "Halbzeit: Urlaub an der Ostsee"


def slot_enable(placement: str, *, size: str | None = None, position: int | None = None) -> Slot:
    """The slot ``placement``, enabled (created if a flush removed the migration's rows)."""
    defaults = {
        Placement.RIVER: (Size.NATIVE, 4),
        Placement.ARTICLE_INLINE: (Size.RECTANGLE, 3),
        Placement.ARTICLE_BOTTOM: (Size.NATIVE, 1),
        Placement.HOME: (Size.BILLBOARD, 1),
        Placement.RESSORT: (Size.LEADERBOARD, 1),
    }[placement]
    slot, _ = Slot.objects.update_or_create(
        placement=placement,
        defaults={
            "enabled": True,
            "size": size or defaults[0],
            "position": position or defaults[1],
        },
    )
    snapshot.bump_generation()
    return slot


class CampaignFactory(DjangoModelFactory):
    """A booked run-of-site campaign running from yesterday for ten days, no goal or cap."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Kampagne {n}")
    advertiser = "Reisewelt Nord"
    kind = "paid"
    active = True
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=10))
    run_of_site = True
    priority = 5
    weight = 10

    @factory.post_generation
    def targeting(self, create, extracted, **kwargs):
        """``targeting={"ressorts": [...], "topics": [...], "slots": [...]}``"""
        if not create or not extracted:
            return
        for name in ("ressorts", "topics", "slots"):
            if name in extracted:
                getattr(self, name).set(extracted[name])
        self.save()


class CreativeFactory(DjangoModelFactory):
    class Meta:
        model = Creative

    campaign = factory.SubFactory(CampaignFactory)
    kind = "native"
    brand = "Reisewelt"
    ressort_label = "Reisen"
    title = factory.Sequence(lambda n: f"Anzeigentitel {n}")
    text = "Sieben Nächte am Meer, Frühstück inklusive: jetzt buchen und die Saison genießen."
    target_url = factory.Sequence(lambda n: f"https://reisewelt.example/angebot/{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        creative = super()._create(model_class, *args, **kwargs)
        snapshot.bump_generation()
        return creative


def running_native_campaign(**campaign_fields) -> Campaign:
    """An enabled river slot and a running run-of-site campaign with one native teaser
    (title ``NATIVE_TITLE``). Keyword arguments go to the campaign."""
    slot_enable(Placement.RIVER)
    slot_enable(Placement.ARTICLE_BOTTOM)
    campaign = CampaignFactory(**campaign_fields)
    CreativeFactory(campaign=campaign, title=NATIVE_TITLE)
    return campaign
