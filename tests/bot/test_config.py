from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_work_offline_without_a_file():
    settings = load_settings(None, environ={})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.timezone == "Asia/Shanghai"
    assert settings.language == "zh-CN"
    assert settings.telegram_token == ""


def test_file_values_are_read(tmp_path):
    path = write(tmp_path, '[general]\nlanguage = "en"\ntimezone = "Asia/Urumqi"\n'
                           '[database]\nurl = "sqlite:///x.db"\n')
    settings = load_settings(path, environ={})
    assert (settings.language, settings.timezone, settings.database_url) == ("en", "Asia/Urumqi", "sqlite:///x.db")


def test_config_path_comes_from_environment_when_not_given(tmp_path):
    path = write(tmp_path, '[general]\nlanguage = "en"\n')
    assert load_settings(None, environ={"DEADLINE_BOT_CONFIG": str(path)}).language == "en"


def test_environment_overrides_database_url_and_token(tmp_path):
    path = write(tmp_path, '[database]\nurl = "sqlite:///file.db"\n[telegram]\ntoken = "from-file"\n')
    settings = load_settings(path, environ={"DEADLINE_BOT_DATABASE_URL": "postgresql://h/db",
                                            "DEADLINE_BOT_TOKEN": "123:from-env"})
    assert settings.database_url == "postgresql://h/db"
    assert settings.telegram_token == "123:from-env"


def test_token_is_not_in_repr():
    assert "123:secret" not in repr(Settings(telegram_token="123:secret"))


@pytest.mark.parametrize("text, key", [
    ('[general]\nlanguage = "fr"\n', "general.language"),
    ('[general]\ntimezone = "Mars/Olympus"\n', "general.timezone"),
    ('[database]\nurl = "mysql://x"\n', "database.url"),
    ('[database]\nurl = 5\n', "database.url"),
    ('[databse]\nurl = "sqlite:///x.db"\n', "databse.url"),
])
def test_bad_value_names_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), environ={})
    message = str(caught.value)
    assert key in message and "\n" not in message


def test_malformed_token_is_not_echoed(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, "[telegram]\ntoken = 123456789\n"), environ={})
    assert "telegram.token" in str(caught.value) and "123456789" not in str(caught.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="nope.toml: config file not found"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_invalid_toml_is_named(tmp_path):
    with pytest.raises(ConfigError, match="config.toml: not valid TOML"):
        load_settings(write(tmp_path, "[general\n"), environ={})


def test_example_config_file_loads_and_equals_the_defaults():
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    assert load_settings(example, environ={}) == load_settings(None, environ={})


def test_reminder_policy_comes_from_the_reminders_table(tmp_path):
    path = write(tmp_path, '[general]\ntimezone = "Asia/Urumqi"\n[reminders]\noffsets_days = [14, 3]\n')
    policy = load_settings(path, environ={}).reminders
    assert policy.offsets_days == (14, 3) and policy.timezone == "Asia/Urumqi"


@pytest.mark.parametrize("text, key", [
    ("[reminders]\noffsets_days = 'soon'\n", "reminders.offsets_days"),
    ("[reminders]\nsend_time = '23:00'\n", "reminders.send_time"),
    ("[reminders]\ntimezone = 'UTC'\n", "reminders.timezone"),
    ("[reminders]\nreminder_offsets = [1]\n", "reminders.reminder_offsets"),
    ("[delivery]\ntick_seconds = 0\n", "delivery.tick_seconds"),
    ("[delivery]\ntick_seconds = true\n", "delivery.tick_seconds"),
])
def test_bad_reminder_or_delivery_value_names_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), environ={})
    assert key in str(caught.value) and "\n" not in str(caught.value)


def test_delivery_limits_reach_the_dispatcher_settings(tmp_path):
    path = write(tmp_path, "[delivery]\nmessages_per_second = 10\nmax_attempts = 2\n")
    delivery = load_settings(path, environ={}).delivery
    assert delivery.limits.overall_per_second == 10 and delivery.retry.max_attempts == 2


def test_webhook_mode_is_off_by_default_and_on_with_a_url_and_secret(tmp_path):
    assert load_settings(None, environ={}).webhook is None
    path = write(tmp_path, '[telegram]\nwebhook_url = "https://bot.example.gov.cn/hook/dlb"\nwebhook_port = 9000\n')
    webhook = load_settings(path, environ={"DEADLINE_BOT_WEBHOOK_SECRET": "s3cret_value"}).webhook
    assert (webhook.url, webhook.port, webhook.path, webhook.secret) == (
        "https://bot.example.gov.cn/hook/dlb", 9000, "hook/dlb", "s3cret_value")
    assert "s3cret_value" not in repr(webhook)


@pytest.mark.parametrize("text, key", [
    ('[telegram]\nwebhook_url = "http://plain.example/hook"\nwebhook_secret = "abc"\n', "telegram.webhook_url"),
    ('[telegram]\nwebhook_url = "https://x.example/hook"\n', "telegram.webhook_secret"),
    ('[telegram]\nwebhook_url = "https://x.example/hook"\nwebhook_secret = "has space"\n', "telegram.webhook_secret"),
    ('[telegram]\nwebhook_url = "https://x.example/hook"\nwebhook_secret = "ok"\nwebhook_port = 70000\n',
     "telegram.webhook_port"),
])
def test_bad_webhook_settings_name_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), environ={})
    assert key in str(caught.value) and "has space" not in str(caught.value)
