"""Message texts in the chat's language, from the catalogues (scheduler.notify.MessageComposer).

Everything a document or a user wrote (task titles, plan titles, unit names, deadline
phrases, people's names) is HTML-escaped before it is put into a catalogue template, whose
own markup (<b>) is the only markup Telegram sees.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import Catalogue
from bot.task_labels import label_prefix
from bot.keyboards import compact_status_row, escalation_row, extension_buttons, status_buttons, verify_buttons
from scheduler.batching import LISTED_KINDS
from scheduler.model import ReminderKind
from scheduler.notify import Delivery, DeliveryItem, OutgoingMessage
from scheduler.policy import ReminderPolicy
from scheduler.traffic import TrafficLight, traffic_light
from store.chats import TaskCard
from store.digest import Digest, DigestTask
from store.milestones import MilestoneMet
from store.notices import ExtensionNotice
from vocabulary import TaskStatus

TASK_KINDS = (ReminderKind.REMINDER, ReminderKind.DUE_TODAY, ReminderKind.OVERDUE, ReminderKind.ESCALATION,
              ReminderKind.POLL)
LIGHTS = {TrafficLight.GREEN: "🟢", TrafficLight.YELLOW: "🟡", TrafficLight.RED: "🔴"}
NO_LIGHT = "⚪"
# Telegram's 4,096 characters, less room for the closing lines and HTML escapes' slack.
DIGEST_CHARS = 3800
DIGEST_TITLE_CHARS = 60


def escape(value: object) -> str:
    return html.escape(str(value), quote=False)


@dataclass(frozen=True)
class TaskView:
    """What a message about a task shows, whether it comes from a Delivery or a TaskCard."""

    task_id: int
    label: str
    title: str
    status: str
    document_title: str | None
    due: date | None
    deadline_phrase: str | None
    unit_name: str | None
    unit_role: str | None
    deadline_quote: str | None = None  # the plan's sentence the milestone was read from

    @classmethod
    def of_card(cls, card: TaskCard) -> TaskView:
        return cls(card.task_id, card.label, card.title, str(card.status), card.document_title, card.effective_due,
                   card.deadline_phrase, card.unit_name, str(card.unit_role))


def task_text(view: TaskView, texts: Catalogue, today: date, kind: ReminderKind | None = None) -> str:
    """The body of a message about a task: headline, task, plan, due date, role, phrase, status."""
    lines = []
    if kind is not None:
        lines.append(texts.text(f"tg.kind_{kind.value}"))
    lines.append(task_ref(view.task_id, view.label, view.title, texts))
    if view.document_title:
        lines.append(texts.text("tg.plan", plan=escape(view.document_title)))
    if view.due is not None:
        lines.append(texts.text("tg.due", due=view.due.isoformat(), days=escape(days_text(view.due, today, texts))))
    else:
        lines.append(texts.text("tg.no_due"))
    if view.unit_name:
        role = texts.text(f"role.{view.unit_role}") if view.unit_role else ""
        lines.append(texts.text("tg.role", unit=escape(view.unit_name), role=escape(role)))
    if view.deadline_phrase:
        lines.append(texts.text("tg.phrase", phrase=escape(view.deadline_phrase)))
    if view.deadline_quote and view.deadline_quote.strip() != (view.deadline_phrase or "").strip():
        lines.append(texts.text("tg.quote", quote=escape(clipped_to(view.deadline_quote.strip(), QUOTE_CHARS))))
    lines.append(texts.text("tg.status", status=escape(texts.text(f"status.{view.status}"))))
    return "\n".join(lines)


def task_ref(task_id: int, label: str, title: str, texts: Catalogue) -> str:
    """<b>#12 · （三）title</b>: the id every command takes first, the plan's label after."""
    return texts.text("batch.task", id=task_id, label=escape(label_prefix(label)), title=escape(title))


def late_units_text(units: tuple[str, ...], due: date | None, today: date, texts: Catalogue) -> str:
    """Which units have not done their share of an overdue task, and for how many days it is overdue."""
    names = texts.text("cmd.list_sep").join(escape(clipped_to(name, UNIT_CHARS)) for name in units[:LATE_UNITS])
    names += "…" if len(units) > LATE_UNITS else ""
    if due is not None and due < today:
        return texts.text("batch.late_units", units=names, days=(today - due).days)
    return texts.text("batch.late_units_no_days", units=names)


# A list line must stay short: ten of them and their late units fit well inside 4,096 characters.
LIST_TITLE_CHARS = 60
UNIT_CHARS = 24
LATE_UNITS = 3


