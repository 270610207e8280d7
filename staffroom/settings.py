"""One settings module, driven by environment variables (see README: Configuration)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STAFFROOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no setting; '1', 'true', 'yes' and 'on' mean yes."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("STAFFROOM_DEBUG", False)
# Production (HTTPS-only cookies, HSTS, redirect) is switched on by STAFFROOM_PRODUCTION=1;
# the loopback demo runs without it.
PRODUCTION = env_bool("STAFFROOM_PRODUCTION", False)
SECRET_KEY = os.environ.get("STAFFROOM_SECRET_KEY") or os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    # A development key that is stable per checkout, so sessions survive restarts of the demo.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(64))
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env_list("STAFFROOM_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("STAFFROOM_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("STAFFROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "history",
    "tenancy",
    "people",
    "offers",
    "booking",
    "staffroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "staffroom.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenancy.middleware.SessionEpochMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "staffroom.urls"
WSGI_APPLICATION = "staffroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "staffroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "staffroom.context_processors.navigation",
            ],
        },
    }
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'staffroom.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_SQLITE
if DATABASE_URL.startswith("sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
DB_ENGINE = DATABASES["default"]["ENGINE"]
IS_POSTGRES = "postgresql" in DB_ENGINE
if IS_POSTGRES:
    # Persistent connections: without them every request pays a new connection (DESIGN.md).
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("STAFFROOM_CONN_MAX_AGE", "600"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Values travel apart from the SQL, and psycopg prepares a statement on the server once
    # a connection has run it five times: the hot paths stop paying to parse it. Plans stay
    # custom (made for the values at hand): a generic plan for the catalogue's queries can
    # be far worse for one school than for another.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": int(os.environ.get("STAFFROOM_PREPARE_THRESHOLD", "5")),
        "options": "-c plan_cache_mode=force_custom_plan",
    }
else:
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django's cache, per process: it holds only short-lived copies of rarely-changing
# reference lists the same for everyone (the catalogue filter's subjects, national focus
# tags and network names: offers.queries.filter_choices, 60 s, dropped when one changes).
# Nothing about a person and nothing another server would need lives there (DESIGN.md).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "staffroom",
    }
}

AUTH_USER_MODEL = "tenancy.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tenancy.sessions.AccountBackend",  # Django's ModelBackend, its lookup prepared
]
SESSION_ENGINE = "tenancy.sessions"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: five failures lock the account-and-address pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("STAFFROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("STAFFROOM_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
# The academic year starts on this month and day (England: 1 September).
ACADEMIC_YEAR_START = tuple(
    int(part) for part in os.environ.get("STAFFROOM_ACADEMIC_YEAR_START", "9-1").split("-")
)

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STAFFROOM_MANIFEST_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = os.environ.get(
    "STAFFROOM_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not os.environ.get("STAFFROOM_EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("STAFFROOM_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("STAFFROOM_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("STAFFROOM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("STAFFROOM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("STAFFROOM_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("STAFFROOM_FROM_EMAIL", "Staffroom <staffroom@localhost>")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("STAFFROOM_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security. HTTPS settings are on in production and off for the loopback demo.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("STAFFROOM_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(
    os.environ.get("STAFFROOM_HSTS_SECONDS", "31536000" if PRODUCTION else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("STAFFROOM_LOG_LEVEL", "WARNING")},
}

API_PAGE_SIZE = 50
