"""The one settings module: every value comes from GUANXI_* environment variables (README)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from guanxi.environment import (
    BASE_DIR,
    VAR_DIR,
    embedded_field_keys,
    embedded_secret_key,
    env_bool,
    env_int,
    env_list,
    env_str,
)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = embedded_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
FIELD_KEYS, INDEX_KEY = embedded_field_keys()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "guanxi.core",
    "guanxi.users",
    "guanxi.workspaces",
    "guanxi.audit",
    "guanxi.companies",
    "guanxi.contacts",
    "guanxi.interactions",
    "guanxi.notifications",
    "guanxi.members",
    "guanxi.customfields",
    "guanxi.imports",
    "guanxi.quality",
    "guanxi.assignment",
    "guanxi.leads",
    "guanxi.opportunities",
    "guanxi.tasks",
    "guanxi.analytics",
    "guanxi.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "guanxi.core.request_cache.RequestCacheMiddleware",
    "guanxi.workspaces.middleware.WorkspaceMiddleware",
    "guanxi.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "guanxi.urls"
WSGI_APPLICATION = "guanxi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "guanxi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guanxi.workspaces.context_processors.workspace",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guanxi.sqlite3'}")
# Connections persist so that a request starts with warm caches: a new PostgreSQL session
# spends about 100 ms loading catalog entries on its first queries. The health check replaces a
# connection the server has dropped.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A web request is a short query: parallel workers took 10-15 ms to start and, on a small
    # server busy with other requests, gave searches a slow tail (p95 173 ms against 62 ms
    # without); a JIT compilation costs more than such a query saves. Reports over 500,000
    # deals stay below 300 ms without either (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env_str(
        "POSTGRES_OPTIONS", "-c max_parallel_workers_per_gather=0 -c jit=off"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing with "database is locked".
    # Connections persist (conn_max_age above): a request starts with a warm page cache;
    # mmap lets reads share the operating system's cache instead of copying pages.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=1073741824;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
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
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "guanxi" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static files: assets come from npm (node_modules) and are collected --------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "guanxi" / "static",
    ("vendor/tabler", BASE_DIR / "node_modules" / "@tabler" / "core" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/sortablejs", BASE_DIR / "node_modules" / "sortablejs"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STATICFILES_DIRS = [
    entry
    for entry in STATICFILES_DIRS
    if Path(entry[1] if isinstance(entry, tuple) else entry).exists()
]

# --- mail -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "Guanxi CRM <noreply@localhost>")

# --- security -------------------------------------------------------------------------------
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_AGE", 60 * 60 * 12)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "guanxi.users.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "guanxi.core.api.pagination.RecordCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "guanxi.core.api.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guanxi CRM API",
    "DESCRIPTION": "REST API of Guanxi CRM. Authenticate with `Authorization: Token <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "AuditSourceEnum": "guanxi.audit.choices.AuditSource",
        "SourceEnum": "guanxi.companies.choices.Source",
        "MemberStatusEnum": "guanxi.members.choices.MemberStatus",
        "TransactionKindEnum": "guanxi.members.choices.TransactionKind",
        "PointsKindEnum": "guanxi.members.choices.PointsKind",
        "InteractionStatusEnum": "guanxi.interactions.choices.InteractionStatus",
        "ImportStatusEnum": "guanxi.imports.choices.ImportStatus",
        "ImportTargetEnum": "guanxi.imports.choices.ImportTarget",
        "CandidateStatusEnum": "guanxi.quality.choices.CandidateStatus",
        "RecordTypeEnum": "guanxi.quality.choices.RecordType",
        "TaskStatusEnum": "guanxi.tasks.choices.TaskStatus",
        "TaskKindEnum": "guanxi.tasks.choices.TaskKind",
        "TaskPriorityEnum": "guanxi.tasks.choices.TaskPriority",
        "DealStateEnum": "guanxi.opportunities.choices.DealState",
        "OpportunitySourceEnum": "guanxi.opportunities.choices.OpportunitySource",
        "DealContactRoleEnum": "guanxi.opportunities.choices.ContactRole",
        "StageColourEnum": "guanxi.opportunities.choices.StageColour",
        "DealCurrencyEnum": "guanxi.opportunities.choices.Currency",
        "LeadStatusEnum": "guanxi.leads.choices.LeadStatus",
        "LeadPriorityEnum": "guanxi.leads.choices.LeadPriority",
        "ScoreStageEnum": "guanxi.leads.choices.ScoreStage",
        "CompanySizeEnum": "guanxi.companies.choices.CompanySize",
    },
}

# --- imports ------------------------------------------------------------------------------
# rows per import file (MEM-5); a workspace may set its own in ImportSettings
GUANXI_IMPORT_ROW_LIMIT = env_int("IMPORT_ROW_LIMIT", 5000)
# uploaded files and large exports, outside the web root
GUANXI_IMPORT_DIR = VAR_DIR / "imports"

# --- background jobs ------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "guanxi", "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "guanxi",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }
HUEY["immediate"] = env_bool("HUEY_IMMEDIATE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # run_huey attaches its own handler to "huey"; propagating too would print every line twice
    "loggers": {"huey": {"propagate": False}},
}
