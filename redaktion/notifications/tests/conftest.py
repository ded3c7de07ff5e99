"""A real SMTP server (aiosmtpd) in the test process, and a small newsroom to follow."""

import email
import email.policy
import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    RessortPageFactory,
    TopicFactory,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


@pytest.fixture
def newsroom(home_page):
    ressort = RessortPageFactory(parent=home_page, title="Politik", slug="politik")
    return {
        "ressort": ressort,
        "other_ressort": RessortPageFactory(parent=home_page, title="Sport", slug="sport"),
        "syrien": TopicFactory(name="Syrien", slug="syrien"),
        "nato": TopicFactory(name="Nato", slug="nato"),
        "berger": AuthorFactory(name="Anna Berger", slug="anna-berger"),
        "keller": AuthorFactory(name="Jonas Keller", slug="jonas-keller"),
    }


@pytest.fixture
def publish(newsroom, run_tasks):
    """Publishes an article through the real signals and runs the tasks they enqueue."""

    def publish_article(*, parent=None, topics=("syrien",), authors=("berger",), **kwargs):
        with run_tasks():
            return ArticlePageFactory(
                parent=parent or newsroom["ressort"],
                topics=[newsroom[name] for name in topics],
                authors=[newsroom[name] for name in authors],
                **kwargs,
            )

    return publish_article
