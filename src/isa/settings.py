"""ISA settings: one module, configured from ``ISA_*`` environment variables.

Every variable is read through a small typed helper that raises ``ImproperlyConfigured``
with the variable's name on a bad value, so a misconfiguration fails loudly at start-up
with one line instead of a traceback deep in a request.  The README lists every variable.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent  # the isa package
PROJECT_DIR = BASE_DIR.parent.parent  # the checkout (src/..)


# -- typed helpers ---------------------------------------------------------------------------


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1 (got {raw!r})")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r})") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {value})")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum} (got {value})")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def env_database(name: str, default: str) -> dict:
    """Parse a database URL (sqlite:///path or postgres://…) into a Django DATABASES entry."""
    import dj_database_url

    raw = os.environ.get(name) or default
    scheme = urlsplit(raw).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} must start with sqlite:/// or postgres:// (got scheme {scheme or 'none'!r})"
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises plain ValueErrors
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if config["ENGINE"].endswith("sqlite3"):
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name} names no SQLite file")
        config["CONN_MAX_AGE"] = 0
        config.pop("CONN_HEALTH_CHECKS", None)
        # Tests use a file too (not shared-cache memory), so that concurrent writers lock and
        # wait exactly as in production.
        # One file per test process, so that two runs on one checkout never share it.
        test_name = f"test-isa-{os.getpid()}.sqlite3"
        config["TEST"] = {"NAME": str(Path(config["NAME"]).with_name(test_name))}
        config["OPTIONS"] = {
            # WAL, a busy timeout and IMMEDIATE transactions: concurrent writers wait their
            # turn instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database")
    return config


def env_email(name: str, default: str) -> dict[str, object]:
    """Parse ISA_EMAIL_URL: console:// | smtp://user:pass@host:port (smtp+tls://, smtp+ssl://)."""
    from urllib.parse import unquote

    raw = os.environ.get(name) or default
    parts = urlsplit(raw)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(sorted(backends))}:// (got {raw!r})"
        )
    config: dict[str, object] = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has an invalid port") from None
        config.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=port or (465 if parts.scheme == "smtp+ssl" else 587),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtp+ssl",
        )
    return config


# -- where things live -------------------------------------------------------------------------

VAR_DIR = env_path("ISA_VAR_DIR", PROJECT_DIR / "var")
MEDIA_ROOT = env_path("ISA_MEDIA_ROOT", VAR_DIR / "media")
STATIC_ROOT = env_path("ISA_STATIC_ROOT", VAR_DIR / "static")

DEBUG = env_bool("ISA_DEBUG", True)


def _secret_key() -> str:
    key = env_str("ISA_SECRET_KEY")
    if key:
        if len(key) < 50:
            raise ImproperlyConfigured("ISA_SECRET_KEY must be at least 50 characters long")
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "ISA_SECRET_KEY is required when ISA_DEBUG=0 (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`)"
        )
    # Demo and development: a key generated once into var/ and kept there.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ISA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ISA_CSRF_TRUSTED_ORIGINS", [])

# -- applications ------------------------------------------------------------------------------

INSTALLED_APPS = [
    "isa.core",  # first: its templates and commands (compilemessages) take precedence
    "isa.people",
    "isa.presence",
    "isa.journal",
    "isa.works",
    "isa.evaluation",
    "isa.watch",
    "isa.reports",  # on top: reports for funders (docs/cost-benefit.md)
    "isa.api",  # on top of every other app: the HTTP API (docs/api.md)
    "isa.privacy",  # on top: backups, retention, research exports (docs/decisions.md)
    "isa.portal",  # on top: the participant's own space
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "csp",
    "ninja",  # its Swagger UI files, served from our own static files (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "isa.core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "isa.core.middleware.ActorMiddleware",
    "isa.portal.middleware.PortalConfinementMiddleware",
    "isa.core.middleware.TwoFactorMiddleware",
    "isa.core.middleware.KioskLockMiddleware",
    "isa.core.middleware.PrivacyHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "isa.urls"
WSGI_APPLICATION = "isa.wsgi.application"

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
                "isa.core.context_processors.isa",
            ],
        },
    },
]

# Forms: Django's own widget templates, the drop-down written in Python (isa.core.renderers).
FORM_RENDERER = "isa.core.renderers.FormRenderer"

# -- database ----------------------------------------------------------------------------------

