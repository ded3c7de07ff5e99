"""The RQ task backend, failing open when Redis is away.

django-tasks-rq raises when it cannot reach Redis, and Wagtail enqueues its admin search
index update from ``post_save`` inside the saving transaction: with Redis down, every save
of a page would fail, publishing included. Here an enqueue that cannot reach Redis is
logged and answered with a failed result instead, so the save commits. Nothing that
matters is lost with it: the publish pipeline's work waits in the outbox (its drain is
only nudged through the queue), the notifications' scheduler run finds due deliveries
again, and Wagtail's admin index is rebuilt by ``update_index``.
"""

import logging

from django.utils import timezone
from django_tasks.base import (
    DEFAULT_TASK_PRIORITY,
    TASK_MAX_PRIORITY,
    TaskError,
    TaskResult,
    TaskResultStatus,
)
from django_tasks.exceptions import InvalidTaskError
from django_tasks.utils import get_exception_traceback, get_module_path, get_random_id
from django_tasks_rq import RQBackend
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("redaktion.core")


class FailOpenRQBackend(RQBackend):
    # django-tasks-rq puts a task of the highest priority at the front of its RQ queue and
    # every other at the back; the outbox asks for nothing else (its nudge for a just
    # recorded event goes first), so that is the priority this backend offers.
    supports_priority = True

    def validate_task(self, task):
        super().validate_task(task)
        if task.priority not in (DEFAULT_TASK_PRIORITY, TASK_MAX_PRIORITY):
            raise InvalidTaskError("RQ runs a task either first or last in its queue")

    def enqueue(self, task, args, kwargs):
        try:
            return super().enqueue(task, args, kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            logger.warning("Redis is unreachable: %s was not enqueued", task.module_path)
            return TaskResult(
                task=task,
                id=get_random_id(),
                status=TaskResultStatus.FAILED,
                enqueued_at=None,
                started_at=None,
                last_attempted_at=None,
                finished_at=timezone.now(),
                args=args,
                kwargs=kwargs,
                backend=self.alias,
                errors=[
                    TaskError(
                        exception_class_path=get_module_path(type(error)),
                        traceback=get_exception_traceback(error),
                    )
                ],
                worker_ids=[],
            )
