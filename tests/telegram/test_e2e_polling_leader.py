"""Two `deadline-bot run` processes on one database with long polling: one polls (the lease in the
database decides which), the other only dispatches; when the poller dies the other takes over."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime

from store.leases import lease_holder
from tests.telegram.conftest import ADMIN_USER
from tests.telegram.test_e2e_process import wait_for


def start_bot(config, database_url, bot_api, cwd) -> subprocess.Popen:
    env = {**os.environ, "DEADLINE_BOT_CONFIG": str(config), "DEADLINE_BOT_DATABASE_URL": database_url,
           "DEADLINE_BOT_TOKEN": bot_api.token, "PTB_TIMEDELTA": "1"}
    return subprocess.Popen([sys.executable, "-c", "from bot.cli import main; main()", "run"], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[1]


def test_one_process_polls_and_another_takes_over_when_it_dies(bot_api, database_url, engine, tmp_path):
    bot_api.refuse_concurrent_polls = True
    config = tmp_path / "deadline-bot.toml"
    config.write_text(f'[telegram]\nbase_url = "{bot_api.base_url}"\nadmin_user_ids = [{ADMIN_USER}]\n'
                      f'[delivery]\nleader_lease_seconds = 3\n', encoding="utf-8")
    first = start_bot(config, database_url, bot_api, tmp_path)
    second = None
    try:
        wait_for(lambda: bot_api.calls_to("getUpdates"), 30, "the first process to poll")
        holder = lease_holder(engine, "polling", datetime.now(UTC))
        assert holder is not None and holder.endswith(f":{first.pid}")
        second = start_bot(config, database_url, bot_api, tmp_path)
        wait_for(lambda: len(bot_api.calls_to("setMyCommands")) >= 2, 30, "the second process to start")
        polls_before = len(bot_api.calls_to("getUpdates"))
        wait_for(lambda: len(bot_api.calls_to("getUpdates")) > polls_before + 5, 30, "more polling")
        assert bot_api.conflicts == 0, "two processes polled at once"
        assert lease_holder(engine, "polling", datetime.now(UTC)).endswith(f":{first.pid}")

        first.send_signal(signal.SIGKILL)  # dies without giving the lease up
        first.wait()
        wait_for(lambda: (lease_holder(engine, "polling", datetime.now(UTC)) or "").endswith(f":{second.pid}"),
                 30, "the second process to take the lease")
        bot_api.add_message(ADMIN_USER, "/start", user_id=ADMIN_USER)
        wait_for(lambda: bot_api.calls_to("sendMessage", ADMIN_USER), 30, "the second process to answer")
        assert bot_api.conflicts == 0
    finally:
        stop(first)
        if second is not None:
            errors = stop(second)
            assert second.returncode == 0, errors[-2000:]
    # A clean stop gives the lease up: a new process need not wait for it to lapse.
    assert lease_holder(engine, "polling", datetime.now(UTC)) is None
