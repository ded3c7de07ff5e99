"""Signed tokens for counting, so impressions and clicks cannot be forged by guessing ids.

* A *view token* is issued with every decision: campaign, creative and a random nonce,
  signed with a timestamp. The counting endpoint accepts it for ``VIEW_TOKEN_SECONDS`` and
  once only (the nonce is remembered in the cache for that long).
* A *click token* names campaign and creative and is part of the creative's cached HTML;
  the redirect only ever goes to the creative's own target URL.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

VIEW_TOKEN_SECONDS = 30 * 60
_view_signer = signing.TimestampSigner(salt="redaktion.ads.view")
_click_signer = signing.Signer(salt="redaktion.ads.click")


@dataclass(frozen=True)
class ViewToken:
    campaign_id: int
    creative_id: int
    nonce: str


def view_token(*, campaign_id: int, creative_id: int) -> str:
    nonce = secrets.token_urlsafe(9)
    return _view_signer.sign(f"{campaign_id}.{creative_id}.{nonce}")


def read_view_token(token: str) -> ViewToken | None:
    """The token's content, or None if it is forged, malformed or older than allowed."""
    try:
        value = _view_signer.unsign(token, max_age=VIEW_TOKEN_SECONDS)
        campaign, creative, nonce = value.split(".", 2)
        return ViewToken(int(campaign), int(creative), nonce)
    except (signing.BadSignature, ValueError):
        return None


def click_url(*, campaign_id: int, creative_id: int) -> str:
    token = _click_signer.sign(f"{campaign_id}.{creative_id}")
    return reverse("ads:click", args=[token])


def read_click_token(token: str) -> tuple[int, int] | None:
    try:
        campaign, creative = _click_signer.unsign(token).split(".")
        return int(campaign), int(creative)
    except (signing.BadSignature, ValueError):
        return None
