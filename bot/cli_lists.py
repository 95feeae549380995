"""`deadline-bot version`: which release is installed, answered without opening the database."""
from __future__ import annotations

from bot.cli import app


@app.command()
def version() -> None:
    """显示版本 / Print the installed version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        number = installed_version("deadline-bot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        number = "unknown"
    print(f"deadline-bot {number}")
