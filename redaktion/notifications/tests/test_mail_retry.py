"""Readers' mails leave the request: the subscribe and manage-link endpoints only enqueue a
task, so their answer does not depend on the address or on the mail server, and the task
retries until the mail server is back. The database queue's worker needs real transactions,
so these tests have a module of their own (a transactional test flushes what the module
fixtures of its neighbours built)."""

import re
from datetime import timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from redaktion.notifications import tasks
from redaktion.notifications.models import Subscriber

from .conftest import Mailbox, build_newsroom, free_port, links
from .test_email_flow import subscribe

MANAGE = "/benachrichtigungen/verwalten/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp_port(settings):
    """A port where no mail server answers (yet); ``mail_server_back`` starts one there."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    return port


@pytest.fixture
def mail_server_back(smtp_port):
    box = Mailbox()
    controllers = []

    def start():
        controller = Controller(box, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return box

    yield start
    for controller in controllers:
        controller.stop()


def run_due_tasks():
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run()


def ask_for_manage_link(address):
    client = Client()
    client.get(MANAGE)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(MANAGE, {"email": address})
    return response, len(queries)


@pytest.fixture
def subscriber(db):
    return Subscriber.objects.create(
        channel="email",
        email="leserin@example.org",
        key="k" * 16,
        consent_text="ja",
        consented_at=timezone.now(),
        confirmed_at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_manage_link_answer_is_identical_for_known_and_unknown_addresses_with_smtp_failing(
    database_queue, smtp_port, mail_server_back, subscriber
):
    known, known_queries = ask_for_manage_link("leserin@example.org")
    unknown, unknown_queries = ask_for_manage_link("fremder@example.org")

    assert known.status_code == unknown.status_code == 200
    assert CSRF.sub("", known.content.decode()) == CSRF.sub("", unknown.content.decode())
    assert known_queries == unknown_queries
    queued = DBTaskResult.objects.filter(task_path=tasks.send_manage_link.module_path)
    assert [task.args_kwargs["args"] for task in queued.order_by("enqueued_at")] == [
        ["leserin@example.org"],
        ["fremder@example.org"],
    ]

    run_due_tasks()  # the mail server is down: the known address's mail waits for a retry
    retry = queued.get(status="READY")
    assert retry.args_kwargs == {"args": ["leserin@example.org"], "kwargs": {"attempt": 2}}

    box = mail_server_back()
    with time_machine.travel(timezone.now() + timedelta(seconds=tasks.MAIL_RETRY_DELAYS[0] + 1)):
        run_due_tasks()
    [mail] = box.received
    assert mail["To"] == "leserin@example.org"
    assert any("/verwalten/" in url for url in links(mail))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_subscribe_answers_at_once_and_the_confirmation_goes_out_when_smtp_returns(
    database_queue, smtp_port, mail_server_back
):
    # A transactional test sees nothing of the module's newsroom: it builds its own.
    response = subscribe(Client(), build_newsroom(), "leser@example.org", "syrien")
    assert response.status_code == 200
    run_due_tasks()
    box = mail_server_back()
    assert box.received == []
    with time_machine.travel(timezone.now() + timedelta(seconds=tasks.MAIL_RETRY_DELAYS[0] + 1)):
        run_due_tasks()
    [mail] = box.received
    assert mail["To"] == "leser@example.org"
