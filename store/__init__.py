"""Storage: SQLModel tables, engines and migrations, plan ingest, and the queries the CLI and bot ask.

- store.db: make_engine, upgrade_database, session_scope, check_database
- store.ingest: ingest_plan -> IngestOutcome
- store.queries: due_within, overdue, tasks, units, documents (frozen dataclasses out)
- store.outbox: the reminder outbox (tasks_to_plan, chats_to_plan, sync_planned_reminders,
  claim_due_reminders, mark_sent/mark_retry/mark_failed/release_claims, deactivate_chat, delivery_details)
- store.errors: DatabaseUnavailable, UnknownUnit, UnknownDocument
"""
