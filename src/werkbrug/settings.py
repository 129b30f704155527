"""Werkbrug settings. Everything an operator sets comes from the environment (see config.py).

Environment variables:
  DATA_DIR                 folder for the SQLite file and generated demo keys (default ./var)
  DATABASE_URL             postgresql://user:pass@host:port/name; absent = SQLite in DATA_DIR
  WERKBRUG_DEMO            1 = demo mode: generated keys, demo log-ins, no 2FA for demo users
  WERKBRUG_DEBUG           1 = Django debug pages (never in production)
  WERKBRUG_SECRET_KEY      Django secret key (required outside demo mode)
  WERKBRUG_PSEUDONYM_KEY   key for the BSN HMAC pseudonym (required outside demo mode)
  WERKBRUG_ENCRYPTION_KEY  key for encrypted fields such as the BSN (required outside demo mode)
  WERKBRUG_ALLOWED_HOSTS   comma-separated host names
  WERKBRUG_HTTPS           1 = served over HTTPS (secure cookies, HSTS); default on outside demo
  WERKBRUG_SSL_REDIRECT    1 = redirect http to https (default: same as WERKBRUG_HTTPS)
  WERKBRUG_PROXY_SSL_HEADER  e.g. HTTP_X_FORWARDED_PROTO when TLS ends at a proxy
  WERKBRUG_SESSION_IDLE_MINUTES  log out after this many idle minutes (default 30)
  WERKBRUG_API_TOKEN_HOURS      an API token is valid this many hours after log-in (default 10)
  WERKBRUG_TASKS_IMMEDIATE 1 = run background tasks in the request (default on in demo mode)
  WERKBRUG_EMAIL_BACKEND   smtp | console | file | locmem (default smtp; console in demo mode)
  WERKBRUG_EMAIL_HOST, WERKBRUG_EMAIL_PORT, WERKBRUG_EMAIL_HOST_USER,
  WERKBRUG_EMAIL_HOST_PASSWORD, WERKBRUG_EMAIL_USE_TLS, WERKBRUG_DEFAULT_FROM_EMAIL
  WERKBRUG_EMAIL_FILE_PATH folder for the file backend's messages (default DATA_DIR/mail)
  WERKBRUG_EMAIL_TIMEOUT   seconds an SMTP step may take before it counts as failed (default 30)
  WERKBRUG_OUTBOX_CLAIM_SECONDS  after this many seconds a message a worker claimed but did not
                           mark sent is delivered again (default 900; more than the SMTP timeout)
  WERKBRUG_OUTBOX_MAX_ATTEMPTS   delivery attempts before a message is 'failed' (default 8)
  WERKBRUG_OUTBOX_KEEP_DAYS      days a sent message's content is kept (default 7)
  WERKBRUG_OUTBOX_SWEEP_SECONDS  how often `werkbrug worker` looks for mail to (re)send
                           (default 60)
  WERKBRUG_PUBLIC_URL      the address people use, for links in mail sent by daily commands
                           (default http://127.0.0.1:8000)
  WERKBRUG_TRUSTED_PROXIES number of reverse proxies in front that append to X-Forwarded-For
                           (default 0: the client is REMOTE_ADDR); used by rate limits and axes
  WERKBRUG_RATELIMIT_<SCOPE>  requests/seconds per client address (core.ratelimit); scopes and
                           defaults: TOKEN 10/60 (API token), LOGIN 300/600 (log-in form posts),
                           MEETING_LINK 60/600 and SURVEY_LINK 60/600 (personal links),
                           PASSWORD_RESET 5/900 (reset mails asked), PASSWORD_RESET_LINK 30/600
  WERKBRUG_RATELIMIT_FAILURE_COST  what a failed attempt (unknown link, wrong password) counts
                           against the limit (default 5; a normal request counts 1)
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from werkbrug.config import Env, data_dir, secret

env = Env()
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir(env, Path.cwd())

DEMO = env.bool("WERKBRUG_DEMO", False)
DEBUG = env.bool("WERKBRUG_DEBUG", False)
SECRET_KEY = secret(env, "WERKBRUG_SECRET_KEY", demo=DEMO, folder=DATA_DIR, min_length=50)
PSEUDONYM_KEY = secret(env, "WERKBRUG_PSEUDONYM_KEY", demo=DEMO, folder=DATA_DIR)
ENCRYPTION_KEY = secret(env, "WERKBRUG_ENCRYPTION_KEY", demo=DEMO, folder=DATA_DIR)
ALLOWED_HOSTS = env.list("WERKBRUG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "werkbrug.core",
    "werkbrug.accounts",
    "werkbrug.regions",
    "werkbrug.employers",
    "werkbrug.taxonomy",
    "werkbrug.candidates",
    "werkbrug.matching",
    "werkbrug.meetings",
    "werkbrug.rules",
    "werkbrug.placements",
    "werkbrug.monitoring",
    "werkbrug.evaluation",
    "werkbrug.privacy",
    "werkbrug.api",
    "werkbrug.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "werkbrug.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "werkbrug.core.middleware.AuditContextMiddleware",
    "werkbrug.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "werkbrug.core.once.SubmitOnceMiddleware",
]

ROOT_URLCONF = "werkbrug.urls"
WSGI_APPLICATION = "werkbrug.wsgi.application"
ASGI_APPLICATION = "werkbrug.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "werkbrug.core.context_processors.werkbrug",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
_database_url = env.database_url("DATABASE_URL")
if _database_url:
    # Connections are kept for a minute between requests; the health check makes a worker
    # replace one the server has dropped (a restart, a fail-over) before using it, instead of
    # failing the next request on it (docs/benchmarks.md, Working day at region scale).
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Werkbrug's queries are short, interactive ones; PostgreSQL's JIT compiler spends
        # 70-140 ms compiling the larger of them, more than they take to run
        # (docs/benchmarks.md, Candidates).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "werkbrug.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": ":memory:"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
#: A password-reset link works for two hours (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 2 * 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

#: Django's database sessions; a database outage while saving one is an error page, not a
#: misleading "session deleted" 400 (core/sessions.py).
SESSION_ENGINE = "werkbrug.core.sessions"
SESSION_IDLE_MINUTES = env.int("WERKBRUG_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: inactivity timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

HTTPS = env.bool("WERKBRUG_HTTPS", not DEMO)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env.bool("WERKBRUG_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
_proxy_header = env.str("WERKBRUG_PROXY_SSL_HEADER", "-")
SECURE_PROXY_SSL_HEADER = None if _proxy_header == "-" else (_proxy_header, "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("WERKBRUG_CSRF_TRUSTED_ORIGINS", [])

# Content-Security-Policy: everything from our own origin, no inline script or style at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

AXES_FAILURE_LIMIT = env.int("WERKBRUG_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "werkbrug.core.ratelimit.axes_client_ip"

# --- Rate limits (core.ratelimit) -----------------------------------------------------------
# Counts live in the database cache, shared by every worker and server (a per-process memory
# cache would multiply each limit by the number of gunicorn workers); `migrate` creates the
# table. The default cache stays in memory: nothing else in it must be shared.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "werkbrug_ratelimit",
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    },
}
TRUSTED_PROXIES = env.int("WERKBRUG_TRUSTED_PROXIES", 0, minimum=0)
RATE_LIMITS = {
    scope: env.rate(f"WERKBRUG_RATELIMIT_{scope.upper()}", default)
    for scope, default in {
        "token": (10, 60),
        # An office behind one address logs in together at 08:30: 300 posts per 10 minutes
        # (a failure counts 5, so 60 wrong passwords); axes locks a single user name sooner.
        "login": (300, 600),
        "meeting_link": (60, 600),
        "survey_link": (60, 600),
        "password_reset": (5, 900),
        "password_reset_link": (30, 600),
    }.items()
}
RATELIMIT_FAILURE_COST = env.int("WERKBRUG_RATELIMIT_FAILURE_COST", 5, minimum=1)

OTP_TOTP_ISSUER = "Werkbrug"
# Staff must use TOTP two-factor authentication; demo users are exempt only in demo mode.
TWO_FACTOR_REQUIRED_FOR_STAFF = True

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["werkbrug.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # serve from the package in demo and tests without collectstatic
WHITENOISE_AUTOREFRESH = DEBUG

# --- E-mail ---------------------------------------------------------------------------------
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = env.str("WERKBRUG_EMAIL_BACKEND", "console" if DEMO else "smtp")
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"WERKBRUG_EMAIL_BACKEND={_email_backend!r} is unknown: use one of "
        f"{', '.join(_EMAIL_BACKENDS)}."
    )
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = env.str("WERKBRUG_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_TIMEOUT = env.int("WERKBRUG_EMAIL_TIMEOUT", 30, minimum=1)
EMAIL_HOST = env.str("WERKBRUG_EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("WERKBRUG_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.environ.get("WERKBRUG_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.environ.get("WERKBRUG_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("WERKBRUG_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.str("WERKBRUG_DEFAULT_FROM_EMAIL", "Werkbrug <noreply@werkbrug.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox (core.outbox): every e-mail is stored with the change that causes it and delivered
# by a task; see docs/operations.md.
OUTBOX_CLAIM_SECONDS = env.int("WERKBRUG_OUTBOX_CLAIM_SECONDS", 900, minimum=1)
if OUTBOX_CLAIM_SECONDS <= EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        f"WERKBRUG_OUTBOX_CLAIM_SECONDS={OUTBOX_CLAIM_SECONDS} must be more than "
        f"WERKBRUG_EMAIL_TIMEOUT={EMAIL_TIMEOUT}: a message still being sent would be sent again."
    )
OUTBOX_MAX_ATTEMPTS = env.int("WERKBRUG_OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
OUTBOX_KEEP_DAYS = env.int("WERKBRUG_OUTBOX_KEEP_DAYS", 7, minimum=0)
OUTBOX_SWEEP_SECONDS = env.int("WERKBRUG_OUTBOX_SWEEP_SECONDS", 60, minimum=1)

# --- Background tasks -----------------------------------------------------------------------
TASKS_IMMEDIATE = env.bool("WERKBRUG_TASKS_IMMEDIATE", DEMO)
PUBLIC_URL = env.str("WERKBRUG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TASKS_IMMEDIATE
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- API ------------------------------------------------------------------------------------
#: An API token is valid this many hours after it was issued (then: log in again).
API_TOKEN_HOURS = env.int("WERKBRUG_API_TOKEN_HOURS", 10, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "werkbrug.api.authentication.ExpiringTokenAuthentication",
        "werkbrug.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["werkbrug.api.permissions.DenyByDefault"],
    "DEFAULT_SCHEMA_CLASS": "werkbrug.api.schema.ProblemAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "werkbrug.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "werkbrug.api.problems.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Werkbrug API",
    "DESCRIPTION": "API van Werkbrug. Authenticatie: POST /api/v1/auth/token, daarna "
    "'Authorization: Token <token>'. Fouten volgen RFC 9457 (application/problem+json).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Personal link tokens in a logged path become [token] (core/logging.py).
    "filters": {"link_tokens": {"()": "werkbrug.core.logging.RedactLinkTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["link_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        # On the loggers that write request paths, so every handler gets the cleaned record.
        **{
            name: {"filters": ["link_tokens"]}
            for name in ("django.request", "django.server", "django.security", "gunicorn.error")
        },
    },
}
