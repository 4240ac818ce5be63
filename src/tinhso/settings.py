"""One settings module, driven by the environment.

Every variable is documented in docs/operations.md. Defaults are safe for a single machine:
SQLite in ``var/``, a secret key generated once and kept in ``var/``, DEBUG off.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
# The project checkout (src/tinhso/.. /..); var/ lives there unless TINHSO_VAR_DIR says otherwise.
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TINHSO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Create exclusively so that two processes starting together agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "tinhso.core",
    "tinhso.accounts",
    "tinhso.audit",
    "tinhso.units",
    "tinhso.calendars",
    "tinhso.programme",
    "tinhso.documents",
    "tinhso.procedures",
    "tinhso.portalsync",
    "tinhso.payments",
    "tinhso.reports",
    "tinhso.transparency",
    "tinhso.indicators",
    "tinhso.scoring",
    "tinhso.web",
    "tinhso.dashboard",
    "tinhso.demo",
    "tinhso.ops",
    "tinhso.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every response.
    "csp.middleware.CSPMiddleware",
    "tinhso.core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tinhso.core.middleware.LanguageMiddleware",
    # Before any view or query: a NUL in the path, a parameter, a form field, a cookie or an
    # API's JSON body is a 400/422 naming the field (PostgreSQL refuses NUL in text).
    "tinhso.core.middleware.InputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tinhso.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # ?export=xlsx / ?export=pdf on any page: the page as its user sees it, as a file.
    "tinhso.core.page_export.PageExportMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tinhso.urls"
WSGI_APPLICATION = "tinhso.wsgi.application"
ASGI_APPLICATION = "tinhso.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tinhso.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'tinhso.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that needs no round trip (core/pgbackend).
    DATABASES["default"]["ENGINE"] = "tinhso.core.pgbackend"
    # Statements through core.db.bound_cursor are prepared after this many runs on a connection
    # (empty: never, for a pooler that cannot keep prepared statements).
    _prepare = os.environ.get("DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(_prepare) if _prepare else None)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL and a busy timeout let the web server and a command line share the file.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The API takes a dossier's documents base64 in JSON (a third larger than the files): room for
# about 18 MB of documents. Multipart uploads from the web pages stream to disk and are not
# counted here; each file is still capped at 10 MB (core/uploads.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 25 * 1024 * 1024))
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a throttled login before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"  # the landing page ("My page"); a safe ?next= wins
LOGOUT_REDIRECT_URL = "web:home"

# The public dossier look-up (code + phone): after TINHSO_LOOKUP_FAILURE_LIMIT wrong pairs from
# one address, that address waits TINHSO_LOOKUP_COOLOFF_MINUTES (core.throttle). The counters
# are rows of core.ThrottleCounter, shared by all worker processes; each guess takes its slot in
# one conditional UPDATE before it is evaluated, so parallel guesses cannot pass the limit.
TINHSO_LOOKUP_FAILURE_LIMIT = int(os.environ.get("TINHSO_LOOKUP_FAILURE_LIMIT", "10"))
TINHSO_LOOKUP_COOLOFF_MINUTES = int(os.environ.get("TINHSO_LOOKUP_COOLOFF_MINUTES", "15"))
# Token, procedure and agency lookups kept per process (core.memo): how many seconds a change
# made in another process may take to be seen (0: no caching).
TINHSO_LOOKUP_CACHE_SECONDS = float(os.environ.get("TINHSO_LOOKUP_CACHE_SECONDS", "30"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                 "LOCATION": "tinhso_throttle"},
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tinhso.core.http.client_ip"
# How many reverse proxies stand in front and append to X-Forwarded-For (0: none, trust
# REMOTE_ADDR). Used for login throttling and the addresses in the audit log.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_VERBOSE = False

# Two-factor sign-in (django-otp; accounts.permissions.requires_second_factor says who): staff who
# approve or administer must enrol a TOTP authenticator and give a code after the password.
TINHSO_REQUIRE_2FA = env_bool("TINHSO_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "tinhso"
# Wrong codes: each failure doubles the wait before the next try (1 s, 2 s, 4 s, ...).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Vietnamese first, English available; the choice is kept in a cookie for a year.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["tinhso.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# No address of ours (a dossier's code is in its URL) goes to another site in a Referer; a page
# opened from another site shares no window with it.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page uses, switched off (core.headers.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                      "serial=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), "
                      "accelerometer=(), display-capture=(), browsing-topics=()")

# Content-Security-Policy (django-csp 4): scripts, styles, images, fonts and requests from the
# site itself only; no inline script or style, no eval (htmx's allowEval is off, base.html), no
# plugin, no framing, forms post to the site. A page that truly needs an inline script gives it
# the nonce {{ request.csp_nonce }} and its view adds csp.constants.NONCE to script-src with
# @csp_update. TINHSO_CSP_REPORT_ONLY=true sends the same policy as
# Content-Security-Policy-Report-Only (browsers report, block nothing: to try a change);
# TINHSO_CSP_REPORT_URI is where browsers post what they blocked (or would have).
_CSP_DIRECTIVES: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if os.environ.get("TINHSO_CSP_REPORT_URI"):
    _CSP_DIRECTIVES["report-uri"] = [os.environ["TINHSO_CSP_REPORT_URI"]]
CONTENT_SECURITY_POLICY: dict[str, object] | None = {"DIRECTIVES": _CSP_DIRECTIVES}
CONTENT_SECURITY_POLICY_REPORT_ONLY: dict[str, object] | None = None
if env_bool("TINHSO_CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = None, CONTENT_SECURITY_POLICY
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where the file back-end writes each e-mail (EMAIL_BACKEND=...filebased.EmailBackend).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# Background jobs (Django's Tasks API): a database queue worked by `tinhso worker` (db_worker
# that waits for the database: tinhso.ops.worker).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The worker's longest wait between two tries to reach a database that is down (it waits 1, 2,
# 4... seconds up to this), and how long a task may wait, ready, before /healthz/worker is 503.
TINHSO_WORKER_BACKOFF_MAX_SECONDS = float(os.environ.get("TINHSO_WORKER_BACKOFF_MAX_SECONDS",
                                                         "30"))
TINHSO_WORKER_LATE_SECONDS = float(os.environ.get("TINHSO_WORKER_LATE_SECONDS", "300"))
# A worker with no heartbeat for this long is dead (killed, out of memory, its machine
# rebooted): the tasks it was running go back to the queue (tinhso.ops.liveness).
TINHSO_WORKER_DEAD_SECONDS = float(os.environ.get("TINHSO_WORKER_DEAD_SECONDS", "60"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tinhso@localhost")
# Names this installation in the Message-ID of each notification e-mail
# (<notification-ID.INSTANCE@domain of DEFAULT_FROM_EMAIL>): set it apart when several
# installations send from one mail domain.
TINHSO_INSTANCE = os.environ.get("TINHSO_INSTANCE", "tinhso")
# How long the publication of an agency's dossier statistics into indicators waits after a
# change, so that the changes made meanwhile are published together (0: at once).
TINHSO_PUBLISH_DELAY_SECONDS = float(os.environ.get("TINHSO_PUBLISH_DELAY_SECONDS", "10"))
# How long the delivery of the applicants' notifications waits after the first message written,
# so that the messages written meanwhile go in the same batch (0: at once).
TINHSO_NOTIFY_DELAY_SECONDS = float(os.environ.get("TINHSO_NOTIFY_DELAY_SECONDS", "1"))
# The notification connectors switched on, by name (e-mail is built in; an SMS or Zalo connector
# registers itself with procedures.notifications.register and is named here).
TINHSO_NOTIFY = env_list("TINHSO_NOTIFY", "email")

# Synchronising dossiers with the National Public Service Portal (tinhso.portalsync): the
# connector switched on ("http" when a URL is set; "fake" for the demo; empty: off, nothing is
# sent and the Decision 766 synchronisation item has no source), the portal's address and
# credentials, how long one call may take, how long the sender waits for the updates written
# meanwhile, the longest back-off between two attempts of a failing update, and how soon after
# an event the portal must have it for the dossier to count as synchronised in real time.
TINHSO_PORTAL_URL = os.environ.get("TINHSO_PORTAL_URL", "")
TINHSO_PORTAL = os.environ.get("TINHSO_PORTAL", "http" if TINHSO_PORTAL_URL else "")
TINHSO_PORTAL_USER = os.environ.get("TINHSO_PORTAL_USER", "")
TINHSO_PORTAL_PASSWORD = os.environ.get("TINHSO_PORTAL_PASSWORD", "")
TINHSO_PORTAL_TOKEN = os.environ.get("TINHSO_PORTAL_TOKEN", "")
TINHSO_PORTAL_TIMEOUT_SECONDS = float(os.environ.get("TINHSO_PORTAL_TIMEOUT_SECONDS", "10"))
TINHSO_PORTAL_DELAY_SECONDS = float(os.environ.get("TINHSO_PORTAL_DELAY_SECONDS", "1"))
TINHSO_PORTAL_RETRY_MAX_SECONDS = float(os.environ.get("TINHSO_PORTAL_RETRY_MAX_SECONDS", "900"))
TINHSO_PORTAL_REAL_TIME_SECONDS = float(os.environ.get("TINHSO_PORTAL_REAL_TIME_SECONDS",
                                                       "3600"))
# Online payment of dossiers' fees (tinhso.payments): the national payment platform's address,
# this installation's merchant code there and the secret both sides sign their messages with
# (HMAC-SHA256); or, for the demo, the illustrative fake gateway inside the platform.
TINHSO_PAYMENT_GATEWAY = os.environ.get("TINHSO_PAYMENT_GATEWAY", "national")
TINHSO_PAYMENT_URL = os.environ.get("TINHSO_PAYMENT_URL", "")
TINHSO_PAYMENT_MERCHANT = os.environ.get("TINHSO_PAYMENT_MERCHANT", "")
TINHSO_PAYMENT_SECRET = os.environ.get("TINHSO_PAYMENT_SECRET", "")
TINHSO_PAYMENT_FAKE_GATEWAY = env_bool("TINHSO_PAYMENT_FAKE_GATEWAY", False)

# The province this installation serves (its code in units): the home page's subject.
TINHSO_HOME_UNIT = os.environ.get("TINHSO_HOME_UNIT", "56")

# The public transparency portal and open data (tinhso.transparency): a count of people below
# this is shown as "<5" and any rate computed from it is not shown; the computed figures of a
# portal page are kept this many seconds per language (0: computed on every request).
TINHSO_PUBLIC_MIN_COUNT = int(os.environ.get("TINHSO_PUBLIC_MIN_COUNT", "5"))
TINHSO_PUBLIC_CACHE_SECONDS = int(os.environ.get("TINHSO_PUBLIC_CACHE_SECONDS", "300"))

# How long a web request may spend reading an uploaded spreadsheet (core.xlsx_zip
# .upload_limits): below gunicorn's worker timeout (30 s), so a slow file gets a clear
# refusal, not a killed worker. The command line allows 120 s.
TINHSO_UPLOAD_SECONDS = float(os.environ.get("TINHSO_UPLOAD_SECONDS", "20"))

# PDF signatures of the document office (tinhso.documents.signing): the certificates an arriving
# document's signature must chain to (files or directories of PEM/DER certificates,
# colon-separated; empty: no signature is trusted, intact ones show as "not trusted"), and the
# organisation's private key, its certificate (the file may go on with the CA chain) and the
# key's passphrase for signing outgoing documents (empty key or certificate: no signing).
TINHSO_DOCUMENT_TRUST_ROOTS = [path.strip() for path in
                               os.environ.get("TINHSO_DOCUMENT_TRUST_ROOTS", "").split(":")
                               if path.strip()]
TINHSO_DOCUMENT_SIGNING_KEY = os.environ.get("TINHSO_DOCUMENT_SIGNING_KEY", "")
TINHSO_DOCUMENT_SIGNING_CERT = os.environ.get("TINHSO_DOCUMENT_SIGNING_CERT", "")
TINHSO_DOCUMENT_SIGNING_PASSPHRASE = os.environ.get("TINHSO_DOCUMENT_SIGNING_PASSPHRASE", "")

# Document exchange with other agencies (tinhso.documents.exchange): the connector that carries
# edXML packages and their statuses ("": off; "filedrop": directories under
# TINHSO_DOCUMENT_EXCHANGE_DIR, shared by the installations that exchange; "fake": in memory, for
# the tests; or one registered with tinhso.documents.connectors.register).
TINHSO_DOCUMENT_EXCHANGE = os.environ.get("TINHSO_DOCUMENT_EXCHANGE", "")
TINHSO_DOCUMENT_EXCHANGE_DIR = os.environ.get("TINHSO_DOCUMENT_EXCHANGE_DIR", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # pyHanko logs a traceback at WARNING for every signature it cannot trust or finds altered;
    # what it found is kept with the document (documents.signing), so only its errors are logged.
    "loggers": {"axes": {"level": "WARNING"}, "pyhanko": {"level": "ERROR"},
                "pyhanko_certvalidator": {"level": "ERROR"}},
}
