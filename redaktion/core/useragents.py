"""Robots by user agent: crawlers, link previews, monitoring and headless browsers, whose
views count neither as ad impressions nor as reads."""

import re

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|lighthouse|"
    r"headlesschrome|phantomjs|python-requests|python-urllib|aiohttp|curl|wget|httpclient|"
    r"java/|go-http-client|okhttp|node-fetch|axios|scrapy|wrk|ab/|monitor|pingdom|uptime",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """Known robots by user agent; an empty user agent counts as one."""
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent))
