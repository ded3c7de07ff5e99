"""``{% ad_slot %}``: the cached part of an ad, an empty slot of reserved size.

The slot carries the page's Ressort and topics; ``ads/ads.js`` asks the decision endpoint
what to show in it, per view. Which slots exist, their size and position come from the
snapshot (cached), so a slot costs no query on a warm cache.
"""

from django import template
from django.template.loader import render_to_string

from redaktion.core import fragments
from redaktion.core.useragents import counts_as_reader
from redaktion.news.models import ArticlePage, RessortPage

from .. import snapshot
from ..models import Placement

register = template.Library()

# Marked on the request (``fragments.mark``) once a slot included the script: a slot in a
# cached fragment (an article's body) tells the request again each time it is used.
SCRIPT_MARK = "ads-script"
_SNAPSHOT_ATTRIBUTE = "_redaktion_ads_snapshot"


def _page_targeting(context) -> tuple[int | None, list[int]]:
    page = context.get("page")
    ressort_id = None
    topic_ids: list[int] = []
    if isinstance(page, ArticlePage):
        ressort = page.ressort
        ressort_id = ressort.pk if ressort is not None else None
        topic_ids = [topic.pk for topic in context.get("topics") or ()]
    elif isinstance(page, RessortPage):
        ressort_id = page.pk
    topic = context.get("topic")
    if topic is not None and hasattr(topic, "pk"):
        topic_ids.append(topic.pk)
    return ressort_id, sorted(set(topic_ids))


def _is_position(slot, placement: str, index, body) -> bool:
    if placement == Placement.RIVER:
        return index is not None and int(index) % slot.position == 0
    if placement == Placement.ARTICLE_INLINE:
        if body is None or index is None:
            return False
        blocks = list(body)[: int(index) + 1]
        if not blocks or blocks[-1].block_type != "paragraph":
            return False
        return sum(block.block_type == "paragraph" for block in blocks) == slot.position
    return True


def _page_snapshot(request) -> snapshot.Snapshot:
    """The campaigns' snapshot for the page being rendered: asked once per request (each
    ask is a cache round trip for the generation, and an article has a slot after every
    body block and in the river), so every slot of a page sees the same campaigns."""
    if request is None:
        return snapshot.current()
    snap = getattr(request, _SNAPSHOT_ATTRIBUTE, None)
    if snap is None:
        snap = snapshot.current()
        setattr(request, _SNAPSHOT_ATTRIBUTE, snap)
    return snap


@register.simple_tag(takes_context=True)
def ad_slot(context, placement: str, index=None, body=None):
    """The slot ``placement`` if it is enabled and belongs here.

    ``index``: the 1-based position in the river (an ad after every N teasers), or the
    0-based index of the body block just rendered (``body``: the article's body) for the
    slot after paragraph N. The ads script is included with the first slot of a page.
    """
    request = context.get("request")
    snap = _page_snapshot(request)
    slot = snap.slots.get(placement)
    if not snap.enabled or slot is None or not _is_position(slot, placement, index, body):
        return ""
    script = request is None or not fragments.marked(request, SCRIPT_MARK)
    fragments.mark(request, SCRIPT_MARK)
    ressort_id, topic_ids = _page_targeting(context)
    return render_to_string(
        "ads/slot.html",
        {
            "slot": slot,
            "element": "li" if placement == Placement.RIVER else "div",
            "ressort_id": ressort_id,
            "topic_ids": topic_ids,
            "script": script,
            "counting": counts_as_reader(request),
        },
    )
