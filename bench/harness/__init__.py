"""The harness every benchmark runs on: the site, its servers, the load and the results.

A benchmark is a short script that takes from here what it needs (``from harness import …``;
the scripts in bench/ have this folder on their path):

* **the site in a directory of its own** (``environment.py``): ``site()`` makes a temporary
  directory, the environment of the site's processes (production settings unless asked
  otherwise), a fresh database (SQLite in that directory, or a PostgreSQL database of its
  own), migrates it and collects the static files; ``Site.serve()`` runs gunicorn on a free
  loopback port for the length of a ``with`` block (``Site.serve_production()`` granian, the
  app server of `make serve`), ``Site.python()`` a script inside the
  site (one that fills it, say);
* **Django in the benchmark's own process**, on PostgreSQL (``environment.py``):
  ``django_on_postgres()``, or ``django_setup()`` in a child process the benchmark started;
* **servers on loopback** (``servers.py``): ``nginx_static()``, ``postgres_server()``, and
  ``process()`` for anything else (an SMTP sink), each stopped when its block ends;
* **load** (``load.py``): ``Load`` runs wrk against a URL, or a rotation of paths, after a
  warm-up and reads req/s, p50 and p99; ``static_baseline()`` is nginx serving a copy of the
  answer from disk under the same load, the baseline of a page benchmark; ``wrk_table()``
  prints each run with its ratio to that baseline, ``fail_on_errors()`` stops on any error
  or non-2xx answer;
* **results** (``results.py``): ``timed()`` and ``Sample`` give the percentiles of timings
  taken in process, ``measure_child()`` a child process's wall and CPU time and the peak
  memory of its process tree, ``markdown_table()`` prints any other table;
* **generated content** (``content.py``): live articles inserted in bulk, the words of the
  evaluation texts that synthetic German is drawn from.

Every load goes to 127.0.0.1 only, for a bounded time. Figures are reported as ratios to a
baseline measured in the same run, since wrk shares the machine's two cores with the server.
"""

import sys

from .content import evaluation_words, insert_live_articles
from .environment import (
    Site,
    django_on_postgres,
    django_setup,
    last_json,
    require_postgres,
    site,
    site_environment,
)
from .load import Load, WrkResult, fail_on_errors, static_baseline, wrk_table
from .results import ChildRun, Sample, markdown_row, markdown_table, measure_child, timed
from .servers import (
    GRANIAN_THREADS,
    LOCAL_POSTGRES,
    ROOT,
    VENV_BIN,
    fetch,
    free_port,
    granian,
    gunicorn,
    nginx_static,
    postgres_database,
    postgres_server,
    process,
    production_postgres_settings,
    wait_for,
    wait_for_port,
    wait_until_idle,
)

# The project root's modules (chromium.py) for the benchmarks' own processes, as the site's
# processes get them through PYTHONPATH.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

__all__ = [
    "GRANIAN_THREADS",
    "LOCAL_POSTGRES",
    "ROOT",
    "VENV_BIN",
    "ChildRun",
    "Load",
    "Sample",
    "Site",
    "WrkResult",
    "django_on_postgres",
    "django_setup",
    "evaluation_words",
    "fail_on_errors",
    "fetch",
    "free_port",
    "granian",
    "gunicorn",
    "insert_live_articles",
    "last_json",
    "markdown_row",
    "markdown_table",
    "measure_child",
    "nginx_static",
    "postgres_database",
    "postgres_server",
    "process",
    "production_postgres_settings",
    "require_postgres",
    "site",
    "site_environment",
    "static_baseline",
    "timed",
    "wait_for",
    "wait_for_port",
    "wait_until_idle",
    "wrk_table",
]
