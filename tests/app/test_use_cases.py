"""The application layer's rules, asked directly as every interface asks them: who may report
and decide, what may be reported, and that each use case writes all or nothing."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app import extensions as extension_requests
from app import status as status_reports
from app.access import Actor, NotAllowed, may_administer
from extract.unitnames import unit_key
from store.db import session_scope
from store.models import ExtensionRequest, ExtensionState, StatusReport, Task, TaskStatus, Unit, UnitRole
from tests.scheduler.outbox_builders import add_chat, add_document, add_task

NOW = datetime(2031, 6, 2, 1, 30, tzinfo=UTC)
TODAY = date(2031, 6, 2)
ADMIN = 900001


def add_unit(engine, name: str) -> int:
    with session_scope(engine) as session:
        unit = Unit(name=name, key=unit_key(name))  # found by name, as the command line finds it
        session.add(unit)
        session.flush()
        return unit.id


@pytest.fixture
def setting(engine):
    """A task of 省司法厅 (lead) and 省财政厅 (cooperating), each unit with its chat, and a third unit's chat."""
    document = add_document(engine)
    justice, finance, other = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅"), add_unit(engine, "省教育厅")
    task = add_task(engine, document, due=date(2031, 6, 30),
                    units=((justice, UnitRole.LEAD), (finance, UnitRole.COOPERATING)))
    chats = {unit: add_chat(engine, unit_id=unit) for unit in (justice, finance, other)}
    return {"task": task, "justice": justice, "other": other, "chats": chats}


def member(setting, unit_key, user_id=501):
    unit = setting[unit_key]
    return Actor(administrator=False, unit_id=unit, chat_id=setting["chats"][unit], user_id=user_id, user_name="王")


def count(engine, model) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def task_status(engine, task_id) -> TaskStatus:
    with session_scope(engine) as session:
        return session.get(Task, task_id).status


# --- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "chat_type", "in_admin_chat", "allowed"), [
    (ADMIN, "private", False, True),  # the administrator's own chat
    (ADMIN, "group", True, True),  # the administrators' chat
    (ADMIN, "group", False, False),  # a unit's chat: there the administrator is a member of the unit
    (555, "group", True, False),  # an unlisted member of the administrators' group
    (555, "private", False, False),
    (None, "private", False, False),  # no user at all (a channel post)
])
def test_only_a_listed_user_in_a_private_or_administrators_chat_administers(user, chat_type, in_admin_chat,
                                                                             allowed):
    assert may_administer((ADMIN,), user, chat_type, in_admin_chat) is allowed


def test_the_command_line_is_an_administrator():
    assert Actor.command_line().administrator and Actor.command_line(7).unit_id == 7


# --- report a status ---------------------------------------------------------------------------


def test_a_units_member_reports_on_its_task(engine, setting):
    recorded = status_reports.report_status(engine, member(setting, "justice"), setting["task"],
                                            TaskStatus.BLOCKED, NOW, note="等待审批")
    assert recorded.card.status is TaskStatus.BLOCKED and task_status(engine, setting["task"]) is TaskStatus.BLOCKED
    with session_scope(engine) as session:
        report = session.execute(select(StatusReport)).scalar_one()
        assert (report.unit_id, report.telegram_user_id, report.telegram_user_name, report.note) == (
            setting["justice"], 501, "王", "等待审批")


@pytest.mark.parametrize("status", [TaskStatus.CANCELLED, TaskStatus.OPEN, "closed"])
def test_a_unit_cannot_report_what_only_an_administrator_decides(engine, setting, status):
    with pytest.raises(status_reports.NotReportable):
        status_reports.report_status(engine, member(setting, "justice"), setting["task"], status, NOW)
    assert count(engine, StatusReport) == 0 and task_status(engine, setting["task"]) is TaskStatus.OPEN


def test_a_report_on_another_units_task_is_refused_and_writes_nothing(engine, setting):
    for task_id in (setting["task"], 2**31, 0):  # another unit's task; ids no row can have
        with pytest.raises(status_reports.NotUnitsTask):
            status_reports.report_status(engine, member(setting, "other"), task_id, TaskStatus.DONE, NOW)
    with pytest.raises(status_reports.NotUnitsTask):  # an administrators' chat speaks for no unit
        status_reports.report_status(engine, Actor(administrator=True, user_id=ADMIN), setting["task"],
                                     TaskStatus.DONE, NOW)
    assert count(engine, StatusReport) == 0 and task_status(engine, setting["task"]) is TaskStatus.OPEN


