"""What can go wrong in the storage layer, as types the CLI and the bot can catch and explain.

Every command catches these, also those that never open the database (`extract`, `--help`): so
SQLAlchemy is imported by the two functions that read its objects, not when this module is.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


def redacted_url(url: str | URL) -> str:
    """The URL with any password replaced by ***, safe to print or log."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL may still carry a secret; show nothing of it
        return "<unparsable database URL>"


def first_line(error: BaseException) -> str:
    """What failed, for a log line: a driver's first line, without the statement or the connection
    string that follow it; the error's type where it says nothing."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def database_unavailable(error: BaseException | None) -> bool:
    """The store could not be reached (server down, connection lost, file gone, pool exhausted),
    as opposed to a statement the database refused (a bug): the one rule for the bot's answers
    and the dispatcher's outages."""
    from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    return (isinstance(error, (OperationalError, InterfaceError, DisconnectionError, PoolTimeout))
            or (isinstance(error, DBAPIError) and error.connection_invalidated))


class StoreError(Exception):
    """Base class for every error this package raises on purpose."""


class DatabaseUnavailable(StoreError):
    """The database could not be reached or opened; the message never contains the password."""

    def __init__(self, url: str | URL, reason: str) -> None:
        self.url = redacted_url(url)
        self.reason = reason
        super().__init__(f"cannot use the database at {self.url}: {reason}")


class UnknownUnit(StoreError):
    """No unit answers to this name (neither its printed name nor an alias)."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = suggestions  # known unit names close to what was typed, best first
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no unit is called {name!r}{hint}")


class UnknownDocument(StoreError):
    """No document has this id."""

    def __init__(self, document_id: int) -> None:
        self.document_id = document_id
        super().__init__(f"no document has id {document_id}")


class InvalidPlan(StoreError):
    """The extracted plan cannot be stored as it is (an extractor bug, not a user error)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"cannot store this plan: {reason}")
