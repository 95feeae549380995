"""The unit directory on the command line: `deadline-bot unit-contact`, `deadline-bot unit-members`,
and what `deadline-bot units --unbound` and `deadline-bot invite --all-unbound` print (those two
options belong to commands of bot.cli, which hands them to this module). Each calls app.directory
and renders."""
from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Optional

import typer

from bot.cli import app, bot_username_or_none
from bot.cli_common import (EXIT_FAILED, EXIT_USAGE, CommandFailed, OutputFormat, local_time, migrated_engine,
                            print_records, running_command, stderr)
from bot.i18n import Catalogue

def _directory_error(exc, texts: Catalogue) -> CommandFailed:
    return CommandFailed(texts.text("units.bad_input", field=exc.field, detail=exc), EXIT_USAGE)


@app.command("unit-contact")
def unit_contact(
    ctx: typer.Context,
    unit: str = typer.Argument(..., help="单位名称或别名 / Unit name or alias."),
    person: Optional[str] = typer.Option(None, "--person",
                                         help="联系人（空字符串清除）/ Contact person (\"\" clears)."),
    phone: Optional[str] = typer.Option(None, "--phone",
                                        help="联系电话（空字符串清除）/ Phone (\"\" clears)."),
) -> None:
    """设置单位联系人和电话 / Set a unit's contact person and phone."""
    from app.directory import DirectoryError, set_unit_contact

    with running_command(ctx) as (settings, texts):
        try:
            change = set_unit_contact(migrated_engine(settings), unit, person, phone)
        except DirectoryError as exc:
            raise _directory_error(exc, texts) from None
        print(texts.text("units.contact_set", unit=change.unit_name, person=change.after.person or "—",
                         phone=change.after.phone or "—"))


