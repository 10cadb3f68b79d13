"""Settings for 12345 Hotline, read from the environment (see README for every variable).

HOTLINE_ENV chooses the profile: ``development`` (the default, what ``make run`` uses), ``test`` (``make test``)
or ``production``. Production refuses to start without a real secret key and allowed hosts.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from hotline.env import (
    database_config,
    env_bool,
    env_choice,
    env_database,
    env_float,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    env_time,
    object_storage,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HOTLINE_VAR_DIR", str(BASE_DIR / "var")))

HOTLINE_ENV = env_choice("HOTLINE_ENV", "development", ("development", "test", "production"))
PRODUCTION = HOTLINE_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", HOTLINE_ENV == "development")

_INSECURE_KEY = "django-insecure-hotline-development-key-not-for-production"
# Production's required values (this key, ALLOWED_HOSTS, SMS_BACKEND) are refused when missing by hotline/checks.py,
# in the system checks and in every serving or working process, not here: a static build reads these settings too.
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _INSECURE_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "treebeard",
    "hotline.apps.AxesConfig",  # django-axes with a translatable name
    "org",
    "tickets",
    "reviews",
    "channels",
    "supervision",
    "learning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "hotline.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hotline.middleware.BadInputMiddleware",  # a NUL in a field, or a DomainError from a page: a Chinese 400
    "org.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a rate-limit refusal becomes the Chinese 429 page
]

# Content-Security-Policy: scripts only from our own static files (no inline script, no eval; JSON data blocks from
# json_script are not executed and need nothing). Styles keep 'unsafe-inline': Bootstrap's and the pages' style=""
# attributes, htmx's indicator <style> and the print pages' <style> blocks. Images may be data: URLs (Bootstrap's
# icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "hotline.urls"
CSRF_FAILURE_VIEW = "hotline.views.csrf_failure"
WSGI_APPLICATION = "hotline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "org.context_processors.calendar_alert",
                "tickets.views.inbox.unread_count",
            ],
        },
    },
]

# --- Storage -------------------------------------------------------------------------------------------------
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hotline.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: wait for locks instead of failing, and let readers run beside a writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Streaming replicas for the supervisors' reads (hotline/replicas.py): DATABASE_REPLICA_URLS, comma-separated.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), 1):
    replica = database_config("DATABASE_REPLICA_URLS", url)
    replica["OPTIONS"] = {**replica.get("OPTIONS", {}), "connect_timeout": 2}
    replica["TEST"] = {"MIRROR": "default"}  # the test runner creates no database there: the primary's streams in
    DATABASES[f"replica{number}"] = replica
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["hotline.replicas.ReplicaRouter"]
    MIDDLEWARE.append("hotline.replicas.ReplicaMiddleware")
REPLICA_MAX_LAG_SECONDS = env_float("REPLICA_MAX_LAG_SECONDS", 10.0)
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 5)
REPLICA_CHECK_SECONDS = env_float("REPLICA_CHECK_SECONDS", 5.0)
REPLICA_READ_PATHS = [  # GET and HEAD only: the supervisors' pages, charts, rankings, exports, search lists
    r"^/supervision/",
    r"^/public/reports/",
    r"^/tickets/$",
    r"^/api/v1/tickets/$",
    r"^/api/v1/stats/",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_redis_url("REDIS_URL")
# The database cache stands in while Redis is down (hotline/cache.py); its table is made by a migration (org 0003).
_FALLBACK_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hotline_cache"}
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "hotline.cache.RedisWithDatabaseFallback", "LOCATION": REDIS_URL},
        "fallback": _FALLBACK_CACHE,
    }
else:
    # Shared by web and worker processes on this host (rate limits must be shared; local memory is not).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        },
        "fallback": _FALLBACK_CACHE,
    }
# django-ratelimit warns about any backend it does not list: ours is Django's RedisCache (atomic INCR) with a
# database stand-in whose counters, like the file cache's, are not atomic (a race lets a few extra requests in).
_NO_REDIS_CHECKS = ["django_ratelimit.W001"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"  # outside the web root: attachments are served by a view that checks access
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 2**20, minimum=1)
ATTACHMENT_MAX_COUNT = 5
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20
STORAGES = {
    "default": object_storage(env_str("STORAGE_URL", "")) or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The suggestion model learns from at most this many of the newest finished tickets (learning/suggest/store.py).
SUGGEST_TRAIN_MAX = env_int("SUGGEST_TRAIN_MAX", 30_000, minimum=100)

# Hot spots: tickets of the last N days are grouped; a group of this many tickets notifies supervisors once.
HOTSPOT_WINDOW_DAYS = env_int("HOTSPOT_WINDOW_DAYS", 30, minimum=7)
HOTSPOT_NOTIFY_SIZE = env_int("HOTSPOT_NOTIFY_SIZE", 5, minimum=2)

# --- Celery (broker only carries messages; every truth is in the database) ----------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}")
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Redis redelivers an unacknowledged task after this long; no correctness depends on ETA tasks (DESIGN.md §3).
    # A publish to an unreachable Redis gives up after a second (hotline/broker.py: nudges never retry).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- People and login ------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "org.auth.HotlineModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Well-known passwords (the demo one) are refused at login and when set, in production.
REFUSED_PASSWORDS = frozenset({"hotline-demo"}) if PRODUCTION else frozenset()
# Demo data exists only when asked for, and never in production.
DEMO_DATA_ALLOWED = not PRODUCTION

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "org.auth.RefusedPasswordValidator"},
]
if HOTLINE_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# django-axes: 5 failures lock the account for 30 minutes, whatever the IP address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Locking by username alone is the requirement (an attacker rotating IP addresses must not get more tries).
SILENCED_SYSTEM_CHECKS = ["axes.W006", *_NO_REDIS_CHECKS]

# Sessions end after 30 minutes idle and 12 hours after login (org.middleware.SessionLimitsMiddleware).
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
# API tokens (django-rest-knox, org/tokens.py) keep the same limits: idle 30 minutes (each use extends it), 12 hours.
KNOX_TOKEN_MODEL = "org.ApiToken"  # noqa: S105 (a model name)
REST_KNOX = {
    "TOKEN_TTL": SESSION_IDLE_TIMEOUT,
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": SESSION_ABSOLUTE_TIMEOUT,
    "MIN_REFRESH_INTERVAL": 60,
}
SESSION_COOKIE_SAMESITE = "Lax"

# --- Language and time -------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Deadlines -----------------------------------------------------------------------------------------------------
# Periods end at 24:00 of their last working day (Civil Code art. 201/203) unless the centre sets a close of business.
HOTLINE_CLOSE_OF_BUSINESS = env_time("HOTLINE_CLOSE_OF_BUSINESS")
# The sweep claims and commits this many clocks per transaction (a crash loses at most one uncommitted batch).
SWEEP_BATCH_SIZE = env_int("SWEEP_BATCH_SIZE", 500, minimum=1)

# Notifications: SMS goes through a backend like Django's e-mail backends (a gateway class in production).
# Production has no default: it names its gateway, or asks for the (masked) console log explicitly.
SMS_BACKEND = env_str("SMS_BACKEND", "" if PRODUCTION else "hotline.sms.ConsoleBackend")
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 5, minimum=1)  # then the message is parked as failed in the admin
# hotline.sms.HttpGatewayBackend posts each message as JSON to this address (with the message's idempotency key).
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TIMEOUT_SECONDS = env_int("SMS_GATEWAY_TIMEOUT_SECONDS", 10, minimum=1)

# --- Surveys (好差评) ---------------------------------------------------------------------------------------------
HOTLINE_PUBLIC_URL = env_str("HOTLINE_PUBLIC_URL", "http://127.0.0.1:8000")  # base of the SMS survey links
SURVEY_MAX_ATTEMPTS = env_int("SURVEY_MAX_ATTEMPTS", 3, minimum=1)

# --- Frozen monthly reports ------------------------------------------------------------------------------------------
# The HMAC key that signs each month's published figures. It lives only in the environment (never in the database),
# so whoever can write the reports table cannot rewrite a figure and re-sign it. Its key id is on /public/reports/.
# A static build needs no such secret: supervision/checks.py refuses a weak key in production when the system checks
# run (migrate, check --deploy) and supervision/reports.py refuses to sign or verify with one.
INSECURE_REPORTS_KEY = "insecure-development-reports-signing-key-not-for-production"
REPORTS_SIGNING_KEY = env_str("REPORTS_SIGNING_KEY", "" if PRODUCTION else INSECURE_REPORTS_KEY)
# Unanswered callbacks count towards "unreachable" only when each is at least this long after the one before.
SURVEY_ATTEMPT_SPACING = timedelta(minutes=env_int("SURVEY_ATTEMPT_SPACING_MINUTES", 120, minimum=0))
# An extension may move the reply deadline by at most this many working days.
HOTLINE_EXTENSION_MAX_WORKING_DAYS = env_int("HOTLINE_EXTENSION_MAX_WORKING_DAYS", 10, minimum=1)
# Live pages: how often an open page asks for its badge, queue and dashboard counts (well inside the promised 30 s).
HOTLINE_LIVE_POLL_SECONDS = env_int("HOTLINE_LIVE_POLL_SECONDS", 15, minimum=1)
IVR_SECRET = env_str("IVR_SECRET", "" if PRODUCTION else "development-ivr-secret")
IVR_MAX_SKEW_SECONDS = 300
FRAUD_PHONE_DAILY_LIMIT = env_int("FRAUD_PHONE_DAILY_LIMIT", 3, minimum=1)
FRAUD_BURST_COUNT, FRAUD_BURST_MINUTES = 5, 10
FRAUD_SHARED_IP_LIMIT = env_int("FRAUD_SHARED_IP_LIMIT", 5, minimum=1)

# --- Citizen channels -----------------------------------------------------------------------------------------------
# How many proxies in front of gunicorn append to X-Forwarded-For (the TLS proxy of the compose setup: 1). The client
# address for rate limits, login lock-out and fraud flags is read through them (hotline/clientip.py).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0, minimum=0)
RATELIMIT_IP_META_KEY = "hotline.clientip.client_ip"
AXES_CLIENT_IP_CALLABLE = "hotline.clientip.client_ip"
RATELIMIT_VIEW = "channels.views.rate_limited"
PUBLIC_SUBMIT_RATE_IP = env_str("PUBLIC_SUBMIT_RATE_IP", "10/h")
PUBLIC_SUBMIT_RATE_PHONE = env_str("PUBLIC_SUBMIT_RATE_PHONE", "5/d")
TRACK_RATE_IP = env_str("TRACK_RATE_IP", "20/h")
PUBLIC_UPLOAD_MAX_BYTES = env_int("PUBLIC_UPLOAD_MAX_BYTES", 10 * 2**20, minimum=1)  # photos of one submission
PUBLIC_UPLOAD_DAILY_BYTES = env_int("PUBLIC_UPLOAD_DAILY_BYTES", 30 * 2**20, minimum=1)  # per client address a day
OPEN311_RATE_KEY = env_str("OPEN311_RATE_KEY", "300/h")  # POSTs per API client (an app relays many citizens)
OPEN311_RATE_ADDRESS = env_str("OPEN311_RATE_ADDRESS", "10/d")  # POSTs per address, all clients together
OPEN311_RATE_BAD_KEY = env_str("OPEN311_RATE_BAD_KEY", "10/h")  # wrong api_keys per client address

# --- API -----------------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "org.tokens.HotlineTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hotline.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "12345 Hotline API",
    "VERSION": "1",
    # Swagger UI served from our own static files (no CDN on a government intranet).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TicketKindEnum": "tickets.models.ticket.Ticket.Kind",
        "DeadlineKindEnum": "tickets.models.deadline.Deadline.Kind",
        "DepartmentKindEnum": "org.models.Department.Kind",
        "NotificationKindEnum": "tickets.models.notify.Outbox.Kind",
        "TicketChannelEnum": "tickets.models.ticket.Ticket.Channel",
        "SurveyChannelEnum": "reviews.models.SurveyRound.Channel",
    },
}

# --- Production hardening ----------------------------------------------------------------------------------------
if PRODUCTION:
    # WhiteNoise serves the collected static files from gunicorn; development and tests use Django's finders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers and container health checks speak plain HTTP
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
