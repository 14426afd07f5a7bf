"""The only settings module. Everything that differs between machines comes from the environment.

Development (the default): SQLite in ./var, DEBUG on, a fixed development secret key.
Production: OPENPCN_ENV=production, SECRET_KEY, DATABASE_URL (postgres://…), ALLOWED_HOSTS.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from openpcn.config import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRODUCTION = env.get("OPENPCN_ENV", "development") == "production"

DATA_DIR = env.get_path("OPENPCN_DATA_DIR", BASE_DIR / "var")

if PRODUCTION:
    SECRET_KEY = env.get(
        "SECRET_KEY",
        hint="Generate one with: openpcn manage shell -c "
        "'from django.core.management.utils import get_random_secret_key as g; print(g())'",
    )
else:
    SECRET_KEY = env.get(
        "SECRET_KEY", "dev-only-insecure-key-not-for-production-use-0123456789abcdef"
    )  # noqa: S105

DEBUG = env.get_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env.get_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "openpcn.core",
    "openpcn.accounts",
    "openpcn.organisations",
    "openpcn.workforce",
    "openpcn.rostering",
    "openpcn.bank",
    "openpcn.population",
    "openpcn.finance",
    "openpcn.ledger",
    "openpcn.contracts",
    "openpcn.governance",
    "openpcn.boards",
    "openpcn.surveys",
    "openpcn.development",
    "openpcn.policies",
    "openpcn.education",
    "openpcn.directory",
    "openpcn.recruitment",
    "openpcn.appointments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Answers losing staff-bank claims in one query before the rest of the stack (ADR 0015).
    "openpcn.bank.middleware.FilledSessionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "openpcn.accounts.middleware.ScopeMemoMiddleware",
    "openpcn.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openpcn.config.urls"
WSGI_APPLICATION = "openpcn.config.wsgi.application"
ASGI_APPLICATION = "openpcn.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "openpcn.core.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "openpcn.core.context.navigation",
            ],
        },
    },
    {
        # Django's own templates (admin-free; used by a few third-party apps' emails and errors).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'openpcn.sqlite3'}"),
        conn_max_age=0 if not PRODUCTION else 60,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: lock a username+IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "openpcn.accounts.views.login.locked_out"
AXES_ENABLED = env.get_bool("AXES_ENABLED", True)

OTP_TOTP_ISSUER = "OpenPCN"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.get_path("STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vega", BASE_DIR / "node_modules" / "vega" / "build"),
    ("vega-lite", BASE_DIR / "node_modules" / "vega-lite" / "build"),
    ("vega-embed", BASE_DIR / "node_modules" / "vega-embed" / "build"),
]

# Background tasks: the database queue by default (no extra service); Redis with RQ in production.
TASK_QUEUE = env.get("TASK_QUEUE", "database")
if TASK_QUEUE == "redis":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": env.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
elif TASK_QUEUE == "immediate":
    # Runs a task as it is enqueued, in the same process: for tests of task outcomes.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Computed dashboards (immutable per indicator refresh) are cached: in each process by default,
# shared between processes through Redis when CACHE_URL is set (e.g. redis://127.0.0.1:6379/1).
CACHE_URL = env.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
}

EMAIL_BACKEND = env.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "OpenPCN <rota@openpcn.invalid>")
# Where emailed links point (digests are sent from a task, with no request to read it from).
SITE_URL = env.get("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "WARNING")},
}

# Shown on every page when the demo (synthetic) data is loaded.
OPENPCN_DEMO_BANNER = env.get_bool("OPENPCN_DEMO_BANNER", not PRODUCTION)
