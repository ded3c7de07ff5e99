"""A real SMTP server (aiosmtpd) in the test process, and a small newsroom to follow, built
once per test module (``newsroom``), with two ways to bring an article to its followers:
``publish`` (the real publish path) and ``announce`` (the pipeline's announcement of a live
page)."""

import email
import email.policy
import re
import threading

import pytest
from aiosmtpd.controller import Controller

from redaktion.core.tests.servers import free_port
from redaktion.news.events import ArticleEvent
from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    RessortPageFactory,
    TopicFactory,
)
from redaktion.news.models import HomePage
from redaktion.news.publishing import article_facts
from redaktion.notifications import pipeline
from redaktion.notifications.models import Announcement


class Mailbox:
    """Collects what the SMTP server accepted; ``refuse`` maps addresses to RCPT answers."""

    def __init__(self):
        self.received = []
        self.sessions = set()
        self.refuse: dict[str, str] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.refuse.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.sessions.add(id(session))
            self.received.append(message)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for message in self.received if message["To"] == address]

    def count(self):
        with self.lock:
            return len(self.received)


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links(message) -> list[str]:
    return re.findall(r"https?://[^\s<>\"]+", text_part(message))


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    yield box
    controller.stop()


def build_newsroom() -> dict:
    home = HomePage.objects.get(depth=2)
    return {
        "ressort": RessortPageFactory(parent=home, title="Politik", slug="politik"),
        "other_ressort": RessortPageFactory(parent=home, title="Sport", slug="sport"),
        "syrien": TopicFactory(name="Syrien", slug="syrien"),
        "nato": TopicFactory(name="Nato", slug="nato"),
        "berger": AuthorFactory(name="Anna Berger", slug="anna-berger"),
        "keller": AuthorFactory(name="Jonas Keller", slug="jonas-keller"),
    }


@pytest.fixture(scope="module")
def newsroom(module_db):
    """Two Ressorts, two topics and two authors to follow, built once per module inside its
    transaction (``module_db``); tests only read them."""
    return build_newsroom()


def _article_factory(newsroom, **defaults):
    def make(*, parent=None, topics=("syrien",), authors=("berger",), **kwargs):
        return ArticlePageFactory(
            parent=parent or newsroom["ressort"],
            topics=[newsroom[name] for name in topics],
            authors=[newsroom[name] for name in authors],
            **defaults,
            **kwargs,
        )

    return make


@pytest.fixture
def publish(newsroom, run_tasks):
    """Publishes an article through the real signals and runs the tasks they enqueue."""
    make = _article_factory(newsroom)

    def publish_article(**kwargs):
        with run_tasks():
            return make(**kwargs)

    return publish_article


@pytest.fixture
def announce(newsroom, django_capture_on_commit_callbacks):
    """A live article (``publish=False``: no revision, no publish signals) announced as the
    pipeline's step announces its ``visible`` event: the fan-out, then, after the commit, the
    sending tasks (the test backend runs tasks at once). For tests about what happens after
    publication."""
    make = _article_factory(newsroom, publish=False)

    def announce_article(**kwargs):
        article = make(**kwargs)
        event = ArticleEvent.between(article.pk, None, article_facts(article))
        with django_capture_on_commit_callbacks(execute=True):
            pipeline.announce(event.as_json())
        assert Announcement.objects.filter(article_id=article.pk).exists()
        return article

    return announce_article
