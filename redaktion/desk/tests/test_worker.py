from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from redaktion.desk.models import SchedulerHeartbeat
from redaktion.news.models import ArticlePage, HomePage

from .helpers import make_article, make_ressort

BERLIN = ZoneInfo("Europe/Berlin")
TEN = datetime(2025, 3, 10, 10, 0, tzinfo=BERLIN)


@task()
def echo(value: str) -> str:
    return value


def scheduled_article(home_page, title):
    article = make_article(make_ressort(home_page, "Politik"), title, live=False)
    article.go_live_at = TEN
    article.save_revision().publish()
    return article


def worker_once():
    out = StringIO()
    with translation.override("en"):
        call_command("redaktion_worker", "--once", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_once_catches_up_and_says_that_tasks_run_elsewhere(home_page):
    with time_machine.travel(TEN - timedelta(hours=1), tick=False) as clock:
        article = scheduled_article(home_page, "Nachgeholt")
        clock.move_to(TEN + timedelta(hours=1))

        output = worker_once()

    assert ArticlePage.objects.get(pk=article.pk).live
    assert SchedulerHeartbeat.objects.get().last_run_at == TEN + timedelta(hours=1)
    assert "The task backend is ImmediateBackend" in output
    assert "1 published" in output
    assert "1 late" in output


# The database worker closes connections between tasks, as it would between requests: that
# needs real transactions, and the page tree from the data migrations restored afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_once_also_processes_the_due_tasks_with_the_database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    home_page = HomePage.objects.get(depth=2)
    with time_machine.travel(TEN - timedelta(hours=1), tick=False) as clock:
        article = scheduled_article(home_page, "Mit Aufgaben")
        result = echo.enqueue("erledigt")
        clock.move_to(TEN + timedelta(minutes=1))

        output = worker_once()

    assert "The task backend is" not in output
    assert "1 published" in output
    assert ArticlePage.objects.get(pk=article.pk).live
    task_result = DBTaskResult.objects.get(pk=result.id)
    assert task_result.status == TaskResultStatus.SUCCESSFUL
    assert task_result.return_value == "erledigt"
