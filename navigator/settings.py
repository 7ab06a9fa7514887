"""Navigator settings: one module, read from the environment.

Safe by default: DEBUG is off unless set, and then Navigator refuses to start
without a real SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL and
FIELD_ENCRYPTION_KEYS.
The demo (bin/demo) and the test command (bin/test) set DEBUG=true, which brings
the laptop defaults: SQLite and a broker kept in files under var/.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from navigator.env import (
    env_bool,
    env_fernet_keys,
    env_int,
    env_json,
    env_list,
    env_rate,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("NAVIGATOR_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

# Used only with DEBUG on; refused as a production key by _production_problems.
_DEMO_SECRET_KEY = "demo-only-insecure-key-never-use-in-production"  # noqa: S105 - demo only, refused without DEBUG
_DEMO_DATABASE_URL = f"sqlite:///{VAR_DIR / 'navigator.sqlite3'}"
_DEMO_BROKER_URL = "filesystem://localhost/"
# base64 of "demo-only-key-never-use-in-prod!": the demo's and the tests' field encryption key.
_DEMO_FIELD_ENCRYPTION_KEY = "ZGVtby1vbmx5LWtleS1uZXZlci11c2UtaW4tcHJvZCE="


def _production_problems() -> list[str]:
    """What a real deployment has not set; each would otherwise fall back to a demo value."""
    problems = []
    secret = env_str("SECRET_KEY", "")
    if not secret:
        problems.append("SECRET_KEY is not set (50 or more random characters)")
    elif len(secret) < 50 or secret.startswith("demo-only"):
        problems.append("SECRET_KEY must be a random string of at least 50 characters")
    for name, meaning in (
        ("ALLOWED_HOSTS", "the host names Navigator answers to"),
        ("DATABASE_URL", "the PostgreSQL database, e.g. postgres://user@host:5432/navigator"),
        ("CELERY_BROKER_URL", "the Redis broker, e.g. redis://host:6379/0"),
    ):
        if not env_str(name, ""):
            problems.append(f"{name} is not set ({meaning})")
    keys = env_list("FIELD_ENCRYPTION_KEYS", [])
    if not keys:
        problems.append(
            "FIELD_ENCRYPTION_KEYS is not set (the keys that encrypt victims' details, newest "
            "first; make one with: python -m navigator.keys)"
        )
    elif _DEMO_FIELD_ENCRYPTION_KEY in keys:
        problems.append("FIELD_ENCRYPTION_KEYS holds the demo key; make a real one")
    if env_bool("WEBHOOK_ALLOW_HTTP_LOOPBACK", default=False):
        problems.append("WEBHOOK_ALLOW_HTTP_LOOPBACK is for development and tests only; unset it")
    return problems


if not DEBUG and (_problems := _production_problems()):
    raise ImproperlyConfigured(
        "Navigator will not start with DEBUG off until these are set: "
        + "; ".join(_problems)
        + ". For the demo or a laptop, set DEBUG=true (bin/demo does)."
    )

SECRET_KEY = env_str("SECRET_KEY", _DEMO_SECRET_KEY if DEBUG else None)
# Keys for the encrypted fields (navigator/encryption.py), newest first: new values are
# encrypted with the first, and any of them decrypts. See docs/operations.md on rotation.
FIELD_ENCRYPTION_KEYS = env_fernet_keys(
    "FIELD_ENCRYPTION_KEYS", [_DEMO_FIELD_ENCRYPTION_KEY] if DEBUG else []
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's own form widget templates, for the project's form renderer.
    "django.forms",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "health_check",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "navigator",  # its command reencrypt
    "accounts",
    "audit",
    "cases",
    "contacts",
    "alerts",
    "partners",
    "handovers",
    "privacy",
    "pages",
    "engagement",
    "webhooks",
    "explainers",
    "directory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files answer here, before anything below: they carry no victim data and may
    # be cached. Every response from a view passes NoStoreMiddleware.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pages.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    # API bodies over the limit are refused before anything reads them.
    "navigator.api.middleware.ApiRequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Ends a sign-in after inactivity or at its maximum age, before anything reads the user.
    "pages.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Sends a signed-in person who has not given their code (or must set up two-factor
    # sign-in) to do that before anything else.
    "pages.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "navigator.urls"
WSGI_APPLICATION = "navigator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.navigation",
            ],
        },
    },
]
# Every form renders its fields the same way: label, hint, error beside the field.
FORM_RENDERER = "pages.forms.NavigatorFormRenderer"

DATABASE_URL = env_str("DATABASE_URL", _DEMO_DATABASE_URL)
if DATABASE_URL == _DEMO_DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        # A kept connection is checked before a request reuses it, so the first request
        # after a database restart reconnects instead of failing on the dead one.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Statements are prepared only when asked for (navigator.db: the partner feed's read,
    # on every request); Django's own queries bind their values in the client and are
    # never prepared. (None turns preparing off, as a pooler in transaction mode needs.)
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 1_000_000
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Staff"
# Organisations' API accounts never sign in (accounts.backends).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Length is what makes a password strong: three random words pass, "Passw0rd!" does not.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's, except that an organisation's API account never signs in.
    "accounts.backends.StaffBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Signing in. Repeated failures lock the account (not the address: people share networks,
# and an attacker can change address) for a while; a password reset unlocks it.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
# django-axes warns when addresses are not part of the lockout. Locking by account already
# stops guessing from any number of addresses; locking by address as well would shut a whole
# office (one address behind its router) out after a few mistyped passwords.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A person sometimes types their password into the username box: keep usernames out of
# the log lines too (the lockout record itself names the account for administrators).
AXES_SENSITIVE_PARAMETERS = ["username", "password"]

# Two-factor sign-in (TOTP). Required of everyone when on: the default unless DEBUG.
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", default=not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Navigator")

# A sign-in ends after this long without activity, and at the latest after
# SESSION_COOKIE_AGE however active (see pages.sessions).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_MAX_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
# What someone typed when their sign-in ended is kept for them this long (pages.drafts).
SESSION_DRAFT_KEEP_MINUTES = env_int("SESSION_DRAFT_KEEP_MINUTES", 60, minimum=1)
# The session row outlives the sign-in a little, so the form a person sends just after it
# ended can still be kept for them rather than lost.
SESSION_COOKIE_AGE = SESSION_MAX_AGE + SESSION_DRAFT_KEEP_MINUTES * 60
# A shared or lost phone: closing the browser ends the sign-in.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# In development static files come from the apps, not from a collected folder.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: production is HTTPS only. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER_ENABLED=true so Django trusts X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers probe the health endpoint over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# No inline script or style anywhere: scripts and the one stylesheet come from our own files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Where people reach Navigator: emails link here.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes, when that backend is chosen.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "emails"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "navigator@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# A mail server that does not answer must not hold a worker (or the health check) for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
# Who gets Django's error reports and the late-sweep warning (besides active administrators
# with an email address): comma-separated addresses.
ADMINS = [("Navigator administrator", email) for email in env_list("ADMINS", [])]

# The cache counts API requests for rate limits. Set CACHE_URL to Redis in production
# so that every web process counts together; without it each process counts alone.
CACHE_URL = env_str("CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A cache that is slow or down must not hold requests up (throttles fail open).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: use redis://host:6379/2 or locmem://")

# The API (/api/v1/): organisations use API keys, staff their signed-in session.
API_MAX_REQUEST_BYTES = env_int("API_MAX_REQUEST_BYTES", 64 * 1024, minimum=1024)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.api.authentication.OrganisationKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "navigator.api.pagination.ReferenceCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "navigator.api.throttling.ApiKeyRateThrottle",
        "navigator.api.throttling.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "api_key": env_rate("API_RATE_PER_KEY", "1200/minute"),
        "signed_in": env_rate("API_RATE_PER_USER", "600/minute"),
    },
    "EXCEPTION_HANDLER": "navigator.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "navigator.api.schema.NavigatorAutoSchema",
    "URL_FORMAT_OVERRIDE": None,  # JSON only; no ?format=
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Navigator API",
    "DESCRIPTION": (BASE_DIR / "navigator" / "api" / "description.md").read_text(),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page are public: they hold no data, and a partner starts there.
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "contacts.choices.Channel",
        "ConcernEnum": "contacts.choices.Concern",
        "CaseStatusEnum": "cases.choices.CaseStatus",
        "PointOfContactRoleEnum": "cases.choices.PocRole",
        "ErrorCodeEnum": "navigator.api.errors.ERROR_CODE_CHOICES",
    },
    # Served from this service (drf-spectacular-sidecar): it runs on closed networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
    "TAGS": [
        {"name": "cases", "description": "The cases you may see, with the fields you may see."},
        {"name": "notices", "description": "What your organisation is told, oldest first."},
        {"name": "reports", "description": "What your organisation tells the case's team."},
        {
            "name": "handovers",
            "description": "Responsibility passed to your organisation: acknowledge, accept, "
            "decline.",
        },
        {
            "name": "keys",
            "description": "Your organisation's API keys (never the keys themselves).",
        },
        {
            "name": "webhooks",
            "description": "Where Navigator posts your notices as they are written, signed.",
        },
    ],
}

# Celery. With DEBUG the default broker keeps messages in files under var/, so the
# demo's worker and beat run with no server installed. Production uses Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", _DEMO_BROKER_URL)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    for _folder in ("processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        # Otherwise the exchange table is written to ./control wherever the process runs.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
# Reliability. Every task is idempotent (it claims its work in the database), so a task is
# acknowledged only once it has finished, and one whose worker died mid-way (killed, out of
# memory) goes back on the queue: running it twice is safe, losing it is not.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A worker process reserves one task at a time, so a long sweep never holds a nudge behind it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest task is a sweep or the daily trend over every open case. At the soft limit
# the task is interrupted (the batch in hand rolls back; what it committed stays done);
# at the hard limit its process is killed.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 15 * 60, minimum=60)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 5 * 60
# Redis gives an unacknowledged task to another worker after the visibility timeout, so it
# must be longer than any task may run, or a slow task would run twice at once.
REDIS_VISIBILITY_TIMEOUT = 3 * CELERY_TASK_TIME_LIMIT
# Publishing must never hold a request: a broker that is down or silent is given up on in
# seconds (nudges are not retried; the periodic pass finds their work in the database).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that loses the broker stops the tasks it was running; they come back (acks late).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Workers log through the LOGGING below, whose filters keep victim data out of the logs.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": REDIS_VISIBILITY_TIMEOUT,
        # Publishing tries once (kombu would otherwise retry for the connect timeout); the
        # worker's own reconnection has its settings and keeps trying.
        "max_retries": 0,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        "socket_keepalive": True,
        "health_check_interval": 30,
    }
CELERY_TIMEZONE = TIME_ZONE
SWEEP_EVERY_MINUTES = env_int("SWEEP_EVERY_MINUTES", 5, minimum=1)
# Cases re-evaluated per transaction in a sweep.
SWEEP_BATCH_SIZE = env_int("SWEEP_BATCH_SIZE", 1000, minimum=1)
# The health check fails, and the administrators are emailed, when no sweep has finished
# for this long.
SWEEP_LATE_AFTER_MINUTES = env_int(
    "SWEEP_LATE_AFTER_MINUTES", max(3 * SWEEP_EVERY_MINUTES, 15), minimum=SWEEP_EVERY_MINUTES
)
DIGEST_HOUR = env_int("DIGEST_HOUR", 8, minimum=0)
# Webhooks (webhooks/): how often the dispatcher looks for deliveries due (a nudge on
# commit sends a new notice at once; this pass does retries and what a lost nudge left).
WEBHOOK_DISPATCH_EVERY_SECONDS = env_int("WEBHOOK_DISPATCH_EVERY_SECONDS", 10, minimum=1)
# How long a partner's endpoint has to answer each attempt.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 15, minimum=1)
# Deliveries a dispatcher claims at once; a claim lasts long enough to send them all.
WEBHOOK_BATCH_SIZE = env_int("WEBHOOK_BATCH_SIZE", 20, minimum=1)
# For development and tests only: endpoints may be http:// on this machine (loopback).
# Off in production, where an endpoint must be https:// and resolve to a public address.
WEBHOOK_ALLOW_HTTP_LOOPBACK = env_bool("WEBHOOK_ALLOW_HTTP_LOOPBACK", default=DEBUG)
# The schedule lives here, in code; beat only keeps when each entry last ran.
CELERY_BEAT_SCHEDULE = {
    "sweep": {
        "task": "alerts.tasks.sweep_task",
        "schedule": SWEEP_EVERY_MINUTES * 60,
        # A sweep not started by the time the next is due is dropped: the next one does it.
        "options": {"expires": SWEEP_EVERY_MINUTES * 60},
    },
    "sweep-watchdog": {
        "task": "alerts.tasks.warn_if_sweep_late_task",
        "schedule": SWEEP_EVERY_MINUTES * 60,
        "options": {"expires": SWEEP_EVERY_MINUTES * 60},
    },
    "daily-digest": {
        "task": "alerts.tasks.send_daily_digests_task",
        "schedule": crontab(hour=DIGEST_HOUR, minute=0),
    },
    "daily-snapshot": {
        "task": "alerts.tasks.snapshot_scores_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "daily-retention": {
        "task": "privacy.tasks.anonymise_closed_cases_task",
        "schedule": crontab(hour=3, minute=15),
    },
    # Webhook deliveries due (a retry, or notices a lost nudge left): webhooks.dispatch.
    "webhook-dispatch": {
        "task": "webhooks.tasks.dispatch_task",
        "schedule": WEBHOOK_DISPATCH_EVERY_SECONDS,
        "options": {"expires": WEBHOOK_DISPATCH_EVERY_SECONDS},
    },
    # Dead deliveries still to be emailed to partner administrators (a lost nudge's).
    "webhook-dead-deliveries-emailed": {
        "task": "webhooks.tasks.tell_administrators_task",
        "schedule": 60,
        "options": {"expires": 60},
    },
    # Deliveries done with for a month are let go (the notices themselves stay).
    "daily-forget-old-webhook-deliveries": {
        "task": "webhooks.tasks.forget_old_deliveries_task",
        "schedule": crontab(hour=2, minute=45),
    },
    # Ended sessions may hold a form kept for its author (pages.drafts): remove them.
    "clear-ended-sessions": {
        "task": "pages.tasks.clear_ended_sessions_task",
        "schedule": crontab(minute=15),
    },
}

# Retention: a case closed this many days ago is anonymised by the daily job (privacy.retention).
# Six years by default; set it to your organisation's retention schedule.
RETENTION_CLOSED_CASE_DAYS = env_int("RETENTION_CLOSED_CASE_DAYS", 6 * 365, minimum=1)

# Early warning of disengagement. Every threshold and weight has a documented default
# in contacts/disengagement.py (Thresholds); override any of them here, e.g.
# DISENGAGEMENT_THRESHOLDS='{"unanswered_in_row": 4, "weights": {"many_people": 3}}'.
DISENGAGEMENT_THRESHOLDS = env_json("DISENGAGEMENT_THRESHOLDS", {})
# A disengagement alert resolves itself once no signal has fired for this long.
DISENGAGEMENT_SETTLE_DAYS = env_int("DISENGAGEMENT_SETTLE_DAYS", 7, minimum=1)
# How far ahead the navigator is reminded of a date that matters to the victim.
REMINDER_DAYS_BEFORE_DATE = env_int("REMINDER_DAYS_BEFORE_DATE", 3, minimum=0)
# How far ahead the navigator is reminded of a case event, and partners are told of one.
REMINDER_DAYS_BEFORE_EVENT = env_int("REMINDER_DAYS_BEFORE_EVENT", 7, minimum=0)

# A handover not acknowledged this many hours after it was sent raises an alert on the case.
HANDOVER_ACK_HOURS = env_int("HANDOVER_ACK_HOURS", 24, minimum=1)

# The engagement report withholds any number under this, and whatever would give one away.
ENGAGEMENT_REPORT_MIN_COUNT = env_int("ENGAGEMENT_REPORT_MIN_COUNT", 5, minimum=3)

# Logs and error reports never carry victim data (navigator/logs.py): every handler filters
# its records, exceptions are formatted without their messages or local variables, and
# error reports show no request content.
DEFAULT_EXCEPTION_REPORTER = "navigator.logs.VictimSafeExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "navigator.logs.VictimSafeExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "victim_data": {"()": "navigator.logs.VictimDataFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {
            "()": "navigator.logs.VictimSafeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["victim_data"],
        },
        # Errors to ADMINS by email (Django's report, made safe by the reporter above).
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "victim_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # In place of Django's own handlers for these, which format exceptions in full.
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # django-axes notes every sign-in at INFO; its warnings (failures, lockouts) are enough.
        "axes": {"level": "WARNING"},
        # httpx notes every request it makes at INFO, URL and all: webhooks post to partners'
        # endpoints all day, and a URL may hold a partner's token.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
