"""Settings for legalaid, read from the environment (12-factor, as cookiecutter-django does).

Production defaults are safe: DEBUG is off unless asked for, cookies are secure, and
the secret key must be given. `make run` and `make test` set the development values.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from legalaid import __version__

BASE_DIR = Path(__file__).resolve().parent.parent
APP_VERSION = __version__  # shown in the footer (core.context_processors)

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DEBUG", default=False)
# Tests and `make run` serve plain http on loopback; production must not. `make run` keeps DEBUG off (the
# Chinese 404/403/500 pages, not Django's technical ones) and says PLAIN_HTTP=1 for cookies without https
# and static files served by WhiteNoise from the source folders.
PLAIN_HTTP = DEBUG or env.bool("TESTING", default=False) or env.bool("PLAIN_HTTP", default=False)
SECRET_KEY = env("SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key-change-me")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The project's own apps come first: their templates and, above all, their translation catalogues
# take precedence over those of Django and third-party apps (Django's "过滤器" must not replace our "筛选").
INSTALLED_APPS = [
    "accounts",
    "core",
    "stations",
    "applicants",
    "intake",
    "cases",
    "funding",
    "publicity",
    "reports",
    "ledger",
    "notifications",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "accounts.apps.AxesConfig",  # django-axes, named for the admin index
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    # First: /healthz answers whatever the Host header (the compose probe asks for 127.0.0.1:8000,
    # which is not in ALLOWED_HOSTS in production) and is never redirected to https.
    "core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.input_guard.QueryGuardMiddleware",  # control characters out of queries; no 500 from a query value
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionRenewalMiddleware",  # the idle timeout moved on at most once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A reset password must be changed, and a role that needs a second factor must enrol, before anything else.
    "accounts.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "legalaid.urls"
WSGI_APPLICATION = "legalaid.wsgi.application"
ASGI_APPLICATION = "legalaid.asgi.application"

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
                "django.template.context_processors.i18n",
                "core.context_processors.shell",
            ],
            # {% csrf_token %} with the form's own number (core.flow: a form sent twice saves once); {% url %}
            # with each address kept once made
            "builtins": ["core.templatetags.form_once", "core.templatetags.url_memo"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://legalaid:legalaid@127.0.0.1:5432/legalaid")}
if DATABASES["default"].get("HOST", "").startswith("%2F"):  # a unix socket folder, percent-encoded
    from urllib.parse import unquote

    DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before reuse, so a PostgreSQL restart costs at most one failed request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT: it compiles every query that looks costly (150 ms for a search on a province's cases) and pays
# only for long analytical scans, which this site does not run in a request.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if env("TEST_DB_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DB_NAME")}
# A streaming replica for reports, dashboards, figure lists and exports (core.replica); writes never go there.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].update(ATOMIC_REQUESTS=False, CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
                                CONN_HEALTH_CHECKS=True, TEST={"MIRROR": "default"},
                                OPTIONS={"options": "-c jit=off", **DATABASES["replica"].get("OPTIONS", {})})
READ_FROM_REPLICA = env.bool("READ_FROM_REPLICA", default=True)
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Roles whose users must log in with a TOTP code (accounts): on in production for the accounts that see
# everything, off for `make run` and the tests unless set (e.g. OTP_REQUIRED_ROLES=director,administrator).
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[] if PLAIN_HTTP else ["director", "administrator"])
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="法律援助")
# "Forgot password" by e-mail (Django's password reset views): offered only where mail is configured.
PASSWORD_RESET_BY_EMAIL = env.bool("PASSWORD_RESET_BY_EMAIL", default=bool(env("EMAIL_HOST", default="")))
# Django's mail settings from the environment (password reset links; notifications later).
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="webmaster@localhost")

# Notifications (notifications/channels.py): SMS through an HTTP gateway of the kind Chinese SMS services offer
# (a signed template message); off without SMS_GATEWAY_URL. SITE_URL makes the links in e-mails absolute.
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_KEY = env("SMS_GATEWAY_KEY", default="")
SMS_SIGN_NAME = env("SMS_SIGN_NAME", default="")
SMS_TEMPLATE_CODE = env("SMS_TEMPLATE_CODE", default="")
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=5.0)
SMS_GATEWAY_CLASS = env("SMS_GATEWAY_CLASS", default="notifications.channels.SmsGateway")
SITE_URL = env("SITE_URL", default="")

# Lock out after 5 failed logins for an hour, per username and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy every request comes from the proxy's address: name the proxies (addresses or
# networks, comma-separated) and the client's address is read from X-Forwarded-For, past the trusted
# hops only. Without TRUSTED_PROXIES the header is ignored, so a client cannot pose as another address.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"

# Sessions end after inactivity (default 2 hours), renewed while in use (at most one write a minute).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False  # core.middleware.SessionRenewalMiddleware renews it, once a minute:
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["legalaid.formats"]  # dates as 2026-12-02 wherever Django formats one itself

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not PLAIN_HTTP
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files and built reports live outside the web root and are served
# only through views that check permission (DOMAIN.md §13). No MEDIA_URL is routed.
MEDIA_ROOT = Path(env("PRIVATE_FILES_ROOT", default=str(BASE_DIR / ".data" / "files")))
MEDIA_URL = "/files-not-served/"
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_ALLOWED_EXTENSIONS = env.list(
    "UPLOAD_ALLOWED_EXTENSIONS",
    default=["pdf", "jpg", "jpeg", "png", "gif", "doc", "docx", "xls", "xlsx"],
)
LEDGER_MAX_BYTES = env.int("LEDGER_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body read at all (core.input_guard, answered 413 before it is read): a few uploads at once,
# and 1 MB without a session cookie (a login form).
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=max(5 * UPLOAD_MAX_BYTES, LEDGER_MAX_BYTES) + 1024 * 1024)
ANONYMOUS_MAX_BYTES = env.int("ANONYMOUS_MAX_BYTES", default=1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Selects rendered in Python (core/forms_renderer.py): thousands of handlers or stations in a filter.
FORM_RENDERER = "core.forms_renderer.FastSelectRenderer"

# Celery: Redis in production and tests. `make run` without REDIS_URL uses a
# SQLAlchemy-free filesystem broker so nothing extra has to run locally.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
# Caches: "default" is per process; "shared" (the navigation's to-do counts, core.counts) is Redis when there is
# one, so a write seen by one web server clears the counts of all.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": ({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                # One Redis may serve several installations (a county's and the bench's): each database its own keys.
                "KEY_PREFIX": f"legalaid:{DATABASES['default']['NAME']}",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
               if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}),
}
COUNTS_CACHE_SECONDS = env.int("COUNTS_CACHE_SECONDS", default=60)
# Dashboard and home figures after a change: the earlier ones are served this long at most (core.counts).
FIGURES_SETTLE_SECONDS = env.int("FIGURES_SETTLE_SECONDS", default=30)
# … and kept this long without a view, served at once and made afresh beside the page (core.counts).
FIGURES_KEEP_SECONDS = env.int("FIGURES_KEEP_SECONDS", default=24 * 60 * 60)
if CELERY_BROKER_URL == "filesystem://":
    _queue = BASE_DIR / ".data" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=f"file://{BASE_DIR / '.data' / 'results'}")
else:
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or CELERY_BROKER_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Durable jobs (core/jobs.py): a message is acknowledged when the job is done, one at a time per process, and
# a request never waits long on a broker that is down (the job stays queued; the sweeper sends it later).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
JOBS_HEARTBEAT_SECONDS = env.int("JOBS_HEARTBEAT_SECONDS", default=10)
JOBS_STALE_SECONDS = env.int("JOBS_STALE_SECONDS", default=60)  # no heartbeat for this long: the worker died
JOBS_REDISPATCH_SECONDS = env.int("JOBS_REDISPATCH_SECONDS", default=60)  # queued, not started: send again
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=3)
JOBS_SWEEP_SECONDS = env.int("JOBS_SWEEP_SECONDS", default=30)
JOBS_DRILL_PAUSE_SECONDS = env.float("JOBS_DRILL_PAUSE_SECONDS", default=0)  # fault drills only
REPORT_FILES_KEEP_DAYS = env.int("REPORT_FILES_KEEP_DAYS", default=180)  # a submitted version's: for good
LEDGER_FILES_KEEP_DAYS = env.int("LEDGER_FILES_KEEP_DAYS", default=90)
# A list export over this many rows is built in the background (ledger.exports); its file is kept this long.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=5000)
EXPORT_FILES_KEEP_DAYS = env.int("EXPORT_FILES_KEEP_DAYS", default=7)
LEDGER_DRILL_PAUSE_BEFORE_COMMIT = env.float("LEDGER_DRILL_PAUSE_BEFORE_COMMIT", default=0)  # fault drills only

# Security: production-safe unless DEBUG.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not PLAIN_HTTP)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not PLAIN_HTTP)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not PLAIN_HTTP)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if PLAIN_HTTP else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not PLAIN_HTTP
SECURE_HSTS_PRELOAD = not PLAIN_HTTP
WHITENOISE_USE_FINDERS = PLAIN_HTTP
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp 4): scripts only from our own static files (no inline script, no
# inline event handler). Styles allow 'unsafe-inline': print pages, progress bars and the admin use
# style attributes and <style> blocks, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

CENTER_NAME = env("CENTER_NAME", default="示范县法律援助中心")
CENTER_ABBR = env("CENTER_ABBR", default="示")

# Periodic jobs (synced into django-celery-beat's tables when beat starts).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {"task": "core.sweep_jobs", "schedule": float(JOBS_SWEEP_SECONDS)},
    # The dashboard's and the workbench's county figures, kept no older than this (reports.home.warm_figures).
    "warm-figures": {"task": "reports.warm_figures", "schedule": float(env.int("FIGURES_WARM_SECONDS", default=300))},
    "expire-report-files": {"task": "reports.expire_files", "schedule": crontab(hour=3, minute=10)},
    "expire-ledger-files": {"task": "ledger.expire_files", "schedule": crontab(hour=3, minute=20)},
    "expire-export-files": {"task": "ledger.expire_exports", "schedule": crontab(hour=3, minute=30)},
    # The numbers of forms sent more than a week ago (core.flow: a form sent twice saves once).
    "expire-form-tokens": {"task": "core.expire_form_tokens", "schedule": crontab(hour=3, minute=40)},
    "deem-withdrawn-daily": {"task": "intake.deem_withdrawn_daily", "schedule": crontab(hour=1, minute=10)},
    # The scan also sends everyone's morning digest (notifications), so it runs at the start of the working day.
    "scan-deadlines-daily": {"task": "cases.scan_deadlines_daily", "schedule": crontab(hour=7, minute=30)},
    # E-mail and SMS that a broker outage kept from being queued (notifications).
    "notifications-catch-up": {"task": "notifications.catch_up", "schedule": crontab(minute="*/10")},
    # Daily: the half-year report from 1 July, last year's from 1 January, made up within a month when the
    # day itself was missed (reports.services.scheduled_reports builds each once).
    "scheduled-reports": {"task": "reports.scheduled_reports", "schedule": crontab(hour=2, minute=0)},
}
