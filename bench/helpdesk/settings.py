"""Minimal production-like Django project around django-helpdesk, for bench/helpdesk_intake.py.

Apps, middleware and URLs as helpdesk's installation docs give them (without the UI-only form app and teams mode),
with DEBUG off. The API at /api/ is on by default (HELPDESK_API_ENABLED). Environment:
    HELPDESK_DATABASE_URL  postgres://USER[:PASSWORD]@HOST:PORT/NAME (required; a name of its own, not DATABASE_URL,
                           so that the hotline's database is never migrated by mistake)
    SECRET_KEY             required
    HELPDESK_MEDIA_ROOT    where attachments would go (a temporary folder unless set)
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent


def database(url: str) -> dict[str, object]:
    """Django's DATABASES entry for a postgres:// URL; query parameters become connection options."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"HELPDESK_DATABASE_URL must be a postgres:// URL, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        # Persistent connections as the hotline's (60 s), without Django's per-request SELECT 1 health check.
        "CONN_MAX_AGE": 60,
    }


SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",  # required for helpdesk admin/maintenance
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",  # required for the domain in e-mails
    "django.contrib.humanize",  # required for elapsed time formatting
    "rest_framework",  # required for the API
    "rest_framework.authtoken",  # the API's token authentication (see REST_FRAMEWORK)
    "django_cleanup.apps.CleanupConfig",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database(os.environ["HELPDESK_DATABASE_URL"])}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("HELPDESK_MEDIA_ROOT") or Path(tempfile.gettempdir()) / "helpdesk-bench-media")

# Behind a TLS proxy, as the hotline runs: the client sends X-Forwarded-Proto: https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# helpdesk builds and sends its e-mails as usual; the console backend writes them to gunicorn's standard output.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"

SITE_ID = 1
LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"

# Teams mode needs pinax-teams; helpdesk's docs show how to turn it off.
HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_API_ENABLED = True

# helpdesk's API doc: authentication is chosen with DEFAULT_AUTHENTICATION_CLASSES. A token (one indexed read) rather
# than HTTP Basic, whose password hash on every request would measure the hasher, not the ticket create.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}
