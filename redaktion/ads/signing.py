"""Signed tokens for counting, so impressions and clicks cannot be forged by guessing ids.

* A *view token* is issued with every decision: campaign, creative and a random nonce,
  signed with a timestamp. The counting endpoint accepts it for ``VIEW_TOKEN_SECONDS`` and
  once only (the nonce is remembered in the cache for that long).
* A *click token* is issued with every decision too: campaign, creative and the decision's
  nonce, signed with a timestamp. The creative's cached HTML links to ``CLICK_URL_MARK``,
  which each decision replaces with its own click URL. The redirect works for
  ``CLICK_TOKEN_SECONDS`` and only ever goes to the creative's own target URL; the click
  counts once (the nonce is remembered), so a replayed link counts nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

VIEW_TOKEN_SECONDS = 30 * 60
CLICK_TOKEN_SECONDS = 24 * 3600
# Stands for the click URL in a creative's cached HTML (no character HTML escaping changes).
CLICK_URL_MARK = "/anzeigen/klick/-/"
_view_signer = signing.TimestampSigner(salt="redaktion.ads.view")
_click_signer = signing.TimestampSigner(salt="redaktion.ads.click")


@dataclass(frozen=True)
class ViewToken:
    campaign_id: int
    creative_id: int
    nonce: str


def new_nonce() -> str:
    return secrets.token_urlsafe(9)


def view_token(*, campaign_id: int, creative_id: int, nonce: str | None = None) -> str:
    return _view_signer.sign(f"{campaign_id}.{creative_id}.{nonce or new_nonce()}")


def _read(signer, token: str, max_age: int) -> ViewToken | None:
    try:
        value = signer.unsign(token, max_age=max_age)
        campaign, creative, nonce = value.split(".", 2)
        return ViewToken(int(campaign), int(creative), nonce)
    except (signing.BadSignature, ValueError):
        return None


def read_view_token(token: str) -> ViewToken | None:
    """The token's content, or None if it is forged, malformed or older than allowed."""
    return _read(_view_signer, token, VIEW_TOKEN_SECONDS)


def click_url(*, campaign_id: int, creative_id: int, nonce: str | None = None) -> str:
    token = _click_signer.sign(f"{campaign_id}.{creative_id}.{nonce or new_nonce()}")
    return reverse("ads:click", args=[token])


def read_click_token(token: str) -> ViewToken | None:
    """Campaign, creative and nonce of a click token; None if forged, malformed or older
    than ``CLICK_TOKEN_SECONDS``."""
    return _read(_click_signer, token, CLICK_TOKEN_SECONDS)
