"""Who is counted: robots by user agent (crawlers, link previews, monitoring and headless
browsers), and the editors' own views; neither counts as an ad impression or a read."""

import re

from django.conf import settings

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|lighthouse|"
    r"headlesschrome|phantomjs|python-requests|python-urllib|aiohttp|curl|wget|httpclient|"
    r"java/|go-http-client|okhttp|node-fetch|axios|scrapy|wrk|ab/|monitor|pingdom|uptime",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """Known robots by user agent; an empty user agent counts as one."""
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent))


def counts_as_reader(request) -> bool:
    """Readers' views count; an editor's preview or a logged-in editor's visit does not (the
    page then carries no beacon address, and its script counts nothing). Such pages are
    never cached, so the public page keeps its beacon."""
    if request is None:
        return True
    if getattr(request, "is_preview", False) or getattr(request, "is_dummy", False):
        return False
    # Without a session cookie the reader is anonymous: asking request.user would touch the
    # session and add "Vary: Cookie", and a public page would no longer be cached.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)
