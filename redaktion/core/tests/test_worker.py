"""``redaktion worker``: the scheduler sends ``scheduler_ran`` to whatever the apps connected,
prints their reports with ``--once``, and processes due tasks with the database backend."""

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from redaktion.core.worker import SchedulerLoop, scheduler_ran


@task()
def echo(value: str) -> str:
    return value


@pytest.fixture
def periodic():
    """Connects receivers to ``scheduler_ran`` for one test: ``periodic(fn)``."""
    connected = []

    def connect(receiver):
        scheduler_ran.connect(receiver, weak=False)
        connected.append(receiver)
        return receiver

    yield connect
    for receiver in connected:
        scheduler_ran.disconnect(receiver)


def worker_once():
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("redaktion_worker", "--once", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_once_prints_each_report_in_the_order_the_receivers_were_connected(periodic):
    periodic(lambda sender, **kwargs: "Erste Arbeit: erledigt")
    periodic(lambda sender, **kwargs: None)  # work without a report
    periodic(lambda sender, **kwargs: "Zweite Arbeit: erledigt")

    output, errors = worker_once()

    lines = output.splitlines()
    assert "The task backend is ImmediateBackend, not the database queue" in lines[0]
    first, second = lines.index("Erste Arbeit: erledigt"), lines.index("Zweite Arbeit: erledigt")
    assert first < second
    assert errors == ""


@pytest.mark.django_db
def test_a_failing_receiver_is_logged_the_others_still_run_and_the_run_fails(periodic, caplog):
    ran = []

    def broken(sender, **kwargs):
        raise RuntimeError("Datenbank weg")

    periodic(broken)
    periodic(lambda sender, **kwargs: ran.append("danach"))

    with caplog.at_level(logging.ERROR, logger="redaktion.core"):
        assert SchedulerLoop(interval=60).run_once() is None

    assert ran == ["danach"]
    (record,) = [r for r in caplog.records if r.name == "redaktion.core"]
    assert "broken failed; retrying in 60 seconds" in record.getMessage()
    assert str(record.exc_info[1]) == "Datenbank weg"

    with pytest.raises(SystemExit) as exit_info:
        worker_once()
    assert exit_info.value.code == 1


# The database worker closes connections between tasks, as it would between requests: that
# needs real transactions, and the page tree from the data migrations restored afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_once_runs_the_scheduler_then_the_due_tasks_with_the_database_backend(settings, periodic):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = echo.enqueue("erledigt")
    periodic(lambda sender, **kwargs: "Geplante Arbeit: erledigt")

    output, _errors = worker_once()

    assert "The task backend is" not in output
    assert "Geplante Arbeit: erledigt" in output.splitlines()
    task_result = DBTaskResult.objects.get(pk=result.id)
    assert task_result.status == TaskResultStatus.SUCCESSFUL
    assert task_result.return_value == "erledigt"