def test_a_report_and_its_replan_commit_together(engine, setting):
    def failing_replan(conn, task_ids):
        raise RuntimeError("planning failed")

    with pytest.raises(RuntimeError):
        status_reports.report_status(engine, member(setting, "justice"), setting["task"], TaskStatus.IN_PROGRESS,
                                     NOW, replan=failing_replan)
    assert count(engine, StatusReport) == 0 and task_status(engine, setting["task"]) is TaskStatus.OPEN


def test_the_command_line_names_the_unit_it_reports_for(engine, setting):
    unit_id = status_reports.unit_named_on_task(engine, setting["task"], "省司法厅")
    assert unit_id == setting["justice"]
    with pytest.raises(status_reports.NotUnitsTask):
        status_reports.unit_named_on_task(engine, setting["task"], "省教育厅")
    status_reports.report_status(engine, Actor.command_line(unit_id), setting["task"], TaskStatus.IN_PROGRESS, NOW)
    with session_scope(engine) as session:
        report = session.execute(select(StatusReport)).scalar_one()
        assert (report.unit_id, report.chat_id, report.telegram_user_id) == (setting["justice"], None, None)


# --- request and decide an extension -------------------------------------------------------------


def test_an_extension_needs_a_readable_date_after_today(engine, setting):
    unit = member(setting, "justice")
    with pytest.raises(extension_requests.ProposedDateUnreadable):
        extension_requests.request_extension(engine, unit, setting["task"], "下周吧", NOW, TODAY)
    with pytest.raises(extension_requests.ProposedDateNotLater) as refused:
        extension_requests.request_extension(engine, unit, setting["task"], "2031-06-01", NOW, TODAY)
    assert refused.value.proposed == date(2031, 6, 1)
    with pytest.raises(extension_requests.NotUnitsTask):
        extension_requests.request_extension(engine, member(setting, "other"), setting["task"], "9月30日", NOW, TODAY)
    assert count(engine, ExtensionRequest) == 0 and task_status(engine, setting["task"]) is TaskStatus.OPEN

    request = extension_requests.request_extension(engine, unit, setting["task"], " 9月30日，等待审批 ", NOW, TODAY)
    assert (request.proposed_due, request.reason, request.state) == (
        date(2031, 9, 30), "9月30日，等待审批", ExtensionState.PENDING)
    assert task_status(engine, setting["task"]) is TaskStatus.EXTENSION_REQUESTED


def test_only_an_administrator_decides_an_extension_and_only_once(engine, setting):
    request = extension_requests.request_extension(engine, member(setting, "justice"), setting["task"], "9月30日",
                                                   NOW, TODAY)
    with pytest.raises(NotAllowed):
        extension_requests.decide_extension(engine, member(setting, "justice"), request.id, True, NOW)
    with pytest.raises(extension_requests.UnknownExtension):
        extension_requests.decide_extension(engine, Actor.command_line(), 2**31, True, NOW)
    with session_scope(engine) as session:
        assert session.get(ExtensionRequest, request.id).state is ExtensionState.PENDING

    replanned = []
    decided = extension_requests.decide_extension(engine, Actor(administrator=True, user_id=ADMIN), request.id,
                                                  True, NOW, replan=lambda conn, ids: replanned.append(list(ids)))
    assert (decided.state, decided.effective_due, replanned) == (
        ExtensionState.APPROVED, date(2031, 9, 30), [[setting["task"]]])
    with pytest.raises(extension_requests.AlreadyDecided):
        extension_requests.decide_extension(engine, Actor.command_line(), request.id, False, NOW)


def test_a_decision_and_its_replan_commit_together(engine, setting):
    request = extension_requests.request_extension(engine, member(setting, "justice"), setting["task"], "9月30日",
                                                   NOW, TODAY)

    def failing_replan(conn, task_ids):
        raise RuntimeError("planning failed")

    with pytest.raises(RuntimeError):
        extension_requests.decide_extension(engine, Actor.command_line(), request.id, True, NOW,
                                            replan=failing_replan)
    with session_scope(engine) as session:
        assert session.get(ExtensionRequest, request.id).state is ExtensionState.PENDING
        assert session.get(Task, setting["task"]).effective_due == date(2031, 6, 30)
