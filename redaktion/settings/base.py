"""Settings shared by every environment.

The environment is read here and only here. Every variable has a default that gives the
embedded stack (SQLite, in-process cache, database-backed task queue), so a fresh checkout
runs without any configuration. ``production.py`` tightens what must not be defaulted.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from redaktion.core.scripts import LOADER_HASH

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "redaktion"
VAR_DIR = Path(os.environ.get("REDAKTION_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "redaktion.core",
    "redaktion.news",
    "redaktion.desk",
    "redaktion.syndication",
    "redaktion.related",
    "redaktion.search",
    "redaktion.notifications",
    "redaktion.ads",
    "redaktion.analytics",
    "redaktion.api",
    "redaktion.importers",
    "redaktion.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app, with the desk's Ressort choice in the user form.
    "redaktion.desk.users_config.DeskUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: every later reader of the client address and the scheme sees the client's.
    "redaktion.core.proxy.TrustedProxyMiddleware",
    # Right after: every log line of the request carries its id (X-Request-ID).
    "redaktion.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so cached answers carry the headers too.
    "redaktion.core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache: it stores each page once, uncompressed, and every answer is
    # compressed for the Accept-Encoding of its request (brotli or gzip).
    "redaktion.core.compression.CompressionMiddleware",
    # Before the session middleware: sees the request before any session work and the
    # response after every cookie has been set.
    # In front of the page cache: CORS and rate limits of /api/ apply to cached answers too.
    "redaktion.api.middleware.ApiGateMiddleware",
    "redaktion.core.middleware.PublicPageCacheMiddleware",
    # A page's route from the last request for its path, checked with one query.
    "redaktion.core.routing.KnownRouteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "redaktion.desk.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "redaktion.urls"
WSGI_APPLICATION = "redaktion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (postgres://… in production).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'redaktion.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker publish while the site serves; the timeout rides out short locks.
    # Connections are kept like PostgreSQL's (DATABASE_CONN_MAX_AGE): opening one runs the
    # pragmas and registers Django's SQL functions, 3.5 ms of a 8.4 ms page render from
    # cached parts (bench/render.py); in autocommit a kept connection holds no lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The related-articles index uses covering indexes (INCLUDE) on PostgreSQL; SQLite ignores
# the extra columns, which is fine for the embedded default.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Cache: in-process by default, Redis when REDIS_URL is set; the site works on while that
# Redis is away, as with an empty cache (redaktion.core.outage).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "redaktion.core.outage.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "redaktion",
            # Short timeouts: a Redis that hangs must not hold up pages (they fail open).
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "redaktion",
        }
    }

# Background tasks: the database queue by default; RQ on Redis when TASK_BACKEND=rq.
# The queue lives in a Redis database of its own (RQ_URL), never the cache's: a full cache
# evicts keys (maxmemory-policy allkeys-lru), a queue must never lose one (noeviction).
TASK_BACKEND = os.environ.get("TASK_BACKEND", "database")
RQ_URL = os.environ.get("RQ_URL", "redis://127.0.0.1:6379/1")
# `redaktion rqworker` starts a fresh worker after Redis went away, waiting 1 s, then twice
# as long each time Redis still does not answer, up to this many seconds.
RQ_RECONNECT_MAX_SECONDS = int(os.environ.get("RQ_RECONNECT_MAX_SECONDS", "30"))
if TASK_BACKEND == "rq":
    TASKS = {
        "default": {
            "BACKEND": "redaktion.core.task_backends.FailOpenRQBackend",
            "QUEUES": ["default"],
        }
    }
    RQ_QUEUES = {"default": {"URL": RQ_URL}}
    # django-tasks-rq's job class calls a django-tasks Task; RQ's own cannot.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is locked out for AXES_COOLOFF_MINUTES (answer 429); a right
# password resets the count. Counted in the database, so it holds without Redis.
AUTHENTICATION_BACKENDS = [
    # AxesBackend checks the lockout (and can load a user for a session, unlike
    # AxesStandaloneBackend, so force_login and Wagtail's test helpers work); ModelBackend logs in.
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "redaktion.core.proxy.client_ip"
AXES_VERBOSE = False

# A second factor for the admin (TOTP apps such as FreeOTP or Google Authenticator, through
# django-otp): off unless ADMIN_TOTP=true; then every editor sets it up at the next login.
ADMIN_TOTP = env_bool("ADMIN_TOTP", False)
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Redaktion")

# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or
# networks, comma-separated); see redaktion.core.proxy.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Content-Security-Policy (redaktion.core.security): CSP_REPORT_ONLY=true sends it as
# Content-Security-Policy-Report-Only, for a rollout that only reports (to CSP_REPORT_URI).
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
CSP_REPORT_URI = os.environ.get("CSP_REPORT_URI", "")
# The reader site runs only its own scripts and styles: everything from the site itself,
# images also from data: and HTTPS (object storage, a CDN), frames from HTTPS (embeds after
# consent), never framed by other sites; one inline script, by its hash: the loader that
# starts the others after the first paint (redaktion.core.scripts). The admin's additions:
# redaktion.core.security.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", LOADER_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https:"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "media-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        **({"report-uri": [CSP_REPORT_URI]} if CSP_REPORT_URI else {}),
    }
}
CONTENT_SECURITY_POLICY = None if CSP_REPORT_ONLY else _CSP
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP if CSP_REPORT_ONLY else None
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Languages: the site speaks one language (German unless LANGUAGE_CODE says otherwise), so
# every reader gets the same cacheable HTML; each editor picks the admin language.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "de")
LANGUAGES = [("de", _("German")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["redaktion.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Redaktion")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The search's query log (query text, result count, clicked rank; nothing about the reader)
# keeps this many days (redaktion.search.services.query_log_prune).
SEARCH_LOG_DAYS = int(os.environ.get("SEARCH_LOG_DAYS", "90"))
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp"}
# AVIF renditions (an article's picture, in front of its WebP): at 55, each of the 94 demo
# pictures at 720 px is at least as close to its original (SSIM) as the WebP at Wagtail's
# 80, and the median is a fifth smaller than that WebP (Wagtail's 61: an eighth).
WAGTAILIMAGES_AVIF_QUALITY = 55
# An edit during review never sends an article back to earlier steps: while a step is under
# way only its reviewers may edit (the step locks the page for everyone else), so their
# approval covers their own edit, and setting the go-live time at approval restarts nothing.
# With re-approval on, a reviewer had to approve his own edit twice and a schedule set by the
# Chef vom Dienst sent the article back to the Redaktionsprüfung.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Editors without a picture get initials drawn by the desk (desk/avatars.py), never Gravatar:
# it breaks offline, sends a hash of every editor's address out of the house, and the admin's
# CSP loads no foreign image.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
# Renaming or moving a page keeps its old URL alive with a 301 (redaktion.syndication checks).
WAGTAILREDIRECTS_AUTO_CREATE = True
TAGGIT_CASE_INSENSITIVE = True

# Public pages are cached by the caching proxy/CDN and by Django's page cache alike.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_SHARED_SECONDS = int(os.environ.get("PAGE_CACHE_SHARED_SECONDS", "300"))
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "600"))
# Django's own page cache; off in development (dev.py) so template changes show at once.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# How long a Liveticker's poll answer may be reused by browsers and front caches (it is
# purged with every entry), and how often the reader's page asks for new entries; keep the
# first below the second, or a browser answers a poll from its own cache.
LIVE_POLL_SECONDS = int(os.environ.get("LIVE_POLL_SECONDS", "5"))
LIVE_POLL_INTERVAL_SECONDS = int(os.environ.get("LIVE_POLL_INTERVAL_SECONDS", "10"))
# How long the Eilmeldung banner's answer may be reused (never past the banner's end).
BREAKING_SECONDS = int(os.environ.get("BREAKING_SECONDS", "15"))
# Parts many pages share (the river, the menu, "Mehr zum Thema", an article's body) are
# cached by their surrogate keys and purged with them (redaktion.core.fragments).
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", True)
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "3600"))
# Paths the page cache never looks up: their views answer per request and say so themselves.
PAGE_CACHE_SKIP_PATHS = (
    "/anzeigen/",
    "/gelesen/",
    "/benachrichtigungen/",
    "/suche/",
    "/healthz",
    "/readyz",
)
PAGE_CACHE_ALIAS = "default"
# The query parameters pages read (listing pages, sitemap sections): part of a page's key.
PAGE_CACHE_QUERY_PARAMS = tuple(env_list("PAGE_CACHE_QUERY_PARAMS", "page,p,vor"))
# Tracking parameters (fnmatch patterns), dropped from the key; a request with any other
# parameter is answered without the page cache. deploy/varnish/redaktion.vcl drops the same.
PAGE_CACHE_IGNORED_PARAMS = tuple(
    env_list(
        "PAGE_CACHE_IGNORED_PARAMS",
        "utm_*,fbclid,gclid,dclid,gbraid,wbraid,msclkid,mc_cid,mc_eid,ref,_ga,igshid,yclid",
    )
)

# Read counts (redaktion.analytics): a read counts once the article was visible this long;
# the counts are written to the database every READS_FLUSH_SECONDS (by the worker with Redis,
# by each web process with the in-process cache); the most-read lists are built anew every
# MOST_READ_REFRESH_SECONDS.
READS_VISIBLE_SECONDS = int(os.environ.get("READS_VISIBLE_SECONDS", "5"))
READS_FLUSH_SECONDS = int(os.environ.get("READS_FLUSH_SECONDS", "60"))
MOST_READ_REFRESH_SECONDS = int(os.environ.get("MOST_READ_REFRESH_SECONDS", "300"))

# The JSON API (redaktion.api): origins whose pages may read it in a browser ("*": any),
# and the requests per minute a reader without an API key may make.
API_CORS_ORIGINS = tuple(env_list("API_CORS_ORIGINS", "*"))
API_RATE_LIMIT_ANONYMOUS = int(os.environ.get("API_RATE_LIMIT_ANONYMOUS", "120"))
# Cached answers under these paths are served by Django's middleware, never by the fast hit
# in front of it (redaktion.core.fasthit): their gate adds headers per request.
PAGE_CACHE_FAST_HIT_SKIP_PATHS = ("/api/",)

# Surrogate keys (redaktion.core.surrogate): every public response sends Surrogate-Key;
# "Cache-Tag" here adds Cloudflare's header as well.
SURROGATE_CDN_HEADERS = tuple(env_list("SURROGATE_CDN_HEADERS"))
# Where a purge goes, in order: the in-app page cache first, then front caches.
VARNISH_PURGE_URLS = env_list("VARNISH_PURGE_URLS")  # one per Varnish node
VARNISH_PURGE_TIMEOUT = float(os.environ.get("VARNISH_PURGE_TIMEOUT", "2"))
SURROGATE_PURGE_BACKENDS = env_list(
    "SURROGATE_PURGE_BACKENDS",
    ",".join(
        [
            "redaktion.core.surrogate.PageCachePurger",
            *(["redaktion.core.surrogate.VarnishPurger"] if VARNISH_PURGE_URLS else []),
        ]
    ),
)
# Keys (fnmatch patterns) whose purge lets a front cache serve what it holds, stale, while
# one background fetch per object refreshes it (Varnish's xkey softpurge): the lists, which
# a publish purges to add an article. The river is on every article page, so with a hard
# purge each article read anywhere in the archive would wait for a render after every
# publish (bench/pages.py, the long-tail spike). What shows changed or removed content stays
# hard: an article's own key (a correction, an unpublish: every list showing it carries it
# too), a page's own, and the brand's.
SURROGATE_SOFT_KEYS = tuple(
    env_list(
        "SURROGATE_SOFT_KEYS",
        "river,home,feeds,sitemap,search,ressort-*,topic-*,author-*,archive-*",
    )
)
# Each web process gives a page-cache hit again for this long without asking the cache (a
# purge elsewhere reaches it within that time; redaktion.core.fasthit). 0: never, and the
# default with a front cache that is purged too: a front cache refilling right after a
# purge could otherwise store a page the purge was meant to replace.
PAGE_CACHE_LOCAL_SECONDS = float(
    os.environ.get("PAGE_CACHE_LOCAL_SECONDS", "1" if len(SURROGATE_PURGE_BACKENDS) == 1 else "0")
)

# Scheduled publishing: a run later than this after the planned time counts as late. The
# worker publishes at the second each go-live or expiry is due, and runs its periodic work
# (catch-up, digests, the outbox) every SCHEDULE_INTERVAL_SECONDS; without PostgreSQL's
# notifications it reads the next due time every SCHEDULE_POLL_SECONDS.
SCHEDULE_LATE_AFTER_SECONDS = int(os.environ.get("SCHEDULE_LATE_AFTER_SECONDS", "120"))
SCHEDULE_INTERVAL_SECONDS = int(os.environ.get("SCHEDULE_INTERVAL_SECONDS", "60"))
SCHEDULE_POLL_SECONDS = float(os.environ.get("SCHEDULE_POLL_SECONDS", "1"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "redaktion@localhost")
# A provider instead of SMTP: EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend and its
# settings as ANYMAIL_<NAME> variables, e.g. ANYMAIL_MAILGUN_API_KEY (docs/architecture.md).
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}

# Alerts for new articles (redaktion.notifications). Web push needs a VAPID key pair:
# `redaktion notifications vapid-keys` prints one; without it the follow box offers email only.
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", f"mailto:{DEFAULT_FROM_EMAIL}")
NOTIFICATIONS_SEND_TASKS = int(os.environ.get("NOTIFICATIONS_SEND_TASKS", "2"))
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("NOTIFICATIONS_BATCH_SIZE", "500"))
NOTIFICATIONS_SUBSCRIBE_LIMIT_IP = int(os.environ.get("NOTIFICATIONS_SUBSCRIBE_LIMIT_IP", "20"))
NOTIFICATIONS_SUBSCRIBE_LIMIT_ADDRESS = int(
    os.environ.get("NOTIFICATIONS_SUBSCRIBE_LIMIT_ADDRESS", "3")
)

# Who gets a mail with the traceback of every server error: ADMINS=ops@example.org,…
ADMINS = [(address, address) for address in env_list("ADMINS")]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Logs: one line per record with the request's id (redaktion.core.logs); LOG_FORMAT=json
# writes JSON lines for a log collector instead.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "redaktion.core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "redaktion.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "loggers": {
        "redaktion": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        # Every server error with its traceback on stderr (the process's log); Django's
        # own "django" logger, which this propagates to, mails it to ADMINS. Client errors
        # (4xx warnings, such as Wagtail's autosave answering 400 for a page not saved yet)
        # stay below this level and out of the log.
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
