from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_telegram_defaults():
    settings = load_settings(None, environ={})
    assert settings.admin_user_ids == ()
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.invite_valid_hours == 72


def test_telegram_keys_are_read(tmp_path):
    path = write(tmp_path, '[telegram]\nadmin_user_ids = [111, 222]\nbase_url = "http://127.0.0.1:8081/bot"\n'
                           'invite_valid_hours = 24\n')
    settings = load_settings(path, environ={})
    assert settings.admin_user_ids == (111, 222)
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"
    assert settings.invite_valid_hours == 24


@pytest.mark.parametrize("text, key", [
    ('[telegram]\nadmin_user_ids = 111\n', "telegram.admin_user_ids"),
    ('[telegram]\nadmin_user_ids = ["alice"]\n', "telegram.admin_user_ids"),
    ('[telegram]\nadmin_user_ids = [true]\n', "telegram.admin_user_ids"),
    ('[telegram]\nbase_url = "ftp://x"\n', "telegram.base_url"),
    ('[telegram]\ninvite_valid_hours = 0\n', "telegram.invite_valid_hours"),
    ('[telegram]\ninvite_valid_hours = "3"\n', "telegram.invite_valid_hours"),
])
def test_bad_telegram_value_names_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), environ={})
    assert key in str(caught.value) and "\n" not in str(caught.value)
