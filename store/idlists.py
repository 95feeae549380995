"""Conditions on a list of ids (or keys) that may be long: 70,000 task ids bound one parameter
each fail on PostgreSQL ("number of parameters must be between 0 and 65535") and on a SQLite
built with the stock variable limit. PostgreSQL gets one array parameter, `column = ANY(:ids)`;
SQLite gets IN lists of at most SQLITE_CHUNK values, one statement each.

    for among in id_conditions(conn, Task.id, task_ids):
        rows += conn.execute(query.where(among)).all()
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

# Under SQLite's historical limit of 999 variables, with room for the statement's other parameters.
SQLITE_CHUNK = 900


def id_conditions(bind, column, ids: Iterable) -> Iterator[ColumnElement[bool]]:
    """Conditions that together select the rows whose column is in ids: one on PostgreSQL, one
    per chunk elsewhere; none for no ids. `bind` is a Connection, Session or Engine."""
    values = sorted(set(ids))
    if not values:
        return
    if _dialect_name(bind) == "postgresql":
        yield column == any_(bindparam(f"{column.key}_list", values, type_=ARRAY(column.type), unique=True))
        return
    for start in range(0, len(values), SQLITE_CHUNK):
        yield column.in_(values[start:start + SQLITE_CHUNK])


def _dialect_name(bind) -> str:
    dialect = getattr(bind, "dialect", None)
    if dialect is None:  # a Session
        dialect = bind.get_bind().dialect
    return dialect.name