@app.command("unit-members", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def unit_members(
    ctx: typer.Context,
    collective: str = typer.Argument(..., help="集合单位名称或别名 / The collective unit's name or alias."),
) -> None:
    """集合单位的成员：--add 甲 乙 --remove 丙；不带选项时列出成员 / A collective unit's members:
    --add A B --remove C; without options, list them."""
    from app.directory import DirectoryError, MembershipError, change_members, unit_directory
    from store.queries import find_unit_ids

    with running_command(ctx) as (settings, texts):
        add, remove = _member_lists(ctx.args, texts)
        engine = migrated_engine(settings)
        if not add and not remove:
            unit_id = find_unit_ids(engine, collective)[0]
            entry = next(e for e in unit_directory(engine) if e.unit_id == unit_id)
            print(texts.text("units.members_list", unit=entry.name, count=len(entry.members),
                             members="、".join(entry.members) or "—"))
            return
        try:
            change = change_members(engine, collective, add, remove, datetime.now(UTC), _replanner(engine, settings))
        except DirectoryError as exc:
            raise _directory_error(exc, texts) from None
        except MembershipError as exc:
            raise CommandFailed(texts.text("units.member_refused", unit=exc.unit_name, detail=exc),
                                EXIT_USAGE) from None
        if change.created:
            print(texts.text("units.members_created", names="、".join(change.created)))
        print(texts.text("units.members_changed", unit=change.collective, added=change.added, removed=change.removed,
                         tasks=change.replanned_tasks))
        print(texts.text("units.members_list", unit=change.collective, count=len(change.members),
                         members="、".join(change.members) or "—"))


def _member_lists(args: list[str], texts: Catalogue) -> tuple[list[str], list[str]]:
    """The names after --add and after --remove (each may repeat; "A,B" and "A、B" split too)."""
    lists: dict[str, list[str]] = {"--add": [], "--remove": []}
    current = None
    for arg in args:
        if arg in lists:
            current = arg
        elif current is None or arg.startswith("--"):
            raise CommandFailed(texts.text("units.members_usage", arg=arg), EXIT_USAGE)
        else:
            lists[current] += [part for part in arg.replace("、", ",").replace("，", ",").split(",") if part.strip()]
    return lists["--add"], lists["--remove"]


def _replanner(engine, settings):
    """Re-plans the given tasks inside the caller's transaction, with the configured policy and calendar."""
    from scheduler.service import replan_in_transaction
    from scheduler.stored_calendar import stored_calendar

    policy, delivery = settings.reminders, settings.delivery
    calendar = stored_calendar(engine, policy)
    now = datetime.now(UTC)
    return lambda conn, task_ids: replan_in_transaction(
        conn, policy, calendar, now, timedelta(days=delivery.lookback_days), timedelta(days=delivery.horizon_days),
        task_ids)


def print_unbound(ctx: typer.Context, fmt: OutputFormat) -> None:
    """`deadline-bot units --unbound`: the units no chat reaches, with their open tasks."""
    from app.directory import invite_targets, unreached_units

    with running_command(ctx) as (settings, texts):
        entries = unreached_units(migrated_engine(settings))
        invited = {e.unit_id for e in invite_targets(entries)}
        header = [texts.text(f"units.column_{c}") for c in ("unit", "kind", "open", "members", "contact")]
        records = [(e.name, texts.text(f"kind.{e.kind}"), e.open_count, len(e.members), _contact(e))
                   for e in entries]
        print_records(fmt, header, records,
                       as_json=lambda: [{"name": e.name, "kind": e.kind.value, "open": e.open_count,
                                         "members": list(e.members), "contact_person": e.contact_person,
                                         "contact_phone": e.contact_phone,
                                         "invited_by_all_unbound": e.unit_id in invited}
                                        for e in entries],
                       title=texts.text("units.unbound_title", count=len(records),
                                        open=sum(e.open_count for e in entries)),
                       empty=texts.text("units.none_unbound"))


def _contact(entry) -> str:
    return " ".join(part for part in (entry.contact_person, entry.contact_phone) if part)


def invite_all_unbound(ctx: typer.Context, out: Optional[Path], unit: Optional[str] = None,
                       all_unbound: bool = True) -> None:
    """`deadline-bot invite --all-unbound --out FILE`: one fresh invite per unreached unit, as a CSV."""
    import os
    import tempfile

    from app.directory import invite_unreached
    from bot.handlers import invite_link
    from bot.render import records_as_csv

    with running_command(ctx) as (settings, texts):
        if unit is not None or not all_unbound:  # a unit and --all-unbound, or neither
            raise CommandFailed(texts.text("units.invite_usage"), EXIT_USAGE)
        if out is None:
            raise CommandFailed(texts.text("units.invite_out_missing"), EXIT_USAGE)
        if not out.parent.is_dir():
            raise CommandFailed(texts.text("units.invite_out_dir", path=out), EXIT_USAGE)
        engine = migrated_engine(settings)
        username = bot_username_or_none(settings)
        if not username:
            stderr.print(texts.text("units.invite_no_link"), markup=False, highlight=False)
        zone = zoneinfo.ZoneInfo(settings.timezone)
        revoked = 0

        def write_csv(issued) -> None:
            nonlocal revoked
            revoked = sum(i.revoked for i in issued)
            header = [texts.text(f"units.csv_{c}") for c in ("unit", "link", "expires_at")]
            records = [(i.unit_name, invite_link(username, i.code) if username else f"/start {i.code}",
                        local_time(i.expires_at, zone)) for i in issued]
            # Written beside the target and renamed over it: a failure leaves no half file, and the
            # transaction around this call rolls back, so no link is lost.
            fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                    handle.write(records_as_csv(header, records))  # with the BOM Excel and WPS need
                os.replace(tmp, out)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

        try:
            issued = invite_unreached(engine, timedelta(hours=settings.invite_valid_hours), datetime.now(UTC),
                                      hand_out=write_csv)
        except OSError as exc:
            raise CommandFailed(texts.text("units.invite_out_failed", path=out, detail=exc.strerror or exc),
                                EXIT_FAILED) from None
        print(texts.text("units.invites_written", count=len(issued), path=out, revoked=revoked,
                         hours=settings.invite_valid_hours))
