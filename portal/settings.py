"""Settings of the meeting-reports portal, configured by environment variables.

Development needs no configuration at all: DEBUG defaults to on and, with DATABASE_URL
unset, an embedded PostgreSQL starts under var/postgres/. In production set DEBUG=0,
SECRET_KEY, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS and DATABASE_URL (see README.md).
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import (
    env_bool,
    env_int,
    env_list,
    env_origins,
    env_str,
    parse_database_url,
    timeout_options,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY: required when DEBUG is off; set it to a long random string"
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
elif not DEBUG and len(SECRET_KEY) < 50:
    # Sessions, password resets and CSRF tokens are signed with it.
    raise ImproperlyConfigured(
        f"SECRET_KEY: {len(SECRET_KEY)} characters; use at least 50 random ones, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS: required when DEBUG is off (comma-separated)")
if not DEBUG and "*" in ALLOWED_HOSTS:
    # Any Host header would be believed, in password-reset links and absolute addresses.
    raise ImproperlyConfigured("ALLOWED_HOSTS: '*' is refused when DEBUG is off; name the hosts")
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # django.contrib.admin with portal.admin_site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "portal.apps.AxesConfig",  # django-axes, named for editors (portal/apps.py)
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one, so error responses (400, 404, 500) carry the CSP too.
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public reads to a replica (DATABASE_REPLICA_URLS), before the page cache reads the
    # data version there.
    "portal.db_router.ReplicaReadsMiddleware",
    # Anonymous public pages from the cache, with ETag/Last-Modified; before the session,
    # language and CSRF middleware, which a cached page needs none of.
    "meetings.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A database that cannot be reached gives the 503 page, not a 500.
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            ],
        },
    },
]

# Database: DATABASE_URL when set, else the embedded PostgreSQL (portal/embedded_postgres).
DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED_POSTGRES_DIR = Path(env_str("EMBEDDED_POSTGRES_DIR", str(BASE_DIR / "var" / "postgres")))
# A database that accepts connections and never answers must not hold workers: connecting
# gives up after DATABASE_CONNECT_TIMEOUT seconds and the server cancels any statement that
# runs DATABASE_STATEMENT_TIMEOUT seconds (pages need milliseconds); pages then answer 503
# (portal.middleware.DatabaseUnavailableMiddleware). manage.py sets no statement timeout
# unless asked: migrations and ingest may run long statements on purpose.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=0)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 10, minimum=0)
if DATABASE_URL:
    DATABASES = {
        "default": parse_database_url(
            DATABASE_URL,
            connect_timeout=DATABASE_CONNECT_TIMEOUT,
            statement_timeout=DATABASE_STATEMENT_TIMEOUT,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "portal.embedded_postgres",
            "NAME": "postgres",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "OPTIONS": timeout_options(DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT),
        }
    }
# Streaming replicas of DATABASE_URL: public pages read from one of them (portal/db_router.py).
# Tests read the primary through them (TEST MIRROR): no test database is made for a replica.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS: set DATABASE_URL (the primary) too")
    DATABASES[f"replica{number}"] = parse_database_url(
        url,
        name="DATABASE_REPLICA_URLS",
        connect_timeout=DATABASE_CONNECT_TIMEOUT,
        statement_timeout=DATABASE_STATEMENT_TIMEOUT,
    ) | {"TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
# After a write (a POST with a session), that editor reads the primary for this long.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10, minimum=1)

# The cache: Redis when REDIS_URL is set (shared by every app server, portal/cache.py: a
# Redis that is down costs renders, not errors), else each process's own memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"REDIS_URL: expected redis://host:6379/0 (or rediss://, unix://), got {REDIS_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
            # A Redis that does not answer must not hold a worker.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages (meetings/page_cache.py): kept this long in the cache under the data version
# (0: no page cache), and told to browsers, proxies and CDNs as fresh for PAGE_MAX_AGE.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600, minimum=0)
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 60, minimum=0)
# Never cached and marked private: the admin. Never cached: the health check, the language
# switch, and the full export (a file on disk that export_meetings rewrites).
PAGE_CACHE_PRIVATE = ("/admin/",)
PAGE_CACHE_EXCLUDED = (*PAGE_CACHE_PRIVATE, "/healthz", "/i18n/", "/meetings/export/all.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# Issue 15 (readers' portal): Vietnamese dates as the reports write them ("3/7/2024").
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A list export gives at most EXPORT_MAX_ROWS meetings (an anonymous request must not hold a
# worker for seconds); every meeting is in the files `manage.py export_meetings` writes into
# EXPORT_DIR, sent from disk (meetings/views/exports.py).
EXPORT_MAX_ROWS = env_int("EXPORT_MAX_ROWS", 2000, minimum=1)
EXPORT_DIR = Path(env_str("EXPORT_DIR", str(BASE_DIR / "var" / "exports")))

# Behind a reverse proxy that terminates TLS (see README: deployment).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Browsers' preload lists take only a max-age of a year or more: a shorter one is sent
    # without asking to be preloaded.
    SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS >= 365 * 24 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by portal.middleware.SecurityHeadersMiddleware on every response, the admin's too.
# No 'unsafe-inline': scripts and styles come only from static files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Admin login lockout (django-axes): 5 failed passwords for one username from one address
# lock that pair out for an hour; other users and other addresses are unaffected. 10 failed
# passwords from one address, whatever the usernames (password spraying), lock the address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "portal.lockout.AddressLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.lockout.lockout_response"  # templates/admin/locked_out.html
AXES_CLIENT_IP_CALLABLE = "portal.middleware.client_ip"
# Reverse proxies in front that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Only editors have sessions: a session found on a lost laptop or in a shared browser ends
# after a working day, not Django's two weeks.
SESSION_COOKIE_AGE = env_int("ADMIN_SESSION_HOURS", 8, minimum=1) * 3600

# fetch_articles (meetings/fetch/) names itself with this; robots.txt groups for its first
# word ("MeetingReportsPortal") apply to it. Sites expect a way to reach the operator in it.
FETCH_USER_AGENT = env_str(
    "FETCH_USER_AGENT", "MeetingReportsPortal/1.0 (+https://portal.example.org/about)"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    # pgserver narrates every start and exit of the embedded server at INFO, and axes every
    # start and login; its warnings (failed logins, lockouts) still show.
    # trafilatura and htmldate narrate each page they read at INFO.
    "loggers": {
        name: {"level": "WARNING"} for name in ("pgserver", "axes", "trafilatura", "htmldate")
    },
}
