"""Every creative type is rendered by one template that prints the label "Anzeige" and the
advertiser; links go through the signed click redirect with rel="sponsored noopener"."""

import re

import pytest
from django.forms import modelform_factory

from redaktion.ads.delivery import decide
from redaktion.ads.factories import CampaignFactory, CreativeFactory, slot_enable
from redaktion.ads.models import DISPLAY_SIZES, Creative, Placement, Size
from redaktion.news.factories import ImageFactory

pytestmark = pytest.mark.django_db

LABEL = '<span class="ad__label">Anzeige</span>'


def only_ad(placement, **creative_fields):
    campaign = CampaignFactory(advertiser="Bergbahn Alpin")
    creative = CreativeFactory(campaign=campaign, **creative_fields)
    [decision] = decide([placement])
    assert decision is not None and decision.creative_id == creative.pk
    return creative, decision


@pytest.mark.parametrize(
    ("kind", "size", "fields"),
    [
        ("native", Size.NATIVE, {}),
        ("native", Size.NATIVE, {"with_image": (800, 450)}),
        ("image", Size.RECTANGLE, {"with_image": (600, 500), "alt_text": "Skipass"}),
        ("image", Size.LEADERBOARD, {"with_image": (1456, 180), "alt_text": "Skipass"}),
        ("image", Size.BILLBOARD, {"with_image": (1940, 500), "alt_text": "Skipass"}),
        ("tag", Size.RECTANGLE, {"tag_html": "<script>document.write('Hallo')</script>"}),
    ],
    ids=["native", "native-image", "rectangle", "leaderboard", "billboard", "tag"],
)
def test_every_creative_type_carries_the_label_and_the_advertiser(kind, size, fields):
    placement = Placement.RIVER if size == Size.NATIVE else Placement.ARTICLE_INLINE
    slot_enable(placement, size=size)
    if dimensions := fields.pop("with_image", None):
        fields["image"] = ImageFactory(width=dimensions[0], height=dimensions[1])
    creative, decision = only_ad(placement, kind=kind, brand="", **fields)
    html = decision.html
    assert html.count(LABEL) == 1
    assert '<span class="ad__brand">Bergbahn Alpin</span>' in html
    links = re.findall(r"<a [^>]*>", html)
    if kind == "tag":
        assert links == []
        assert "<script" not in html, "the tag is only sent apart, for the sandboxed frame"
        assert decision.tag == creative.tag_html
    else:
        assert links, html
        for link in links:
            assert 'rel="sponsored noopener"' in link
            assert re.search(r'href="/anzeigen/klick/[^"]+/"', link)
        assert creative.target_url not in html


def test_banner_images_come_at_the_slot_size_and_twice_that(db):
    slot_enable(Placement.HOME, size=Size.BILLBOARD)
    image = ImageFactory(width=1940, height=500)
    _, decision = only_ad(Placement.HOME, kind="image", image=image, alt_text="Skipass")
    assert 'width="970" height="250"' in decision.html
    assert " 2x" in decision.html and 'alt="Skipass"' in decision.html


def banner_campaign(*sizes):
    """A campaign with one image banner per display size, each at twice that size."""
    campaign = CampaignFactory()
    for size in sizes:
        width, height = DISPLAY_SIZES[size]
        CreativeFactory(
            campaign=campaign,
            kind="image",
            image=ImageFactory(width=2 * width, height=2 * height),
            alt_text=size,
        )
    return campaign


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (None, Size.BILLBOARD),  # a page without the width: the slot's own size
        (1000, Size.BILLBOARD),
        (970, Size.BILLBOARD),
        (969, Size.RECTANGLE),  # as tall as the billboard: the space the slot keeps
        (358, Size.RECTANGLE),  # a phone
        (299, None),  # nothing fits: nothing is scaled down
    ],
)
def test_a_billboard_slot_narrower_than_970_shows_a_smaller_banner_at_its_natural_size(
    db, width, shown
):
    slot_enable(Placement.HOME, size=Size.BILLBOARD)
    banner_campaign(Size.BILLBOARD, Size.RECTANGLE, Size.MOBILE)
    [decision] = decide([Placement.HOME], widths=[width] if width else None)
    if shown is None:
        assert decision is None
        return
    natural = 'width="{}" height="{}"'.format(*DISPLAY_SIZES[shown])
    assert natural in decision.html
    assert f'alt="{shown}"' in decision.html
    assert f"ad--size-{shown}" in decision.html


def test_a_phone_gets_the_mobile_banner_in_a_leaderboard_slot(db):
    slot_enable(Placement.RESSORT, size=Size.LEADERBOARD)
    banner_campaign(Size.LEADERBOARD, Size.RECTANGLE, Size.MOBILE)
    [phone] = decide([Placement.RESSORT], widths=[358])
    assert 'width="320" height="100"' in phone.html
    # A campaign without a creative that fits the phone's slot is not chosen there.
    only_wide = banner_campaign(Size.LEADERBOARD)
    decisions = [decide([Placement.RESSORT], widths=[358])[0] for _ in range(20)]
    assert only_wide.pk not in {decision.campaign_id for decision in decisions}
    assert only_wide.pk in {d.campaign_id for d in decide([Placement.RESSORT] * 2)}


def test_a_banner_is_shown_only_in_slots_of_its_aspect_ratio(db):
    slot_enable(Placement.ARTICLE_INLINE, size=Size.RECTANGLE)
    slot_enable(Placement.HOME, size=Size.BILLBOARD)
    campaign = CampaignFactory()
    CreativeFactory(
        campaign=campaign, kind="image", image=ImageFactory(width=1940, height=500), alt_text="B"
    )
    inline, home = decide([Placement.ARTICLE_INLINE, Placement.HOME])
    assert inline is None
    assert home.campaign_id == campaign.pk


def test_brand_text_is_escaped_and_cannot_hide_the_label(db):
    slot_enable(Placement.RIVER)
    _, decision = only_ad(
        Placement.RIVER, brand='<span class="ad__label" hidden>', title="</p><!--"
    )
    assert decision.html.count(LABEL) == 1
    assert "&lt;span" in decision.html and "&lt;/p&gt;&lt;!--" in decision.html


def test_no_field_of_a_creative_or_campaign_concerns_the_label():
    names = {field.name for field in Creative._meta.get_fields()}
    names |= {field.name for field in CampaignFactory._meta.model._meta.get_fields()}
    assert not {name for name in names if "label" in name} - {"ressort_label"}
    form = modelform_factory(Creative, exclude=[])
    assert "ressort_label" in form.base_fields
    assert not [name for name in form.base_fields if "label" in name and name != "ressort_label"]


def test_each_kind_needs_its_fields():
    from django.core.exceptions import ValidationError

    for kind, missing in (
        ("native", {"title", "target_url"}),
        ("image", {"image", "alt_text", "target_url"}),
        ("tag", {"tag_html"}),
    ):
        with pytest.raises(ValidationError) as error:
            Creative(kind=kind).clean()
        assert set(error.value.message_dict) == missing
