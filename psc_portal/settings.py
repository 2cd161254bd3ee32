"""Settings for PSC Portal, read from the environment (documented in README and .env.example).

Read top to bottom by concern: the environment and its safety checks, the apps and the request
pipeline, templates, data, sign-in, HTTPS and headers, caching, files, e-mail and logging.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from psc_portal.env import env_bool, env_int, env_list, env_str
from psc_portal.production import (
    cache_settings,
    content_security_policy,
    database_options,
    logging_settings,
    media_storage,
    site_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# --- The environment ----------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=False)

_INSECURE_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", default=_INSECURE_KEY if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

# Production refuses to start on a development key or without host names.
if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "DEBUG is off: set SECRET_KEY to a random value of at least 32 characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG is off: set ALLOWED_HOSTS (comma-separated host names).")

# The collaborative whose portal this is; the site holds the national picture around it.
HOME_COLLABORATIVE = env_str("HOME_COLLABORATIVE", default="wessex")
SITE_NAME = env_str("SITE_NAME", default="Patient Safety Collaborative")
# Links and names in e-mails come from here, not from the request's Host header, which a
# stranger chooses (ALLOWED_HOSTS checks the name, not the port).
SITE_URL = site_url(env_str("SITE_URL", default=""), debug=DEBUG, allowed_hosts=ALLOWED_HOSTS)
# Months after publication or the last review by which content is due another review.
REVIEW_INTERVAL_MONTHS = env_int("REVIEW_INTERVAL_MONTHS", 24)

# --- Apps, in layers: infrastructure and libraries, the shared core, content, staff, pages ---
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "import_export",
    "csp",
    "corsheaders",
    "core",
    "collaboratives",
    "programmes",
    "measures",
    "casestudies",
    "resources",
    "postcodes",
    "events",
    "backoffice",
    "contact",
    "redirects",
    "search",
    "api",
    "alerts",
    "huey.contrib.djhuey",
    "pages",
]

# Order matters: the request id wraps everything so every log line carries it; health probes
# answer before host checks and redirects; security headers and CSP are added to every
# answer, stored pages included; conditional GET sees the final headers; the page cache
# answers anonymous visitors before anything below does work, and stores pages compressed;
# the outage page catches a database failure anywhere below it (the redirect fallback
# included).
MIDDLEWARE = [
    "psc_portal.logs.RequestIdMiddleware",
    "psc_portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "psc_portal.security.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.ApiRateLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "psc_portal.caching.PageCacheMiddleware",
    "core.compression.CompressionMiddleware",
    "psc_portal.caching.PublicCacheMiddleware",
    "psc_portal.health.DatabaseUnavailableMiddleware",
    # Before sessions and every view: a NUL in the request never reaches a database query.
    "core.nulbytes.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Acts only on a 404 (no page answered): old addresses → their new page.
    "redirects.middleware.RedirectFallbackMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "backoffice.middleware.StaffMFARequiredMiddleware",
]

ROOT_URLCONF = "psc_portal.urls"
WSGI_APPLICATION = "psc_portal.wsgi.application"

# --- Templates -----------------------------------------------------------------------------
# Jinja first: it only answers for *.jinja names and the error pages (see psc_portal/jinja2.py),
# so the admin and allauth's Django templates fall through to the Django engine.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "psc_portal.jinja2.environment",
            "extensions": [
                "core.jinja2.RichTextExtension",
                "core.jinja2.FragmentExtension",
                "measures.jinja2.MeasuresExtension",
            ],
            "context_processors": ["pages.context_processors.public_site"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# --- Database ------------------------------------------------------------------------------
# Unset DATABASE_URL means the quick-start SQLite file under var/ (git-ignored).
DATABASE_URL = env_str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Persistent connections that fail fast: connect timeout and a server-side statement timeout.
# A web request gives up on a database that stays silent this many seconds (gunicorn.conf.py
# installs server.dbtimeout in each worker; TCP keepalives cover every process).
DATABASE_QUERY_WAIT_SECONDS = env_int("DATABASE_QUERY_WAIT_SECONDS", 5)
if USING_POSTGRES:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        database_options(
            connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5),
            statement_timeout_ms=env_int("DATABASE_STATEMENT_TIMEOUT", 30_000),
            wait_seconds=DATABASE_QUERY_WAIT_SECONDS,
        )
    )
# Seconds a visitor is asked to wait when the database is unavailable (Retry-After).
DATABASE_UNAVAILABLE_RETRY_AFTER = env_int("DATABASE_UNAVAILABLE_RETRY_AFTER", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now; silences the transition warning

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Staff sign-in: allauth with MFA; administrators create the accounts ----------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "admin:index"
ACCOUNT_ADAPTER = "backoffice.adapter.StaffAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # administrators create accounts; reset links prove the inbox
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# Rate limits and one-time TOTP codes use the shared cache (CACHES below).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Accept the code of the 30-second step either side of now: phone clocks drift, and a code
# typed as it changes should not fail (RFC 6238 suggests allowing one step).
MFA_TOTP_TOLERANCE = 1
# allauth refuses MFA for unverified addresses so a stranger cannot sign up with someone
# else's address and lock them out. Here only administrators create accounts, and nobody
# signs in before setting a password from the link e-mailed to that address.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# --- HTTPS, cookies and security headers ---------------------------------------------------
# The scheme a TLS-terminating proxy forwards is believed only when the operator says so.
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe over plain HTTP; the probes answer before the redirect anyway.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: Secure with the __Host- prefix (HTTPS only, no Domain, path /) outside DEBUG.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

CONTENT_SECURITY_POLICY = content_security_policy(
    upgrade_insecure_requests=SECURE_SSL_REDIRECT or SECURE_HSTS_SECONDS > 0
)
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(self), "
    "screen-wake-lock=(), sync-xhr=(), usb=(), xr-spatial-tracking=()"
)

# --- Caching and sessions: Redis when there is one, so app servers share nothing locally ------
# Seconds a shared cache (CDN, proxy) may keep an anonymous public page.
PUBLIC_CACHE_MAX_AGE = env_int("PUBLIC_CACHE_MAX_AGE", 300)
# Seconds the server keeps a rendered anonymous page (0: never). Any change to public content
# replaces them at once; the limit is for what changes by time alone (scheduled items).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Apps whose models are public content: a save, delete or link change in any of them
# invalidates every stored page (core.apps connects the signals).
PUBLIC_CONTENT_APPS = [
    "core",
    "collaboratives",
    "postcodes",
    "programmes",
    "measures",
    "casestudies",
    "resources",
    "events",
]
REDIS_URL = env_str("REDIS_URL", default="")
CACHES = cache_settings(REDIS_URL)
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- The open-data API (/api/): anonymous, read-only, open to scripts on any site ------------
# Requests per client address, as "<number>/<s|m|h|d>"; more get 429 with Retry-After.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", default="60/m")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Link", "Retry-After"]
NINJA_NUM_PROXIES = 0  # never trust X-Forwarded-For for a client address

# --- E-mail alerts and the background worker (huey: `manage.py run_huey`) -------------------
# Links in e-mails the worker sends outside any request use SITE_URL (above).
ALERTS_CONFIRM_DAYS = env_int("ALERTS_CONFIRM_DAYS", 7)
# The queue lives in Redis when there is one (any number of workers); otherwise in an SQLite
# file beside the worker (the quick start, or one worker host): web requests never enqueue,
# only the worker's own scheduler does.
TASK_QUEUE_FILE = Path(env_str("TASK_QUEUE_FILE", default=str(VAR_DIR / "tasks.sqlite3")))
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}}
else:
    TASK_QUEUE_FILE.parent.mkdir(parents=True, exist_ok=True)
    HUEY = {"huey_class": "huey.SqliteHuey", "connection": {"filename": str(TASK_QUEUE_FILE)}}
HUEY |= {
    "name": "psc-portal",
    "immediate": False,  # even in DEBUG: tasks run in the worker, never in a request
    "consumer": {"workers": 2, "worker_type": "thread"},
}

# --- Static files and uploads --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = media_storage(
        bucket=AWS_STORAGE_BUCKET_NAME,
        region=env_str("AWS_S3_REGION_NAME", default=""),
        endpoint_url=env_str("AWS_S3_ENDPOINT_URL", default=""),
    )

# --- History and bulk import/export --------------------------------------------------------
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- E-mail: SMTP when a host is set, else printed to the console ----------------------------
EMAIL_HOST = env_str("EMAIL_HOST", default="")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
# Contact-form messages are personal data: `purge_contact_messages` deletes them after this.
CONTACT_RETENTION_DAYS = env_int("CONTACT_RETENTION_DAYS", 90)

# --- Logging: JSON lines with the request id ----------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = env_str("LOG_FORMAT", default="json")
LOGGING = logging_settings(level=LOG_LEVEL, fmt=LOG_FORMAT)
