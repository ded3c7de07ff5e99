SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# make serve: Varnish listens on LISTEN:PORT, granian (WEB_WORKERS processes of WEB_THREADS
# threads) on APP_PORT.
LISTEN ?= 0.0.0.0
APP_PORT ?= 8001
WEB_WORKERS ?= 4
WEB_THREADS ?= 4
PIP_EXTRAS := dev,postgres,redis,server
CHROMIUM ?= /usr/bin/chromium
# make test: pytest-xdist processes, one per core by default (TEST_WORKERS=0 runs in this
# process, for a debugger).
TEST_WORKERS ?= auto
# The tests keep Python's compiled modules (__pycache__, ignored by git) even where the
# environment says not to write them: each test process imports the whole project, and
# compiling it again costs every process 11 s of CPU here.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest

.PHONY: help install run serve worker demo test test-postgres lint format check-pages lighthouse bench bench-tools faults messages browser node varnish clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[$(PIP_EXTRAS)]'
	@touch $@

install: $(BIN)/.installed ## Create .venv and install the project with pinned dependencies

run: export BASE_URL ?= http://127.0.0.1:$(PORT)
run: install ## Set up the SQLite site with German demo content and serve it with the task worker
	@$(BIN)/redaktion migrate --noinput -v0
	@$(BIN)/redaktion demo
	@echo "Website: http://127.0.0.1:$(PORT)/   Admin: http://127.0.0.1:$(PORT)/admin/   (Strg-C beendet Website und Worker)"
	@trap 'kill 0' INT TERM; \
	  $(BIN)/redaktion worker & \
	  $(BIN)/redaktion run 127.0.0.1:$(PORT) & \
	  wait

serve: export DJANGO_SETTINGS_MODULE := redaktion.settings.production
serve: export VARNISH_PURGE_URLS ?= http://127.0.0.1:$(PORT)/
serve: install varnish ## Production stack: Varnish on PORT, granian on APP_PORT, the worker (SECRET_KEY, ALLOWED_HOSTS; DATABASE_URL/REDIS_URL)
	@mkdir -p var
	@$(BIN)/redaktion migrate --noinput -v0
	@$(BIN)/redaktion collectstatic --noinput -v0
	@echo "Site: http://$(LISTEN):$(PORT)/ (Varnish)  app: http://127.0.0.1:$(APP_PORT)/  (Ctrl-C stops all)"
	@trap 'kill 0' INT TERM; \
	  $(BIN)/redaktion worker & \
	  if [ "$${TASK_BACKEND:-}" = rq ]; then $(BIN)/redaktion rqworker default & fi; \
	  $(BIN)/granian --interface wsgi --workers $(WEB_WORKERS) --blocking-threads $(WEB_THREADS) \
	    --host 127.0.0.1 --port $(APP_PORT) redaktion.wsgi:application & \
	  $(BIN)/python -m redaktion.core.varnish --listen $(LISTEN):$(PORT) \
	    --backend 127.0.0.1:$(APP_PORT) --workdir var/varnish & \
	  wait

worker: install ## Run the task worker and the publishing scheduler alone
	$(BIN)/redaktion worker

demo: install ## Load the German demo newsroom (once; a second run changes nothing)
	$(BIN)/redaktion migrate --noinput -v0
	$(BIN)/redaktion demo

browser: ## Install Debian's chromium (browser tests), gettext (catalogues), redis-server (RQ worker and pipeline fault tests), pg_dump (backups) with apt
	@test -x $(CHROMIUM) && command -v xgettext >/dev/null && command -v redis-server >/dev/null && command -v pg_dump >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core gettext redis-server postgresql-client >/dev/null; }

varnish: ## Install Debian's Varnish 7 and varnish-modules (xkey) with apt
	@command -v varnishd >/dev/null && ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $$SUDO apt-get install -y -qq --no-install-recommends varnish varnish-modules >/dev/null; }

node_modules/.installed: package.json package-lock.json
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

node: node_modules/.installed ## Install the page-quality tools (vnu, axe-core, Lighthouse) from npm

test: install browser node varnish ## Run the whole test suite (SQLite; DATABASE_URL=postgres://… for PostgreSQL)
	$(PYTEST) -n $(TEST_WORKERS)

test-postgres: install browser node varnish ## Run the whole test suite on the local PostgreSQL
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PYTEST) -n $(TEST_WORKERS)

lint: install ## ruff lint and format check, template indentation, Django checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $$(git ls-files 'redaktion/*.html')
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install ## Update the German and English catalogues and compile them
	cd redaktion && ../$(BIN)/django-admin makemessages -l de -l en --no-obsolete --add-location=file --settings=redaktion.settings.dev --pythonpath=..
	cd redaktion && ../$(BIN)/django-admin compilemessages --settings=redaktion.settings.dev --pythonpath=..

check-pages: install node browser ## Nu Html Checker and axe-core (light and dark) on the main page types
	$(BIN)/python bench/check_pages.py

lighthouse: install node browser ## Lighthouse on article, home and Ressort, mobile and desktop (median of 3 runs)
	$(BIN)/python bench/lighthouse.py

bench-tools:
	@command -v wrk >/dev/null && test -x /usr/sbin/nginx || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $$SUDO apt-get install -y -qq --no-install-recommends wrk nginx-light >/dev/null; }

bench: install bench-tools varnish ## Benchmarks vs a baseline in the same run (BENCH="pages --articles 1000"; docs/benchmarks.md)
	$(BIN)/python bench/run.py $(BENCH)

faults: install browser ## Fault probes of the production stack: silent SMTP, Redis down under load (docs/faults.md)
	$(BIN)/python bench/faults.py

clean: ## Remove the virtualenv, node_modules and local data
	rm -rf $(VENV) node_modules var
