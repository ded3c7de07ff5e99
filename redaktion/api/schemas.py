"""The shapes of the API's answers, as pydantic models: they make the OpenAPI schema, and
the tests validate every answer against them."""

from datetime import datetime
from typing import Any

from ninja import Schema


class Ressort(Schema):
    id: int
    title: str
    slug: str


class RessortItem(Ressort):
    url: str
    description: str


class Topic(Schema):
    id: int
    name: str
    slug: str


class TopicItem(Topic):
    articles: int


class Author(Schema):
    id: int
    name: str
    slug: str
    role: str


class AuthorItem(Author):
    articles: int


class Image(Schema):
    url: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str


class ArticleSummary(Schema):
    id: int
    title: str
    kicker: str
    lead: str
    url: str
    ressort: Ressort | None
    topics: list[Topic]
    authors: list[Author]
    first_published_at: datetime
    updated_at: datetime | None
    reading_time: int
    image: Image | None


class Block(Schema):
    type: str
    id: str | None
    value: Any


class ArticleDetail(ArticleSummary):
    body: list[Block]
    body_html: str
    correction_note: str


class ArticleList(Schema):
    items: list[ArticleSummary]
    next: str | None


class ArticleLink(Schema):
    id: int
    title: str
    url: str
    first_published_at: datetime


class RelatedList(Schema):
    items: list[ArticleLink]


class MostReadItem(ArticleLink):
    views: int


class MostReadList(Schema):
    hours: int
    items: list[MostReadItem]


class SearchItem(ArticleLink):
    lead: str
    ressort: Ressort | None


class SearchList(Schema):
    total: int
    page: int
    pages: int
    items: list[SearchItem]


class RessortList(Schema):
    items: list[RessortItem]


class TopicList(Schema):
    items: list[TopicItem]


class AuthorList(Schema):
    items: list[AuthorItem]


class LiveTicker(Schema):
    id: int
    title: str
    url: str
    closed: bool


class LiveEntry(Schema):
    id: int
    posted_at: datetime
    updated_at: datetime | None
    title: str
    summary: str
    key_event: bool
    pinned: bool
    author: Author | None
    body: list[Block]
    body_html: str


class LiveEntryList(Schema):
    ticker: LiveTicker
    items: list[LiveEntry]
    next: str | None
    more: bool
    latest: int


class Error(Schema):
    detail: str
