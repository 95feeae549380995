"""Invites, chats and status reports in the store; message texts and buttons; the CLI commands."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app.status import record_status
from bot.cli import app
from bot.compose import CatalogueComposer
from bot.keyboards import parse_status_data, status_buttons, status_data
from bot.i18n import Catalogue
from scheduler.model import ReminderKind
from scheduler.notify import ChatAddress, Delivery
from store import chats
from store.db import session_scope
from store.errors import UnknownUnit
from store.models import Invite, StatusReport, Task, TaskStatus, UnitRole
from tests.telegram.conftest import add_task, add_unit

NOW = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)


# --- invites --------------------------------------------------------------------------------


def test_an_invite_is_stored_hashed_and_binds_once(engine):
    add_unit(engine, "省司法厅")
    created = chats.create_invite(engine, "省司法厅", timedelta(hours=72), NOW)
    with session_scope(engine) as session:
        stored = session.execute(select(Invite)).scalar_one()
    assert stored.code_hash == chats.hash_code(created.code) and created.code not in stored.code_hash
    assert stored.expires_at == NOW + timedelta(hours=72)

    bound = chats.redeem_invite(engine, created.code, -4001, "group", "群", "zh-CN", NOW)
    assert (bound.unit_name, bound.kind, bound.active) == ("省司法厅", "group", True)
    with pytest.raises(chats.UsedInvite):
        chats.redeem_invite(engine, created.code, -4002, "group", "群", "zh-CN", NOW)
    assert chats.chat_by_telegram_id(engine, -4002) is None


def test_an_expired_or_unknown_code_binds_nothing(engine):
    add_unit(engine, "省司法厅")
    created = chats.create_invite(engine, "省司法厅", timedelta(hours=1), NOW)
    with pytest.raises(chats.ExpiredInvite):
        chats.redeem_invite(engine, created.code, 1, "private", None, "zh-CN", NOW + timedelta(hours=1))
    with pytest.raises(chats.UnknownInvite):
        chats.redeem_invite(engine, "made-up", 1, "private", None, "zh-CN", NOW)
    assert chats.chat_by_telegram_id(engine, 1) is None


def test_invite_for_an_unknown_unit_is_refused(engine):
    with pytest.raises(UnknownUnit):
        chats.create_invite(engine, "省不存在厅", timedelta(hours=1), NOW)


def test_rebinding_a_lost_chat_makes_it_active_again(engine):
    add_unit(engine, "省司法厅")
    first = chats.redeem_invite(engine, chats.create_invite(engine, "省司法厅", timedelta(hours=1), NOW).code,
                                5, "private", None, "zh-CN", NOW)
    from store.outbox import deactivate_chat

    deactivate_chat(engine, first.id, "bot was blocked by the user", NOW)
    again = chats.redeem_invite(engine, chats.create_invite(engine, "省司法厅", timedelta(hours=1), NOW).code,
                                5, "private", None, "zh-CN", NOW)
    assert again.id == first.id and again.active


def test_admin_chat_language_and_migration(engine):
    admin = chats.bind_admin_chat(engine, -300, "group", "督查室", "zh-CN", NOW)
    assert admin.is_admin and admin.unit_id is None
    chats.set_chat_language(engine, admin.id, "en")
    assert chats.follow_migrated_chat(engine, -300, -100300)
    moved = chats.chat_by_telegram_id(engine, -100300)
    assert (moved.id, moved.language, moved.kind) == (admin.id, "en", "supergroup")


# --- status reports -------------------------------------------------------------------------


def test_a_report_on_another_units_task_writes_nothing(engine):
    ours, theirs = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    task = add_task(engine, title="别人的任务", units=((theirs, UnitRole.LEAD),))
    chat = chats.redeem_invite(engine, chats.create_invite(engine, "省司法厅", timedelta(hours=1), NOW).code,
                               5, "private", None, "zh-CN", NOW)
    with pytest.raises(chats.NotUnitsTask):
        record_status(engine, task, chat.id, ours, 5, TaskStatus.DONE, NOW)
    with session_scope(engine) as session:
        assert session.execute(select(StatusReport)).first() is None
        assert session.get(Task, task).status == TaskStatus.OPEN


def test_a_report_updates_the_task_and_a_note_joins_the_latest_report(engine):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title="任务", units=((unit, UnitRole.COOPERATING),))
    chat = chats.redeem_invite(engine, chats.create_invite(engine, "省司法厅", timedelta(hours=1), NOW).code,
                               5, "private", None, "zh-CN", NOW)
    record_status(engine, task, chat.id, unit, 5, TaskStatus.BLOCKED, NOW)
    recorded = record_status(engine, task, chat.id, unit, 6, TaskStatus.IN_PROGRESS, NOW + timedelta(1))
    assert recorded.card.status == TaskStatus.IN_PROGRESS and recorded.card.unit_role == UnitRole.COOPERATING
    assert chats.attach_note(engine, chat.id, unit, task, "第一条", NOW, telegram_user_id=6) == recorded.report_id
    chats.attach_note(engine, chat.id, unit, task, "第二条", NOW, telegram_user_id=6)
    with session_scope(engine) as session:
        notes = [r.note for r in session.execute(select(StatusReport).order_by(StatusReport.id)).scalars()]
    assert notes == ["", "第一条\n第二条"]


def test_a_note_from_someone_who_did_not_report_is_their_own_report_with_the_current_status(engine):
    unit, other = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    task = add_task(engine, title="任务", units=((unit, UnitRole.LEAD),))
    theirs = add_task(engine, title="别的任务", units=((other, UnitRole.LEAD),))
    chat = chats.redeem_invite(engine, chats.create_invite(engine, "省司法厅", timedelta(hours=1), NOW).code,
                               -5, "group", "群", "zh-CN", NOW)
    first = record_status(engine, task, chat.id, unit, 5, TaskStatus.BLOCKED, NOW, telegram_user_name="李")

    later = NOW + timedelta(hours=1)
    own = chats.attach_note(engine, chat.id, unit, task, "已协调财政", later, telegram_user_id=6,
                            telegram_user_name="王")
    assert own != first.report_id
    assert chats.attach_note(engine, chat.id, unit, theirs, "不是我们的", later, telegram_user_id=6) is None
    with session_scope(engine) as session:
        reports = session.execute(select(StatusReport).order_by(StatusReport.id)).scalars().all()
        status = session.get(Task, task).status
    assert [(r.telegram_user_id, r.telegram_user_name, r.status, r.note) for r in reports] == [
        (5, "李", TaskStatus.BLOCKED, ""), (6, "王", TaskStatus.BLOCKED, "已协调财政")]
    assert reports[1].reported_at == later
    assert status == TaskStatus.BLOCKED  # a note changes no status


def test_cancelled_is_not_a_units_answer(engine):
    with pytest.raises(ValueError):
        record_status(engine, 1, 1, 1, 1, TaskStatus.CANCELLED, NOW)


# --- texts and buttons ----------------------------------------------------------------------


def delivery(kind=ReminderKind.REMINDER, language="zh-CN", **fields) -> Delivery:
    values = dict(task_id=12, task_label="3.", task_title="推进<政务>公开", task_status="open",
                  document_title="工作要点 & 分工", effective_due=date(2026, 5, 29), deadline_phrase="5月底前",
                  unit_id=4, unit_name="县政务服务中心", unit_role="responsible")
    values.update(fields)
    return Delivery(chat=ChatAddress(1, 42, "group", language), kind=kind, kinds=(kind,), reminder_ids=(1,),
                    now=NOW, **values)


def test_an_overdue_notice_in_chinese_escapes_what_the_document_wrote():
    message = CatalogueComposer().compose(delivery(ReminderKind.OVERDUE))
    assert "推进&lt;政务&gt;公开" in message.text and "工作要点 &amp; 分工" in message.text
    assert "逾期 3 天" in message.text and "负责" in message.text and "“5月底前”" in message.text
    labels = [label for row in message.buttons for label, _ in row]
    assert labels == ["✅ 已完成", "🔄 推进中", "⚠️ 有困难", "📅 申请延期"]


def test_english_chats_read_english():
    message = CatalogueComposer().compose(delivery(ReminderKind.POLL, "en", effective_due=date(2026, 6, 11)))
    assert "Status poll" in message.text and "10 days left" in message.text and "responsible" in message.text
    assert message.buttons[0][0][0] == "✅ Done"


def test_administrators_copy_of_an_escalation_names_the_late_units_and_offers_what_an_administrator_can_do():
    message = CatalogueComposer().compose(delivery(ReminderKind.ESCALATION, unit_id=None, unit_name=None,
                                                   late_units=("县政务服务中心", "县司法局")))
    assert "<b>#12 · 3. 推进&lt;政务&gt;公开</b>" in message.text
    assert "未完成单位：县政务服务中心、县司法局（逾期 3 天）" in message.text
    assert "请点击下方按钮报告进度" not in message.text  # the unit reports, not the administrators
    assert message.buttons == ((("🔔 催办", "es:r:12"), ("⏸ 7 天", "es:h:12"), ("🔎 详情", "es:o:12")),)
    assert all(len(data.encode()) < 64 for row in message.buttons for _, data in row)


def test_digest_and_chat_lost_texts():
    composer = CatalogueComposer(digest_counts=lambda today, days: chats.DigestCounts(due_soon=3, overdue=2))
    digest = composer.compose(delivery(ReminderKind.DIGEST, task_id=None))
    assert "3 项" in digest.text and "2 项" in digest.text and digest.buttons == ()
    lost = composer.compose(delivery(ReminderKind.CHAT_LOST, "en", task_id=None, unit_name="A<b>"))
    assert "A&lt;b&gt;" in lost.text


def test_callback_data_is_compact_and_only_ours_parses():
    for row in status_buttons(2**62, Catalogue()):
        for _, data in row:
            assert len(data.encode()) <= 64
            assert parse_status_data(data) is None  # no row has an id beyond the integer column
    for row in status_buttons(2**31 - 1, Catalogue()):
        for _, data in row:
            assert parse_status_data(data)[0] == 2**31 - 1
    assert parse_status_data(status_data(7, TaskStatus.DONE)) == (7, TaskStatus.DONE)
    for forged in ["st:7:c", "st:-7:d", "st:7:d:x", "st:abc:d", "", None, "st:7", "st:²:d", "st:٣:d", "st:0:d"]:
        assert parse_status_data(forged) is None


# --- command line ---------------------------------------------------------------------------


@pytest.fixture
def cli(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DEADLINE_BOT_DATABASE_URL", database_url)
    monkeypatch.delenv("DEADLINE_BOT_CONFIG", raising=False)
    monkeypatch.delenv("DEADLINE_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    return lambda *args: CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_run_without_a_token_says_so_in_one_line(cli):
    result = cli("run")
    assert result.exit_code == 2
    assert result.output.strip() == "telegram.token: not set (set DEADLINE_BOT_TOKEN)"


def test_invite_without_a_token_prints_the_start_command(cli, engine):
    add_unit(engine, "省司法厅")
    result = cli("invite", "省司法厅")
    assert result.exit_code == 0, result.output
    code = result.output.split("/start ")[1].split()[0]
    assert code in result.output.splitlines()[0]
    assert chats.redeem_invite(engine, code, 9, "private", None, "zh-CN", datetime.now(UTC)).unit_name == "省司法厅"


def test_invite_prints_the_deep_link_from_getme(cli, engine, bot_api, monkeypatch, tmp_path):
    add_unit(engine, "省司法厅")
    config = tmp_path / "c.toml"
    config.write_text(f'[telegram]\nbase_url = "{bot_api.base_url}"\n', encoding="utf-8")
    monkeypatch.setenv("DEADLINE_BOT_TOKEN", bot_api.token)
    result = cli("--config", str(config), "invite", "省司法厅")
    assert result.exit_code == 0, result.output
    assert "https://t.me/deadline_test_bot?start=" in result.output
    assert bot_api.token not in result.output and bot_api.calls_to("getMe")


def test_invite_for_an_unknown_unit_exits_2(cli):
    assert cli("invite", "省不存在厅").exit_code == 2
