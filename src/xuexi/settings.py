"""The one settings module of xuexi: everything comes from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from xuexi.config import env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

# development | demo | test | production
XUEXI_ENV = env_str("XUEXI_ENV", "development")
if XUEXI_ENV not in {"development", "demo", "test", "production"}:
    raise ImproperlyConfigured(
        f"XUEXI_ENV 应为 development、demo、test 或 production，实际为 {XUEXI_ENV!r}"
    )
PRODUCTION = XUEXI_ENV == "production"
DEMO = XUEXI_ENV == "demo"


def _secret(name: str, development_default: str) -> str:
    """Secrets have development defaults only outside production."""
    if PRODUCTION:
        return env_str(name)
    return env_str(name, development_default)


SECRET_KEY = _secret("XUEXI_SECRET_KEY", "development-only-secret-key-not-for-production-use-0000")
# SM4 takes a 128-bit key: 32 hexadecimal characters.
XUEXI_FIELD_KEY = _secret("XUEXI_FIELD_KEY", "00112233445566778899aabbccddeeff")
XUEXI_INDEX_KEY = _secret("XUEXI_INDEX_KEY", "ffeeddccbbaa99887766554433221100")
DEBUG = env_bool("XUEXI_DEBUG", XUEXI_ENV == "development")

DATA_DIR = env_path("XUEXI_DATA_DIR", PROJECT_DIR / "var")
ALLOWED_HOSTS = env_list("XUEXI_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("XUEXI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "xuexi.accounts",
    "xuexi.orgs",
    "xuexi.people",
    "xuexi.learning",
    "xuexi.norms",
    "xuexi.notices",
    "xuexi.library",
    "xuexi.exams",
    "xuexi.outcomes",
    "xuexi.studyreports",
    "xuexi.reports",
    "xuexi.supervision",
    "xuexi.assessment",
    "xuexi.mylearning",
    "xuexi.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xuexi.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xuexi.accounts.middleware.AuditContextMiddleware",
    "xuexi.accounts.middleware.SignInRateLimitMiddleware",
    "xuexi.accounts.middleware.ScopeMiddleware",
    "xuexi.accounts.middleware.SessionTimeoutMiddleware",
    "xuexi.accounts.middleware.SignInStepsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "xuexi.web.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xuexi.urls"
WSGI_APPLICATION = "xuexi.wsgi.application"

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
                "xuexi.web.context.platform",
                "xuexi.web.context.notices",
            ],
        },
    }
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or f"sqlite:///{DATA_DIR / 'xuexi.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
XUEXI_PASSWORD_MIN_LENGTH = env_int("XUEXI_PASSWORD_MIN_LENGTH", 8)
XUEXI_ADMIN_PASSWORD_MIN_LENGTH = env_int("XUEXI_ADMIN_PASSWORD_MIN_LENGTH", 12)
XUEXI_PASSWORD_CHARACTER_CLASSES = env_int("XUEXI_PASSWORD_CHARACTER_CLASSES", 3)
# Administrators change their password every N days (0: never) and may not reuse the last M.
XUEXI_ADMIN_PASSWORD_MAX_AGE_DAYS = env_int("XUEXI_ADMIN_PASSWORD_MAX_AGE_DAYS", 90)
XUEXI_PASSWORD_HISTORY = env_int("XUEXI_PASSWORD_HISTORY", 5)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "display_name")}},
    {"NAME": "xuexi.accounts.passwords.LengthValidator"},
    {"NAME": "xuexi.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sign-in failures: XUEXI_LOCKOUT_FAILURES within XUEXI_LOCKOUT_WINDOW_MINUTES lock the
# account for XUEXI_LOCKOUT_MINUTES (django-axes, by user name, unknown names alike).
XUEXI_LOCKOUT_FAILURES = env_int("XUEXI_LOCKOUT_FAILURES", 5)
XUEXI_LOCKOUT_WINDOW_MINUTES = env_int("XUEXI_LOCKOUT_WINDOW_MINUTES", 15)
XUEXI_LOCKOUT_MINUTES = env_int("XUEXI_LOCKOUT_MINUTES", 30)
AXES_ENABLED = env_bool("XUEXI_LOCKOUT_ENABLED", True)
AXES_FAILURE_LIMIT = XUEXI_LOCKOUT_FAILURES
AXES_COOLOFF_TIME = "xuexi.accounts.lockout.cool_off_time"
# By user name only: locking an address would lock a whole office behind one NAT. Addresses are
# rate-limited instead (XUEXI_SIGN_IN_RATE_PER_MINUTE), so axes' warning about it is silenced.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
XUEXI_SIGN_IN_RATE_PER_MINUTE = env_int("XUEXI_SIGN_IN_RATE_PER_MINUTE", 20)
AXES_LOCKOUT_CALLABLE = "xuexi.accounts.lockout.locked_out_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "token", "otp_token"]
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Second factor for every administrator role (系统/安全/审计管理员, 组织管理员).
XUEXI_OTP_REQUIRED_FOR_ADMINS = env_bool("XUEXI_OTP_REQUIRED_FOR_ADMINS", True)
OTP_TOTP_ISSUER = "xuexi 学习型党组织建设平台"

XUEXI_SESSION_IDLE_MINUTES = env_int("XUEXI_SESSION_IDLE_MINUTES", 30)
XUEXI_SESSION_MAX_HOURS = env_int("XUEXI_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = XUEXI_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "xuexi_session"
CSRF_COOKIE_NAME = "xuexi_csrftoken"

XUEXI_AUDIT_RETENTION_DAYS = env_int("XUEXI_AUDIT_RETENTION_DAYS", 180)
if XUEXI_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("XUEXI_AUDIT_RETENTION_DAYS 不得少于 180 天（网络安全法第二十一条）")

LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "media"

# Production transport security (manage.py check --deploy clean).
SECURE_HSTS_SECONDS = env_int("XUEXI_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("XUEXI_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("XUEXI_BEHIND_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
XUEXI_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

EMAIL_HOST = env_str("XUEXI_EMAIL_HOST", "")
EMAIL_PORT = env_int("XUEXI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("XUEXI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("XUEXI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("XUEXI_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("XUEXI_EMAIL_FROM", "xuexi@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Bootstrap names the error colour "danger".
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR
XUEXI_PAGE_SIZE = env_int("XUEXI_PAGE_SIZE", 50)
# Exchange files uploaded through the pages, and imported by `xuexi import` on the server.
XUEXI_IMPORT_MAX_BYTES = env_int("XUEXI_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
XUEXI_IMPORT_MAX_CELLS = env_int("XUEXI_IMPORT_MAX_CELLS", 2_000_000)
XUEXI_CLI_IMPORT_MAX_BYTES = env_int("XUEXI_CLI_IMPORT_MAX_BYTES", 512 * 1024 * 1024)
XUEXI_CLI_IMPORT_MAX_CELLS = env_int("XUEXI_CLI_IMPORT_MAX_CELLS", 60_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = XUEXI_IMPORT_MAX_BYTES + 1024 * 1024
XUEXI_API_TOKEN_DAYS = env_int("XUEXI_API_TOKEN_DAYS", 90)
# Files kept with activities (minutes, sign-in sheets, photos, slides).
XUEXI_ATTACHMENT_MAX_BYTES = env_int("XUEXI_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("XUEXI_LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}},
}