DATABASES = {
    "default": env_database("ISA_DATABASE_URL", f"sqlite:///{VAR_DIR / 'isa.sqlite3'}"),
}
# The audit log can live in a database of its own (SECURITY.md: apart from production data).
if env_str("ISA_AUDIT_DATABASE_URL"):
    DATABASES["audit"] = env_database("ISA_AUDIT_DATABASE_URL", "")
    DATABASE_ROUTERS = ["isa.core.routers.AuditRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- authentication ----------------------------------------------------------------------------

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    # Argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane), not Django's 100 MiB.
    "isa.core.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Hard to guess (zxcvbn): no repeats, keyboard rows, common words with digits.
    {"NAME": "isa.core.passwords.StrongPasswordValidator"},
]
# zxcvbn's score a new password needs, 0 to 4 (3: "safely unguessable").
ISA_PASSWORD_MIN_SCORE = env_int("ISA_PASSWORD_MIN_SCORE", 3, minimum=0, maximum=4)
# A link to set a new password (e-mailed on request) works once, for this long.
PASSWORD_RESET_TIMEOUT = env_int("ISA_PASSWORD_RESET_MINUTES", 60, minimum=5, maximum=1440) * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor authentication: TOTP for everyone who wants it; required in production for
# everyone who holds a role (they all see names or data about people) and for administrators.
ISA_REQUIRE_2FA = env_bool("ISA_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = env_str("ISA_OTP_ISSUER", "ISA")

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env_int("ISA_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ISA_LOCKOUT_MINUTES", 15, minimum=1))
# Lock the account, not the address: a whole team behind one office address must not be
# locked out by a colleague's typos (docs/decisions.md).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field, which holds the e-mail
AXES_USERNAME_CALLABLE = "isa.core.access.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "isa.core.views.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("ISA_PROXY_COUNT", 0, minimum=0)

# Sessions: in the database (stateless app servers), short idle time, closed with the browser.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("ISA_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# The idle timeout slides: isa.core.middleware.SessionRefreshMiddleware writes the session
# at most once a minute instead of on every request (SESSION_SAVE_EVERY_REQUEST).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# -- security headers --------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Served over HTTPS (behind nginx or another TLS proxy): the production default.  Turned off
# only for a local demo on http://127.0.0.1 (`make run`).
ISA_HTTPS = env_bool("ISA_HTTPS", not DEBUG)
if ISA_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("ISA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ISA_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("ISA_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
# The load balancer probes the app server itself over plain HTTP: /healthz is never redirected
# (it answers {"status": "ok"} and nothing else, no cookie, no personal data).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # lockout by account, see AXES_LOCKOUT_PARAMETERS
if ISA_HTTPS and not SECURE_HSTS_PRELOAD:
    # Preloading is a commitment for the whole domain, left to the operator (README).
    SILENCED_SYSTEM_CHECKS.append("security.W021")

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
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# -- language, time, formats -------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("ISA_TIME_ZONE", "Europe/Zurich")
FORMAT_MODULE_PATH = ["isa.formats"]


def _check_time_zone(name: str) -> None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"ISA_TIME_ZONE is not a known time zone: {name!r}") from None


_check_time_zone(TIME_ZONE)

# -- static and media --------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"  # never served directly: private files go through views
# Uploaded files and their folders are readable by the application's user only (the SQLite
# file too: isa.privacy.files); a backup or a research key likewise.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# -- e-mail ------------------------------------------------------------------------------------

globals().update(env_email("ISA_EMAIL_URL", "console://"))
DEFAULT_FROM_EMAIL = env_str("ISA_EMAIL_FROM", "ISA <isa@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# -- ISA -------------------------------------------------------------------------------------

# The address of the site, for links in e-mails (the watch's daily digest).
ISA_SITE_URL = env_str("ISA_SITE_URL", "").rstrip("/")
# Funders' reports suppress every cell smaller than this (SECURITY.md, rule 10).
ISA_MIN_CELL_SIZE = env_int("ISA_MIN_CELL_SIZE", 5, minimum=1)
# Backups (`isa backup`): encrypted with age to these public keys (age1…, comma-separated),
# so that the server that holds the backups cannot read them.
ISA_BACKUP_RECIPIENTS = env_list("ISA_BACKUP_RECIPIENT", [])
ISA_BACKUP_DIR = env_path("ISA_BACKUP_DIR", VAR_DIR / "backups")
# Where pg_dump and pg_restore live; empty: those of the server's major version under
# /usr/lib/postgresql/<version>/bin, else the ones on the PATH.
ISA_PG_BIN_DIR = env_str("ISA_PG_BIN_DIR", "")
# One secret key per research study (its pseudonyms), outside the database it protects.
ISA_RESEARCH_KEY_DIR = env_path("ISA_RESEARCH_KEY_DIR", VAR_DIR / "research-keys")
# Shown on every page when the database holds the fictional demo.
ISA_DEMO_BANNER = env_bool("ISA_DEMO", DEBUG)
# The HTTP API (docs/api.md): calls per minute for one token (or one signed-in browser), and
# for one address on the public gallery; the longest life of a personal API token, in days.
ISA_API_RATE_LIMIT = env_int("ISA_API_RATE_LIMIT", 120, minimum=1)
ISA_API_PUBLIC_RATE_LIMIT = env_int("ISA_API_PUBLIC_RATE_LIMIT", 60, minimum=1)
ISA_API_TOKEN_MAX_DAYS = env_int("ISA_API_TOKEN_MAX_DAYS", 365, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_403": {"()": "isa.core.logs.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ISA_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # A refused page (403) is one line, not a traceback.
        "django.request": {"filters": ["one_line_403"]},
    },
}

# The participant's space: a short idle time (shared tablets), and how long a printed
# invitation's code stays valid.
ISA_PORTAL_IDLE_MINUTES = env_int("ISA_PORTAL_IDLE_MINUTES", 10, minimum=1)
ISA_PORTAL_INVITATION_DAYS = env_int("ISA_PORTAL_INVITATION_DAYS", 14, minimum=1, maximum=90)
