"""Storage: SQLModel tables, engines and migrations, plan ingest, and the queries the CLI and bot ask.

- store.db: make_engine, upgrade_database, session_scope, check_database
- store.ingest: ingest_plan -> IngestOutcome
- store.queries: due_within, overdue, tasks, units, documents (frozen dataclasses out)
- store.errors: DatabaseUnavailable, UnknownUnit, UnknownDocument
"""