def clipped_to(text: str, limit: int) -> str:
    """The text, or its first limit - 1 characters and "…": one line of a list stays one line."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def list_message(delivery: Delivery, texts: Catalogue, today: date) -> OutgoingMessage:
    """Several tasks due for one chat: one line per task (#id first) in sections by urgency, a
    compact row of buttons per task; the administrators' rows act on a late task."""
    admins = delivery.unit_id is None
    if admins:
        title = texts.text("batch.title_admin", count=len(delivery.items))
    else:
        title = texts.text("batch.title_unit", unit=escape(delivery.unit_name or ""), count=len(delivery.items))
    if delivery.pages > 1:
        title += " " + texts.text("batch.page", page=delivery.page, pages=delivery.pages)
    lines, buttons = [title], []
    section = None
    for item in delivery.items:
        if item.kind is not section:
            section = item.kind
            lines += ["", texts.text(f"tg.kind_{item.kind.value}")]
        lines.append(_list_line(item, texts, today))
        if item.late_units and item.kind is ReminderKind.ESCALATION:
            lines.append(texts.text("batch.line_late", units=late_units_text(item.late_units, item.effective_due,
                                                                               today, texts)))
        if admins:
            buttons.append(escalation_row(item.task_id, texts, numbered=True))
        else:
            buttons.append(compact_status_row(item.task_id, texts, item.effective_due))
    lines += ["", texts.text("batch.ask_admin" if admins else "batch.ask")]
    return OutgoingMessage("\n".join(lines), tuple(buttons))


def _list_line(item: DeliveryItem, texts: Catalogue, today: date) -> str:
    due = (texts.text("batch.line_due", due=item.due.isoformat(), days=escape(days_text(item.due, today, texts)))
           if item.due is not None else texts.text("batch.line_no_due"))
    return texts.text("batch.line", id=item.task_id, label=escape(label_prefix(item.label)),
                      title=escape(clipped_to(item.title, LIST_TITLE_CHARS)), due=due)


# A quote is a sentence of the plan, sometimes a whole paragraph; the message is about the task.
QUOTE_CHARS = 160


def days_text(due: date, today: date, texts: Catalogue) -> str:
    days = (due - today).days
    if days > 0:
        return texts.text("days.left", days=days)
    if days == 0:
        return texts.text("days.today")
    return texts.text("days.overdue", days=-days)


def recorded_text(texts: Catalogue, who: str, when: datetime, status: str) -> str:
    return texts.text("tg.recorded", who=escape(who), when=when.strftime("%Y-%m-%d %H:%M"),
                      status=escape(texts.text(f"status.{status}")))


def closed_text(status: str, closed_at: datetime | None, verified: bool, texts: Catalogue, zone, *,
                pressed: bool = True) -> str:
    """Why a button on an old message (or a /status) changed nothing: the task was closed, when and how."""
    when = closed_at.astimezone(zone).strftime("%Y-%m-%d") if closed_at else "—"
    suffix = "" if pressed else "_command"
    if verified:
        return texts.text(f"completion.closed_refused_verified{suffix}", when=when)
    return texts.text(f"completion.closed_refused{suffix}", when=when, status=escape(texts.text(f"status.{status}")))


def milestone_met_text(met: MilestoneMet, texts: Catalogue, today: date) -> str:
    """A done report met one milestone of several: which one, and what the task is due by now."""
    return texts.text("tg.milestone_met", phrase=escape(met.phrase), due=met.due.isoformat(),
                      next_phrase=escape(met.next_phrase), next_due=met.next_due.isoformat(),
                      days=escape(days_text(met.next_due, today, texts)))


def when_text(instant: datetime, texts: Catalogue, zone: ZoneInfo) -> str:
    """A moment ahead, as people say it: "12月7日（周一）09:00" in the plan's time zone."""
    local = instant.astimezone(zone)
    return texts.text("notices.when", month=local.month, day=local.day,
                      weekday=texts.text(f"notices.weekday_{local.weekday()}"), time=local.strftime("%H:%M"))


def light_of(status: TaskStatus | str, due: date | None, today: date, policy: ReminderPolicy) -> str:
    """🟢🟡🔴 as scheduler.traffic judges the task; ⚪ for a task it does not judge."""
    light = traffic_light(str(getattr(status, "value", status)), due, today, policy)
    return LIGHTS[light] if light is not None else NO_LIGHT


def digest_text(digest: Digest, texts: Catalogue, policy: ReminderPolicy) -> str:
    """The administrators' digest: counts, then each unit's tasks (🔴🟡🟢 #id label title · why),
    trimmed to one Telegram message with "…and N more", ending with where to see everything.
    The weekly row and /digest both show this."""
    head = texts.text("notices.digest_title", today=digest.today.isoformat()) + "\n" + texts.text(
        "notices.digest_counts", overdue=digest.overdue, days=digest.within_days, due=digest.due_soon,
        blocked=digest.blocked, extensions=digest.extensions)
    tail = texts.text("notices.digest_pointer", days=digest.within_days)
    if digest.empty:
        return "\n\n".join([head, texts.text("notices.digest_empty"), tail])
    body: list[str] = []
    used = len(head) + len(tail) + 4
    room_for_more = 40  # "…and N more" always fits after the last line shown
    total = sum(len(unit.tasks) for unit in digest.units)
    shown = 0
    full = False
    for unit in digest.units:
        header = "\n" + texts.text("notices.digest_unit", unit=escape(unit.unit_name or texts.text(
            "notices.digest_no_unit")), count=len(unit.tasks))
        headed = False
        for task in unit.tasks:
            line = _digest_line(task, texts, digest.today, policy)
            needed = len(line) + 1 + (0 if headed else len(header) + 1)
            if used + needed + room_for_more > DIGEST_CHARS:
                full = True
                break
            if not headed:
                body.append(header)
                headed = True
            body.append(line)
            used += needed
            shown += 1
        if full:
            break
    if shown < total:
        body.append(texts.text("notices.digest_more", count=total - shown))
    return head + "\n" + "\n".join(body) + "\n\n" + tail


def _digest_line(task: DigestTask, texts: Catalogue, today: date, policy: ReminderPolicy) -> str:
    why = []
    if task.effective_due is not None and (task.overdue or task.due_soon):
        why.append(texts.text("notices.digest_due", due=task.effective_due.isoformat(),
                              days=escape(days_text(task.effective_due, today, texts))))
    if task.blocked:
        why.append(texts.text("notices.digest_blocked"))
    if task.proposed_due is not None:
        why.append(texts.text("notices.digest_extension", proposed=task.proposed_due.isoformat()))
    title = task.title if len(task.title) <= DIGEST_TITLE_CHARS else task.title[:DIGEST_TITLE_CHARS - 1] + "…"
    return texts.text("notices.digest_line", light=light_of(task.status, task.effective_due, today, policy),
                      id=task.task_id, label=escape(label_prefix(task.label)), title=escape(title), why=" · ".join(why))


def extension_request_text(notice: ExtensionNotice, texts: Catalogue) -> str:
    return texts.text(
        "ext.request", unit=escape(notice.unit_name), label=escape(notice.label), title=escape(notice.title),
        plan=escape(notice.document_title),
        due=notice.effective_due.isoformat() if notice.effective_due else "—",
        proposed=notice.proposed_due.isoformat(), who=escape(notice.requested_by or "—"),
        reason=escape(notice.reason) if notice.reason else texts.text("ext.no_reason"))


class CatalogueComposer:
    """Composes every kind of Delivery in the chat's language; reads nothing but the Delivery."""

    def __init__(self, timezone: str = "Asia/Shanghai", policy: ReminderPolicy | None = None) -> None:
        self.zone = ZoneInfo(timezone)
        self.policy = policy or ReminderPolicy()

    def compose(self, delivery: Delivery) -> OutgoingMessage:
        texts = Catalogue(delivery.chat.language)
        today = delivery.now.astimezone(self.zone).date()
        if delivery.kind is ReminderKind.DIGEST:
            digest = delivery.digest or Digest(today, 7, (), 0, 0, 0, 0)
            return OutgoingMessage(digest_text(digest, texts, self.policy))
        if delivery.kind in (ReminderKind.EXT_REQUEST, ReminderKind.EXT_DECISION) and delivery.extension:
            return self._extension(delivery.kind, delivery.extension, texts)
        if delivery.kind in (ReminderKind.OUTAGE, ReminderKind.OUTAGE_OVER) and delivery.outage is not None:
            return OutgoingMessage(self._outage_text(delivery, texts))
        if delivery.kind is ReminderKind.CHAT_LOST:
            if delivery.unit_name:
                return OutgoingMessage(texts.text("tg.chat_lost", unit=escape(delivery.unit_name)))
            return OutgoingMessage(texts.text("tg.chat_lost_no_unit"))
        if delivery.kind is ReminderKind.HOLIDAYS_MISSING and delivery.due_date is not None:
            return OutgoingMessage(texts.text("holidays.missing_year", year=delivery.due_date.year))
        if delivery.kind in (ReminderKind.VERIFY_REQUEST, ReminderKind.SENT_BACK):
            return self._completion(delivery, texts, today)
        if delivery.items and delivery.kind in LISTED_KINDS:
            return list_message(delivery, texts, today)
        view = TaskView(
            task_id=delivery.task_id, label=delivery.task_label or "", title=delivery.task_title or "",
            status=delivery.task_status or "open", document_title=delivery.document_title,
            # A reminder is about one milestone: its date, not necessarily the task's current one.
            due=delivery.due_date or delivery.effective_due, deadline_phrase=delivery.deadline_phrase,
            unit_name=delivery.unit_name, unit_role=delivery.unit_role, deadline_quote=delivery.deadline_quote,
        )
        text = task_text(view, texts, today, delivery.kind)
        if delivery.kind is ReminderKind.ESCALATION and delivery.late_units:
            text += "\n" + late_units_text(delivery.late_units, delivery.effective_due, today, texts)
        if delivery.unit_id is None:
            # Administrators' copies of an escalation carry no unit: the unit answers, the
            # administrators can remind it now, hold the task's reminders, or open the task.
            if delivery.kind is not ReminderKind.ESCALATION:
                return OutgoingMessage(text)
            return OutgoingMessage(text, (escalation_row(delivery.task_id, texts, numbered=False),))
        ask = texts.text("tg.ask_poll" if delivery.kind is ReminderKind.POLL else "tg.ask")
        return OutgoingMessage(text + "\n\n" + ask, status_buttons(delivery.task_id, texts, delivery.effective_due))

    def _completion(self, delivery: Delivery, texts: Catalogue, today: date) -> OutgoingMessage:
        """A verification request to the administrators (with ✅ 销号 / ↩ 退回), or a send-back's
        reason to a unit (with its status buttons, to report again)."""
        view = TaskView(
            task_id=delivery.task_id, label=delivery.task_label or "", title=delivery.task_title or "",
            status=delivery.task_status or "open", document_title=delivery.document_title,
            due=delivery.effective_due, deadline_phrase=delivery.deadline_phrase, unit_name=None, unit_role=None)
        lines = [texts.text(f"completion.kind_{delivery.kind.value}"), task_text(view, texts, today), ""]
        note = (delivery.report_note or "").strip()
        if delivery.kind is ReminderKind.VERIFY_REQUEST:
            lines.append(texts.text("completion.verify_reported", unit=escape(delivery.unit_name or "—"),
                                    who=escape(delivery.report_user_name or "—")))
            if note:
                lines.append(texts.text("completion.verify_note", note=escape(note)))
            lines.append(texts.text("completion.verify_ask"))
            return OutgoingMessage("\n".join(lines), verify_buttons(delivery.task_id, texts))
        lines += [texts.text("completion.sent_back_reason", reason=escape(note or "—")),
                  texts.text("completion.sent_back_ask")]
        return OutgoingMessage("\n".join(lines), status_buttons(delivery.task_id, texts, delivery.effective_due))

    def _extension(self, kind: ReminderKind, notice: ExtensionNotice, texts: Catalogue) -> OutgoingMessage:
        """The request, with ✅ 批准 · ❌ 驳回 while it waits; or the decision, to the unit."""
        if kind is ReminderKind.EXT_REQUEST:
            text = extension_request_text(notice, texts)
            if notice.state != "pending":  # decided before this copy went out: no buttons to press
                return OutgoingMessage(text + "\n\n" + texts.text("ext.already",
                                                                   state=texts.text(f"ext.state_{notice.state}")))
            return OutgoingMessage(text, extension_buttons(notice.request_id, texts))
        due = notice.effective_due.isoformat() if notice.effective_due else "—"
        key = "ext.approved_unit" if notice.state == "approved" else "ext.rejected_unit"
        return OutgoingMessage(texts.text(key, label=escape(notice.label), title=escape(notice.title), due=due))

    def _outage_text(self, delivery: Delivery, texts: Catalogue) -> str:
        outage = delivery.outage
        cause = "database" if outage.cause == "database" else "telegram"
        local = lambda instant: instant.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")  # noqa: E731
        if delivery.kind is ReminderKind.OUTAGE:
            return texts.text(f"outage.began_{cause}", since=local(outage.started_at),
                              error=escape(outage.error or "?"), waiting=outage.waiting)
        until = outage.ended_at or delivery.now
        minutes = max(1, round((until - outage.started_at).total_seconds() / 60))
        return texts.text(f"outage.over_{cause}", since=local(outage.started_at), until=local(until),
                          minutes=minutes, waiting=outage.waiting)
