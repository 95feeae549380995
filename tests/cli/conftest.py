"""The command line against the test database, as a user would run it."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import app


@pytest.fixture
def cli(database_url, monkeypatch, tmp_path):
    """Runs `deadline-bot …` against the test database, from an empty working directory."""
    monkeypatch.setenv("DEADLINE_BOT_DATABASE_URL", database_url)
    monkeypatch.delenv("DEADLINE_BOT_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
