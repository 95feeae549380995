"""`deadline-bot outbox`: what waits, what failed and what went out, per chat; `--retry-failed`
queues failed rows again. Registered on the command line's app by bot.cli."""
from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from typing import Optional

import typer

from bot.cli import app
from bot.cli_common import OutputFormat, local_time, migrated_engine, print_records, running_command


@app.command()
def outbox(
    ctx: typer.Context,
    chat: Optional[int] = typer.Option(None, "--chat", help="只看这个聊天（编号）/ Only this chat (its id)."),
    retry_failed: bool = typer.Option(False, "--retry-failed",
                                      help="把发送失败的提醒重新排队 / Queue failed reminders again."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
) -> None:
    """发送队列：每个聊天的待发送、失败、已发送 / The outbox per chat: pending, failed, sent."""
    from store import outages
    from store import outbox as store_outbox

    with running_command(ctx) as (settings, texts):
        engine = migrated_engine(settings)
        now = datetime.now(UTC)
        zone = zoneinfo.ZoneInfo(settings.timezone)
        if retry_failed:
            count = store_outbox.retry_failed(engine, now, chat)
            print(texts.text("outbox.retried", count=count))
        listed = store_outbox.outbox_by_chat(engine, now, chat)
        if fmt is OutputFormat.table:
            for o in outages.open_outages(engine):
                print(texts.text("outbox.outage_open", cause=o.cause.value, since=local_time(o.started_at, zone),
                                 waiting=o.waiting))
        header = [texts.text(f"outbox.{c}") for c in ("chat", "pending", "due", "failed", "sent", "cancelled",
                                                        "oldest_pending", "last_error")]

        def name(c) -> str:
            label = c.unit_name or (texts.text("outbox.admin") if c.is_admin else c.title) or ""
            return f"{c.chat_id} {label}".strip() + ("" if c.active else " ✗")

        records = [(name(c), c.pending, c.due, c.failed, c.sent, c.cancelled, local_time(c.oldest_due, zone) if c.oldest_due else "", c.last_error or "")
                   for c in listed]
        print_records(
            fmt, header, records,
            as_json=lambda: [{"chat_id": c.chat_id, "telegram_chat_id": c.telegram_chat_id, "title": c.title,
                              "unit": c.unit_name, "admin": c.is_admin, "active": c.active, "pending": c.pending,
                              "due": c.due, "failed": c.failed, "sent": c.sent, "cancelled": c.cancelled,
                              "oldest_due": c.oldest_due.isoformat() if c.oldest_due else None,
                              "last_error": c.last_error} for c in listed],
            title=texts.text("outbox.title", now=local_time(now, zone)), empty=texts.text("outbox.empty"))
