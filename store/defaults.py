"""What the rest of the program needs to know of the store without loading it: the settings and
the command line read these at start-up, before (and often without) any database work, so this
module imports nothing of SQLAlchemy, Alembic or SQLModel."""
from __future__ import annotations

DEFAULT_DATABASE_URL = "sqlite:///deadline-bot.db"

# Ids are INTEGER columns: 32 bits on PostgreSQL. An id from a user outside this range cannot
# name a row, and SQLite or the driver would fail on it with an overflow instead of "not found".
MAX_ROW_ID = 2**31 - 1
