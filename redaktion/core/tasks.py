from django_tasks import task

from . import outbox


@task()
def drain_outbox() -> str:
    """Runs the due entries of the outbox (``outbox.outbox_drain``). Safe to run twice, and
    in any number of workers at once: each entry is leased to one of them."""
    return str(outbox.outbox_drain())
