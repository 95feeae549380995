"""`deadline-bot run` as an administrator starts it: a separate process, real HTTP to the local
Bot API server, stopped with SIGTERM. It answers, shuts down cleanly, and never logs the token."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.telegram.conftest import ADMIN_USER

SECRET_HALF = "TEST-token-for-the-local-server"  # the part after "123456:" in BotApiServer.token


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_run_answers_publishes_its_menus_and_stops_on_sigterm_without_logging_the_token(
        bot_api, database_url, tmp_path):
    config = tmp_path / "deadline-bot.toml"
    config.write_text(f'[telegram]\nbase_url = "{bot_api.base_url}"\nadmin_user_ids = [{ADMIN_USER}]\n',
                      encoding="utf-8")
    env = {**os.environ, "DEADLINE_BOT_CONFIG": str(config), "DEADLINE_BOT_DATABASE_URL": database_url,
           "DEADLINE_BOT_TOKEN": bot_api.token, "PTB_TIMEDELTA": "1"}
    process = subprocess.Popen([sys.executable, "-c", "from bot.cli import main; main()", "run"], env=env,
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: bot_api.calls_to("getUpdates"), 30, "the bot to poll")
        bot_api.add_message(ADMIN_USER, "/start", user_id=ADMIN_USER)
        welcome = wait_for(lambda: bot_api.calls_to("sendMessage", ADMIN_USER), 15, "the administrator's welcome")
        wait_for(lambda: bot_api.calls_to("setMyCommands"), 15, "the command menus")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
    assert process.returncode == 0, err[-2000:]
    assert "管理员" in welcome[0].params["text"]
    logs = out + err
    assert "reminder engine started" in logs and "reminder engine stopped" in logs
    assert bot_api.token not in logs and SECRET_HALF not in logs
