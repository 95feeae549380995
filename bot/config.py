"""Settings: the TOML file, then environment variables, then checks that name the bad key."""
from __future__ import annotations

import os
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from scheduler.policy import DEFAULT_POLICY, PolicyError, ReminderPolicy, policy_from_mapping
from scheduler.ratelimit import RateLimits
from scheduler.retry import RetryPolicy
from store.defaults import DEFAULT_DATABASE_URL

CONFIG_ENV = "DEADLINE_BOT_CONFIG"
DATABASE_URL_ENV = "DEADLINE_BOT_DATABASE_URL"
TOKEN_ENV = "DEADLINE_BOT_TOKEN"
WEBHOOK_SECRET_ENV = "DEADLINE_BOT_WEBHOOK_SECRET"

LANGUAGES = ("zh-CN", "en")


class ConfigError(Exception):
    """A configuration problem, said in one line that names the file or the key."""


@dataclass(frozen=True)
class DeliverySettings:
    """How the live service plans and sends (the [delivery] table)."""

    tick_seconds: int = 30  # how often the dispatcher looks for due reminders
    plan_every_minutes: int = 15  # how often reminders are planned again from the tasks
    lookback_days: int = 14  # how far back a restart looks for what fell due while it was down
    horizon_days: int = 2  # how far ahead each planning run writes reminder rows
    lease_seconds: int = 300  # a claimed row returns to the queue if its worker dies
    send_timeout_seconds: int = 30  # how long a send waits for Telegram's answer before it is in doubt
    outage_notice_minutes: int = 5  # deliveries failing this long are told to the administrators
    leader_lease_seconds: int = 30  # long polling: another process takes over this long after the poller died
    max_in_flight: int = 8  # reminders sent at once (never two to one chat); a crash may repeat this many
    limits: RateLimits = RateLimits()
    retry: RetryPolicy = RetryPolicy()

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)


@dataclass(frozen=True)
class WebhookSettings:
    """Webhook mode: Telegram posts updates to `url`, which a proxy forwards to listen:port."""

    url: str  # the public https:// address Telegram calls
    listen: str = "127.0.0.1"
    port: int = 8443
    secret: str = field(default="", repr=False)  # checked on every incoming update

    @property
    def path(self) -> str:
        return urlsplit(self.url).path.lstrip("/")


@dataclass(frozen=True)
class Settings:
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    database_url: str = DEFAULT_DATABASE_URL
    # repr=False keeps the token out of tracebacks and debug prints.
    telegram_token: str = field(default="", repr=False)
    # Telegram user ids whose /start in a chat makes it an administrators' chat.
    admin_user_ids: tuple[int, ...] = ()
    # The Bot API server; tests point it at a local server. PTB appends "<token>" to it.
    telegram_base_url: str = "https://api.telegram.org/bot"
    # Where files (plans sent to /import) are downloaded from; follows base_url for a local server.
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    invite_valid_hours: int = 72
    webhook: WebhookSettings | None = None  # None: long polling
    reminders: ReminderPolicy = DEFAULT_POLICY
    delivery: DeliverySettings = DeliverySettings()
    # [workflow] verify_done: the lead units' done waits for an administrator's 销号 (app.status).
    verify_done: bool = False


