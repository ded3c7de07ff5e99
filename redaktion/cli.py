"""The ``redaktion`` command: Django's manage.py with the right settings and a few verbs.

``redaktion run`` starts the development server, ``redaktion worker`` the task worker and
scheduler, ``redaktion rqworker`` the worker of the Redis task backend, ``redaktion demo`` loads
the German demo newsroom, ``redaktion import wordpress|ghost|html …`` brings a WordPress
or Ghost export or any article pages over; any other verb is passed to Django
(``redaktion migrate``, ``redaktion createsuperuser`` …).
"""

import os
import sys

ALIASES = {
    "run": "runserver",
    "worker": "redaktion_worker",
    "rqworker": "redaktion_rqworker",
    "demo": "redaktion_demo",
    "related": "redaktion_related",
    "search": "redaktion_search",
    "notifications": "redaktion_notifications",
    "backup": "redaktion_backup",
    "restore": "redaktion_restore",
    "pipeline": "redaktion_pipeline",
    "import": "redaktion_import",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redaktion.settings.dev")
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
