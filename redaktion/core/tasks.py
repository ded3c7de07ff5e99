from django_tasks import task

from . import outbox

# Entries one drain of the whole backlog runs before it hands the worker back (enqueueing
# the next one): a nudge for a just-recorded event waits for at most this many.
BACKLOG_BATCH = 50


@task()
def drain_outbox(subjects: list[str] | None = None) -> str:
    """Runs the due entries of ``subjects`` (an event just recorded), or a batch of the
    whole backlog (``outbox.outbox_drain``) and, when that batch was full, enqueues the
    next drain behind whatever came meanwhile. Safe to run twice, and in any number of
    workers at once: each entry is leased to one of them."""
    if subjects:
        return str(outbox.outbox_drain(subjects=subjects))
    report = outbox.outbox_drain(limit=BACKLOG_BATCH)
    if report.done + report.retried + report.failed >= BACKLOG_BATCH:
        outbox.outbox_nudge()
    return str(report)