# key path -> (type, default): what the file may contain outside [reminders], whose keys the
# reminder policy checks itself (scheduler.policy.POLICY_KEYS).
_SCHEMA: dict[tuple[str, str], tuple[type, object]] = {
    ("general", "language"): (str, Settings.language),
    ("general", "timezone"): (str, Settings.timezone),
    ("database", "url"): (str, Settings.database_url),
    ("telegram", "token"): (str, ""),
    ("telegram", "admin_user_ids"): (list, []),
    ("telegram", "base_url"): (str, Settings.telegram_base_url),
    ("telegram", "base_file_url"): (str, Settings.telegram_base_file_url),
    ("telegram", "invite_valid_hours"): (int, Settings.invite_valid_hours),
    ("telegram", "webhook_url"): (str, ""),
    ("telegram", "webhook_listen"): (str, WebhookSettings.listen),
    ("telegram", "webhook_port"): (int, WebhookSettings.port),
    ("telegram", "webhook_secret"): (str, ""),
    ("delivery", "tick_seconds"): (int, DeliverySettings.tick_seconds),
    ("delivery", "plan_every_minutes"): (int, DeliverySettings.plan_every_minutes),
    ("delivery", "lookback_days"): (int, DeliverySettings.lookback_days),
    ("delivery", "horizon_days"): (int, DeliverySettings.horizon_days),
    ("delivery", "lease_seconds"): (int, DeliverySettings.lease_seconds),
    ("delivery", "send_timeout_seconds"): (int, DeliverySettings.send_timeout_seconds),
    ("delivery", "outage_notice_minutes"): (int, DeliverySettings.outage_notice_minutes),
    ("delivery", "leader_lease_seconds"): (int, DeliverySettings.leader_lease_seconds),
    ("delivery", "messages_per_second"): (int, RateLimits.overall_per_second),
    ("delivery", "messages_per_second_per_chat"): (int, RateLimits.per_chat_per_second),
    ("delivery", "messages_per_minute_per_group"): (int, RateLimits.per_group_per_minute),
    ("delivery", "max_attempts"): (int, RetryPolicy.max_attempts),
    ("delivery", "max_in_flight"): (int, DeliverySettings.max_in_flight),
    ("workflow", "verify_done"): (bool, Settings.verify_done),
}
_SECRET_KEYS = {("telegram", "token"), ("telegram", "webhook_secret")}
_REMINDERS = "reminders"


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read settings from `path` (or $DEADLINE_BOT_CONFIG), apply environment overrides, validate."""
    env = os.environ if environ is None else environ
    if path is None and env.get(CONFIG_ENV):
        path = Path(env[CONFIG_ENV])
    values = {key: default for key, (_, default) in _SCHEMA.items()}
    reminders: dict = {}
    if path is not None:
        file_values, reminders = _read_file(path)
        values.update(file_values)
    if env.get(DATABASE_URL_ENV):
        values[("database", "url")] = env[DATABASE_URL_ENV]
    if env.get(TOKEN_ENV):
        values[("telegram", "token")] = env[TOKEN_ENV]
    if env.get(WEBHOOK_SECRET_ENV):
        values[("telegram", "webhook_secret")] = env[WEBHOOK_SECRET_ENV]
    source = str(path) if path is not None else "defaults"
    return _validated(values, reminders, source)


def _read_file(path: Path) -> tuple[dict[tuple[str, str], object], dict]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    values: dict[tuple[str, str], object] = {}
    for section, table in raw.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {section}: expected a [{section}] table")
        if section == _REMINDERS:
            continue
        for name, value in table.items():
            key = (section, name)
            if key not in _SCHEMA:
                raise ConfigError(f"{path}: {section}.{name}: unknown key (see config.example.toml)")
            expected = _SCHEMA[key][0]
            # bool is an int in Python; a number of seconds must not be `true`.
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                # Never echo a secret back, even a malformed one.
                shown = "" if key in _SECRET_KEYS else f", got {value!r}"
                raise ConfigError(f"{path}: {section}.{name}: expected a {expected.__name__}{shown}")
            values[key] = value
    return values, raw.get(_REMINDERS, {})


def _validated(values: dict[tuple[str, str], object], reminders: dict, source: str) -> Settings:
    language = str(values[("general", "language")])
    if language not in LANGUAGES:
        raise ConfigError(f"{source}: general.language: must be one of {', '.join(LANGUAGES)}, got {language!r}")
    timezone = str(values[("general", "timezone")])
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{source}: general.timezone: unknown time zone {timezone!r}") from None
    url = str(values[("database", "url")]).strip()
    if not url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
        raise ConfigError(f"{source}: database.url: must start with sqlite:/// or postgresql://")
    for (section, name), (expected, _) in _SCHEMA.items():
        if section == "delivery" and int(values[(section, name)]) < 1:
            raise ConfigError(f"{source}: delivery.{name}: must be a whole number of at least 1")
    admins = values[("telegram", "admin_user_ids")]
    if any(not isinstance(a, int) or isinstance(a, bool) for a in admins):
        raise ConfigError(f"{source}: telegram.admin_user_ids: expected a list of Telegram user ids (whole numbers)")
    base_url = str(values[("telegram", "base_url")]).strip()
    base_file_url = str(values[("telegram", "base_file_url")]).strip()
    for name, value in (("base_url", base_url), ("base_file_url", base_file_url)):
        if not value.startswith(("https://", "http://")):
            raise ConfigError(f"{source}: telegram.{name}: must start with https:// or http://")
    if int(values[("telegram", "invite_valid_hours")]) < 1:
        raise ConfigError(f"{source}: telegram.invite_valid_hours: must be a whole number of at least 1")
    return Settings(language=language, timezone=timezone, database_url=url,
                    telegram_token=str(values[("telegram", "token")]),
                    admin_user_ids=tuple(admins), telegram_base_url=base_url,
                    telegram_base_file_url=base_file_url,
                    invite_valid_hours=int(values[("telegram", "invite_valid_hours")]),
                    webhook=_webhook(values, source),
                    reminders=_reminder_policy(reminders, timezone, source),
                    delivery=_delivery(values),
                    verify_done=bool(values[("workflow", "verify_done")]))


def _webhook(values: dict[tuple[str, str], object], source: str) -> WebhookSettings | None:
    url = str(values[("telegram", "webhook_url")]).strip()
    if not url:
        return None
    if not url.startswith("https://"):
        raise ConfigError(f"{source}: telegram.webhook_url: Telegram only calls https:// addresses")
    port = int(values[("telegram", "webhook_port")])
    if not 0 < port < 65536:
        raise ConfigError(f"{source}: telegram.webhook_port: must be a port number (1-65535)")
    secret = str(values[("telegram", "webhook_secret")])
    # Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - in X-Telegram-Bot-Api-Secret-Token.
    if not secret or len(secret) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in secret):
        raise ConfigError(f"{source}: telegram.webhook_secret: set 1-256 letters, digits, _ or - "
                          f"(or {WEBHOOK_SECRET_ENV}) so that only Telegram can post updates")
    return WebhookSettings(url=url, listen=str(values[("telegram", "webhook_listen")]), port=port, secret=secret)


def _reminder_policy(table: dict, timezone: str, source: str) -> ReminderPolicy:
    # One time zone for the whole service: the plans' dates and the reminders' clock agree.
    if "timezone" in table:
        raise ConfigError(f"{source}: reminders.timezone: set general.timezone instead")
    try:
        return policy_from_mapping({**table, "timezone": timezone}, where=_REMINDERS)
    except PolicyError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def _delivery(values: dict[tuple[str, str], object]) -> DeliverySettings:
    def get(name: str) -> int:
        return int(values[("delivery", name)])

    return DeliverySettings(
        tick_seconds=get("tick_seconds"), plan_every_minutes=get("plan_every_minutes"),
        lookback_days=get("lookback_days"), horizon_days=get("horizon_days"), lease_seconds=get("lease_seconds"),
        send_timeout_seconds=get("send_timeout_seconds"), outage_notice_minutes=get("outage_notice_minutes"),
        leader_lease_seconds=get("leader_lease_seconds"),
        limits=RateLimits(overall_per_second=get("messages_per_second"),
                          per_chat_per_second=get("messages_per_second_per_chat"),
                          per_group_per_minute=get("messages_per_minute_per_group")),
        retry=RetryPolicy(max_attempts=get("max_attempts")), max_in_flight=get("max_in_flight"),
    )
