"""Settings: the TOML file, then environment variables, then checks that name the bad key."""
from __future__ import annotations

import os
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from store.db import DEFAULT_DATABASE_URL

CONFIG_ENV = "DEADLINE_BOT_CONFIG"
DATABASE_URL_ENV = "DEADLINE_BOT_DATABASE_URL"
TOKEN_ENV = "DEADLINE_BOT_TOKEN"

LANGUAGES = ("zh-CN", "en")


class ConfigError(Exception):
    """A configuration problem, said in one line that names the file or the key."""


@dataclass(frozen=True)
class Settings:
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    database_url: str = DEFAULT_DATABASE_URL
    # repr=False keeps the token out of tracebacks and debug prints.
    telegram_token: str = field(default="", repr=False)


# key path -> (type, default); the single list of what the file may contain.
_SCHEMA: dict[tuple[str, str], tuple[type, object]] = {
    ("general", "language"): (str, Settings.language),
    ("general", "timezone"): (str, Settings.timezone),
    ("database", "url"): (str, Settings.database_url),
    ("telegram", "token"): (str, ""),
}
_SECRET_KEYS = {("telegram", "token")}


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read settings from `path` (or $DEADLINE_BOT_CONFIG), apply environment overrides, validate."""
    env = os.environ if environ is None else environ
    if path is None and env.get(CONFIG_ENV):
        path = Path(env[CONFIG_ENV])
    values = {key: default for key, (_, default) in _SCHEMA.items()}
    if path is not None:
        values.update(_read_file(path))
    if env.get(DATABASE_URL_ENV):
        values[("database", "url")] = env[DATABASE_URL_ENV]
    if env.get(TOKEN_ENV):
        values[("telegram", "token")] = env[TOKEN_ENV]
    source = str(path) if path is not None else "defaults"
    return _validated(values, source)


def _read_file(path: Path) -> dict[tuple[str, str], object]:
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
        for name, value in table.items():
            key = (section, name)
            if key not in _SCHEMA:
                raise ConfigError(f"{path}: {section}.{name}: unknown key (see config.example.toml)")
            expected = _SCHEMA[key][0]
            if not isinstance(value, expected):
                # Never echo a secret back, even a malformed one.
                shown = "" if key in _SECRET_KEYS else f", got {value!r}"
                raise ConfigError(f"{path}: {section}.{name}: expected a {expected.__name__}{shown}")
            values[key] = value
    return values


def _validated(values: dict[tuple[str, str], object], source: str) -> Settings:
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
    return Settings(language=language, timezone=timezone, database_url=url,
                    telegram_token=str(values[("telegram", "token")]))
