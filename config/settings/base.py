"""Settings shared by every environment.

Each environment module (dev, test, production) imports this one and overrides what differs.
Anything that depends on the machine is read from the environment here, with a default that
suits a developer's machine.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("ZHIBU_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "branches",
    "ballots",
    "elections",
    "motions",
    "openness",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early: an over-large request is refused from its declared length before anything reads its body.
    "branches.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "branches.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a locked-out login answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "branches.context_processors.navigation",
            ],
        },
    },
]

# The database: DATABASE_URL, or the embedded PostgreSQL that `make run` starts (it exports the URL). Two
# roles (config/database_roles.py, README "Database roles"): the portal connects as DATABASE_URL's, which
# owns no table; `ZHIBU_MIGRATE=1` connects as the schema's owner instead (MIGRATION_DATABASE_URL), for
# `migrate` and `grant_app_role` alone. The whole process switches, not a second alias: data migrations
# and post_migrate handlers write through the default connection, in the migration's own transaction.
_app_database = dj_database_url.config(
    env="DATABASE_URL",
    default="postgres://postgres@127.0.0.1:5432/zhibu",
    conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    conn_health_checks=True,
)
ZHIBU_DATABASE_APP_ROLE = _app_database["USER"]  # whom `manage.py grant_app_role` grants to
if env_bool("ZHIBU_MIGRATE"):
    if not os.environ.get("MIGRATION_DATABASE_URL"):
        raise ImproperlyConfigured(
            "ZHIBU_MIGRATE=1 needs MIGRATION_DATABASE_URL, the schema owner's connection."
        )
    DATABASES = {"default": dj_database_url.parse(os.environ["MIGRATION_DATABASE_URL"])}
else:
    DATABASES = {"default": _app_database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "branches.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out login before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "branches.auth.PhoneOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "branches:home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes: branches.middleware.IdleSessionMiddleware pushes the expiry forward,
# at most once a minute rather than with a session write on every request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = False
ZHIBU_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lock-out after repeated failures (django-axes): 5 failures lock the account for 15 minutes, whether its
# username or its phone number was typed (branches.auth.lockout_username names the account).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "branches.auth.lockout_username"
AXES_LOCKOUT_CALLABLE = "branches.auth.lockout_response"  # the page without the account's username
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# django-filter's blank choice ("---------" by default) reads 全部 in a filter: no choice filters nothing.
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# A posted form is read into memory: its fields up to DATA_UPLOAD_MAX_MEMORY_SIZE (Django's default, said
# here), each file up to FILE_UPLOAD_MAX_MEMORY_SIZE, a larger one into a temporary file. The request as a
# whole is capped, before it is read, by ZHIBU_MAX_REQUEST_BYTES (after ZHIBU_RULES).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy (Django 6 built-in): everything from our own origin, nothing inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Cache: Redis when REDIS_URL is set, local memory otherwise (the embedded default of `make run`).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from the shared cache first, written through to PostgreSQL. Not with a per-process
    # cache: a logout in one worker would leave the session alive in the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# E-mail (Django 6.1 MAILERS): the console by default; SMTP from the environment in production.
def mailers_from_env(default_backend: str) -> dict:
    backend = os.environ.get("EMAIL_BACKEND", default_backend)
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers_from_env("django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zhibu <noreply@zhibu.local>")

# SMS: a pluggable channel; the console backend writes messages to the log.
ZHIBU_SMS_BACKEND = os.environ.get("ZHIBU_SMS_BACKEND", "branches.notifications.ConsoleSmsBackend")

# Celery: the broker is CELERY_BROKER_URL; `make run` uses kombu's filesystem transport under .data/.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task a killed worker held is redelivered after 5 minutes, not the default hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# The domain rule set (domain.md §6): one place for every number a rule uses. Results record the
# values they were computed under, so changing a setting never rewrites a past result.
ZHIBU_RULES = {
    "branch_min_full_members": 3,
    "branch_warn_above_members": 50,
    "committee_required_from_full_members": 7,
    "committee_min_size": 3,
    "committee_max_size": 5,
    "committee_hard_max_size": 7,
    "max_deputy_secretaries": 1,
    "term_years": 3,
    "term_years_village_community": 5,
    "term_reminder_months_before": 6,
    # Ballots (elections.rules, domain.md §2 and §6). Fractions are [numerator, denominator]; a threshold
    # is strictly greater than its fraction; a quorum is strict unless its "_inclusive" flag says ≥.
    "election_quorum": [4, 5],  # present electors > 4/5 of 应到 (选举条例)
    "election_quorum_inclusive": False,
    "election_threshold": [1, 2],  # 赞成 > 1/2 of electors present
    "general_meeting_quorum": [1, 2],  # > 1/2 of voting members present (支部条例 art. 11)
    "general_meeting_quorum_inclusive": False,
    "general_meeting_threshold": [1, 2],  # 赞成 > 1/2 of 应到
    "committee_quorum": [1, 2],  # ≥ 1/2 of the committee (支部条例 art. 12)
    "committee_quorum_inclusive": True,
    "committee_threshold": [1, 2],
    "evaluation_quorum": [1, 2],
    "evaluation_quorum_inclusive": False,
    "shamir_threshold": 2,  # k scrutineers' passphrases unseal the ballot box
    # The mixer moves sealed ballots from the inbox into the box in shuffled batches of at least this many,
    # so a copy of the database links a voter to his ballot no better than 1 in this many (the rest at close).
    "ballot_mix_batch": 10,
    "scrutineer_passphrase_min_length": 8,
    "meeting_notice_days_before": 7,
    # Sign-in (branches.rules): the QR code on the projector is a signed token renewed every this many
    # seconds (the current and the previous window are accepted); sign-in opens this many minutes before
    # the scheduled start and closes with the meeting. Online meetings only for these kinds.
    "signin_token_seconds": 60,
    "signin_opens_minutes_before": 120,
    "online_meeting_kinds": ["committee", "group", "lecture", "life"],
    "households_per_member_min": 3,
    "households_per_member_max": 5,
    # Reminders (branches.reminders): day-based reminders fall due at this local hour, and the reminder
    # e-mails of a day go out as one digest per person (False: one e-mail per reminder).
    "reminder_hour": 8,
    "reminder_email_digest": True,
    # Proposals (domain.md §4.2, 泰安): answered within 15 days, calendar or working days (the holiday
    # table); the responsible person is reminded on days 10 and 14; an extension adds at most 15 days;
    # an unsatisfied proposer reopens it once.
    "proposal_reply_days": 15,
    "proposal_reply_working_days": False,
    "proposal_reminder_days": [10, 14],
    "proposal_extension_max_days": 15,
    "proposal_reopen_limit": 1,
    # Inquiries (domain.md §4.3): answered within 15 days; a 质询 needs max(3, 10% of members) co-signers;
    # more than half of the signers dissatisfied → one second answer, then escalation.
    "inquiry_reply_days": 15,
    "inquiry_reply_working_days": False,
    "inquiry_reminder_days": [10, 14],
    "challenge_cosigners_min": 3,
    "challenge_cosigners_percent": 10,
    # First deliberation (domain.md §4.4, 肃州): who may put a topic forward, and the week's notice.
    "first_deliberation_villagers_fraction": [1, 10],
    "first_deliberation_representatives_fraction": [1, 5],
    "first_deliberation_members_min": 10,
    "first_deliberation_notice_days": 7,
    # Motions voted by ballot (票决, domain.md §4.1; motions.rules). The general meeting's quorum and
    # threshold are the ballot engine's "general_meeting_*" rules above; the committee's discussion needs
    # ≥ 1/2 of the committee ("committee_quorum"). Materials go out at least 3 days before the meeting;
    # absentees' written opinions count only in these categories; after two failures in a row a third vote
    # needs a reason recorded by the committee; 四议两公开 reviews with ≥ 2/3 of 应到 present.
    "motion_materials_days_before": 3,
    "motion_written_opinion_categories": ["admission", "conversion"],
    "motion_max_consecutive_failures": 2,
    "motion_named_ballot_categories": [],  # where a named ballot is allowed; none: always secret
    "motion_village_quorum": [2, 3],
    "motion_village_quorum_inclusive": True,
    "motion_milestone_reminder_repeat_days": 7,  # an overdue milestone is reminded again every week
    # Evaluations (domain.md §4.5): 优秀 at most 1/3 of the members evaluated; the leadership every 6
    # months; the scales, best first; a verdict is the most frequent value, a tie goes to the worse value.
    # Entering inspection needs ≥ 50% satisfaction (宣武). 民评官: 11 dimensions rated 好 / 中 / 差.
    "evaluation_excellent_cap": [1, 3],
    "leadership_evaluation_months": 6,
    "leadership_team_scale": ["adapted", "basically_adapted", "not_adapted"],
    "leadership_member_scale": ["competent", "basically_competent", "incompetent"],
    "leadership_satisfaction_min": [1, 2],
    "public_rating_dimensions": [
        "政治立场",
        "工作作风",
        "廉洁自律",
        "为民服务",
        "依法办事",
        "工作效率",
        "团结协作",
        "创新发展",
        "落实政策",
        "公开透明",
        "群众满意",
    ],
    "public_rating_scale": ["good", "fair", "poor"],
    # Disclosure (domain.md §5, openness.rules). Local limits: standing items within 5 working days of a
    # change, decisions within 1; notices (公示) in working days: development stages 5, pre-candidates 7.
    "disclosure_standing_working_days": 5,
    "disclosure_decision_working_days": 1,
    "disclosure_development_notice_working_days": 5,
    "disclosure_candidate_notice_working_days": 7,
    # Beyond the organisation's authority (公开条例 art. 15), so the higher committee approves: these board
    # categories, and items to society from these kinds of organisation (先党内后党外).
    "disclosure_higher_approval_categories": ["leadership"],
    "disclosure_society_higher_approval_kinds": ["branch", "group"],
    # Separation of duties: the secrecy reviewer does not approve the same item where the approving
    # organisation has at least this many people who may approve (its committee and officers, the
    # supervisors over it); below it, in a one-officer organisation, one person may do both.
    "disclosure_separate_duties_min_approvers": 2,
    "disclosure_feedback_reply_working_days": 5,  # each comment and objection answered within
    "disclosure_attachment_max_bytes": 10 * 1024 * 1024,
    "disclosure_attachments_per_item": 20,
    "disclosure_public_cache_seconds": 30,  # the anonymous board shows a new item within this
    "disclosure_board_page_size": 20,
    # 公推直选 (domain.md §3, elections.rules). Margins over seats are percentages rounded up:
    # preliminary candidates 40 %, pre-candidates 20 % (曹家渡); committee candidates
    # ≥ seats + ceil(20 % × seats) (选举条例 art. 13); 书记/副书记 in 公推直选 competitive,
    # N candidates per post.
    "election_preliminary_margin_percent": 40,
    "election_pre_candidate_margin_percent": 20,
    "election_candidate_margin_percent": 20,
    "election_competitive_candidates_per_post": 2,
    # Qualification conditions per post: minimum 党龄 in whole years.
    "election_min_party_years": {"committee": 0, "secretary": 1, "deputy": 1},
    # Democratic recommendation: members' and mass representatives' shares of support, weighted (percent).
    "election_recommendation_masses": True,
    "election_recommendation_member_weight": 70,
    "election_recommendation_mass_weight": 30,
    "election_recommendation_quorum": [1, 2],
    "election_recommendation_quorum_inclusive": False,
    "election_notice_working_days": 7,  # 公示 of the pre-candidates, working days
    "election_seat_reduction_threshold": [1, 2],  # > 1/2 of electors present agree to fewer seats
    "election_step_reminder_days": 3,  # a step still waiting is re-announced every N days
    "election_invitation_max_age_days": 60,
}
# The largest request accepted (branches.middleware.RequestSizeLimitMiddleware answers 413 beyond it,
# unread): the largest attachment and 1 MB for the form around it.
ZHIBU_MAX_REQUEST_BYTES = int(
    os.environ.get("ZHIBU_MAX_REQUEST_BYTES", ZHIBU_RULES["disclosure_attachment_max_bytes"] + 1024 * 1024)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

FORMAT_MODULE_PATH = ["config.formats"]

# axes.W006 asks to lock by IP address too. Members of a village or an office often share one NAT
# address, so locking an address would lock the whole branch out: lock-out is per account.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
