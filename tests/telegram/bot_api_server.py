"""A Bot API–compatible HTTP server on 127.0.0.1 for end-to-end tests.

It speaks just enough of https://core.telegram.org/bots/api for python-telegram-bot to run
against it over real HTTP: `/bot<token>/<method>` with form, JSON or multipart bodies, answers
shaped like Telegram's (`{"ok": true, "result": ...}`, Message objects with message_id, date,
chat, text, ...). Every call is recorded for assertions; tests queue updates (messages, button
presses) that getUpdates serves, and can make a chat answer like a blocked, rate-limited or
migrated chat does on the real server. With `limits` it keeps Telegram's flood limits as the real
server does (429 with retry_after for a message over one); with `send_delay`, a slower round trip.
The delivery benchmark (bench/delivery_bench.py) sends through it too.
"""
from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import math
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote

BOT_USER = {"id": 7000001, "is_bot": True, "first_name": "Deadline Bot", "username": "deadline_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

# What Telegram accepts as a command name in setMyCommands.
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
# Parameters PTB sends JSON-encoded inside a form field; everything else stays a string.
_JSON_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "reply_markup", "allowed_updates",
                "commands", "show_alert", "cache_time", "drop_pending_updates", "reply_parameters",
                "link_preview_options", "disable_notification", "protect_content", "entities", "scope"}


@dataclass(frozen=True)
class Call:
    method: str
    params: dict
    result: object = None  # what the server answered with ("result" of an ok answer), for message ids
    at: float = field(default_factory=time.monotonic)  # when the request arrived (real, monotonic seconds)

    @property
    def chat_id(self):
        return self.params.get("chat_id")


@dataclass
class _ChatFailure:
    status: int
    description: str
    parameters: dict | None = None
    times: int | None = None  # None: every time


@dataclass
class BotApiServer:
    """Start with `start()` (or as a context manager); `base_url` is what PTB's base_url wants."""

    token: str = "123456:TEST-token-for-the-local-server"
    calls: list[Call] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)  # the server's own failures
    # Answer a getUpdates that arrives while another is waiting with 409, as Telegram does.
    refuse_concurrent_polls: bool = False
    conflicts: int = 0  # getUpdates calls refused so
    # Seconds sendMessage waits before answering (a slow Bot API); the message is accepted first.
    send_delay: float = 0.0
    # While set, every sendMessage answers with this status (500: the Bot API is down) and sends nothing.
    outage_status: int | None = None
    # Telegram's flood limits, kept when set: (messages per second overall, per second per chat, per
    # minute per group chat). A sendMessage over one answers 429 with retry_after and sends nothing.
    limits: tuple[int, int, int] | None = None
    rate_limited: int = 0  # sendMessage calls refused so

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._callback_ids = itertools.count(1)
        self._messages: dict[tuple[int, int], dict] = {}
        self._chats: dict[int, dict] = {}
        self._failures: dict[int, list[_ChatFailure]] = {}
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, bytes)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._polling = 0
        self._sent_overall: deque[float] = deque()
        self._sent_per_chat: dict[int, deque[float]] = {}
        self._sent_per_group: dict[int, deque[float]] = {}

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> BotApiServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                server._handle(self)

            do_GET = do_POST  # noqa: N815

            def log_message(self, format, *args) -> None:  # quiet: the URL carries the token
                pass

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.errors = self.errors
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="bot-api-server",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            with self._lock:
                self._lock.notify_all()
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> BotApiServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "start() the server first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/bot"

    @property
    def base_file_url(self) -> str:
        """What PTB's base_file_url wants: files are served at <this><token>/<file_path>."""
        assert self._httpd is not None, "start() the server first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/file/bot"

    # --- what tests queue ----------------------------------------------------------------

    def chat(self, chat_id: int, kind: str = "private", title: str | None = None) -> dict:
        """Register (or fetch) a chat; private chats are named after their user."""
        with self._lock:
            if chat_id not in self._chats:
                chat = {"id": chat_id, "type": kind}
                if kind == "private":
                    chat["first_name"] = title or f"user{chat_id}"
                else:
                    chat["title"] = title or f"group{chat_id}"
                self._chats[chat_id] = chat
            return self._chats[chat_id]

    @staticmethod
    def user(user_id: int, first_name: str | None = None) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": first_name or f"user{user_id}"}

    def add_message(self, chat_id: int, text: str, *, user_id: int | None = None, first_name: str | None = None,
                    chat_kind: str = "private", chat_title: str | None = None,
                    reply_to_message_id: int | None = None) -> dict:
        """Queue a text message from a user (a /command gets its bot_command entity)."""
        chat = self.chat(chat_id, chat_kind, chat_title)
        user_id = chat_id if user_id is None else user_id
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                   "from": self.user(user_id, first_name), "text": text}
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        if reply_to_message_id is not None:
            message["reply_to_message"] = self._messages[(chat_id, reply_to_message_id)]
        with self._lock:
            self._messages[(chat_id, message["message_id"])] = message
        return self._enqueue({"message": message})

    def add_document(self, chat_id: int, data: bytes, file_name: str, *, user_id: int | None = None,
                     chat_kind: str = "private", caption: str | None = None) -> dict:
        """Queue a document message; getFile and the file URL then serve its bytes."""
        chat = self.chat(chat_id, chat_kind)
        user_id = chat_id if user_id is None else user_id
        with self._lock:
            file_id = f"doc{len(self._files) + 1}"
            self._files[file_id] = (f"documents/{file_id}/{file_name}", bytes(data))
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                   "from": self.user(user_id),
                   "document": {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
                                "file_size": len(data)}}
        if caption:
            message["caption"] = caption
        with self._lock:
            self._messages[(chat_id, message["message_id"])] = message
        return self._enqueue({"message": message})

    def add_migration(self, chat_id: int, new_chat_id: int, *, user_id: int) -> dict:
        """Queue the service message a group posts when it becomes a supergroup."""
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": self.chat(chat_id, "group"),
                   "from": self.user(user_id), "migrate_to_chat_id": new_chat_id}
        return self._enqueue({"message": message})

    def add_callback(self, chat_id: int, message_id: int, data: str, *, user_id: int,
                     first_name: str | None = None) -> dict:
        """Queue a press of an inline button under the message the bot sent."""
        with self._lock:
            message = self._messages[(chat_id, message_id)]
        query = {"id": str(next(self._callback_ids)), "from": self.user(user_id, first_name),
                 "chat_instance": f"ci{chat_id}", "data": data, "message": message}
        return self._enqueue({"callback_query": query})

    def add_bot_removed(self, chat_id: int, *, by_user_id: int, chat_kind: str = "group",
                        status: str = "kicked") -> dict:
        """Queue the my_chat_member update Telegram sends when the bot is removed ("kicked"/"left")."""
        chat = self.chat(chat_id, chat_kind)
        old = {"status": "member", "user": BOT_USER}
        new = {"status": status, "user": BOT_USER, "until_date": 0} if status == "kicked" else \
            {"status": status, "user": BOT_USER}
        return self._enqueue({"my_chat_member": {"chat": chat, "from": self.user(by_user_id), "date": int(time.time()),
                                                 "old_chat_member": old, "new_chat_member": new}})

    def _enqueue(self, body: dict) -> dict:
        with self._lock:
            update = {"update_id": next(self._update_ids), **body}
            self._updates.append(update)
            self._lock.notify_all()
        return update

    # --- making chats fail ----------------------------------------------------------------

    def block(self, chat_id: int, description: str = "Forbidden: bot was blocked by the user") -> None:
        """Every send to the chat answers 403, as after the user blocked the bot."""
        self._failures.setdefault(chat_id, []).append(_ChatFailure(403, description))

    def fail(self, chat_id: int, status: int, description: str, times: int | None = None) -> None:
        """Sends to the chat answer with this error (every time, or `times` times)."""
        self._failures.setdefault(chat_id, []).append(_ChatFailure(status, description, None, times))

    def rate_limit(self, chat_id: int, retry_after: int, times: int = 1) -> None:
        self._failures.setdefault(chat_id, []).append(
            _ChatFailure(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}, times))

    def migrate(self, chat_id: int, new_chat_id: int, times: int | None = None) -> None:
        self._failures.setdefault(chat_id, []).append(
            _ChatFailure(400, "Bad Request: group chat was upgraded to a supergroup chat",
                         {"migrate_to_chat_id": new_chat_id}, times))

    def _failure_for(self, chat_id) -> _ChatFailure | None:
        with self._lock:
            queue = self._failures.get(chat_id)
            if not queue:
                return None
            failure = queue[0]
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    queue.pop(0)
            return failure

    # --- what tests assert on -------------------------------------------------------------

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def message(self, chat_id: int, message_id: int) -> dict:
        with self._lock:
            return self._messages[(chat_id, message_id)]

    # --- serving ------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        prefix = f"/bot{self.token}/"
        file_prefix = f"/file/bot{self.token}/"
        if unquote(request.path).startswith(file_prefix):  # PTB percent-encodes the whole file URL
            return self._serve_file(request, unquote(request.path)[len(file_prefix):])
        if not request.path.startswith(prefix):
            return _reply(request, HTTPStatus.NOT_FOUND, {"ok": False, "error_code": 404, "description": "Not Found"})
        method = request.path[len(prefix):]
        params = _read_params(request)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        else:
            try:
                status, body = handler(params)
            except KeyError as missing:
                status, body = 400, {"ok": False, "error_code": 400,
                                     "description": f"Bad Request: {missing} not found"}
        with self._lock:
            self.calls.append(Call(method, params, body.get("result")))
        _reply(request, status, body)

    def _serve_file(self, request: BaseHTTPRequestHandler, file_path: str) -> None:
        with self._lock:
            found = [data for path, data in self._files.values() if path == file_path]
            self.calls.append(Call("downloadFile", {"file_path": file_path}))
        if not found:
            return _reply(request, HTTPStatus.NOT_FOUND, {"ok": False, "error_code": 404, "description": "Not Found"})
        request.send_response(200)
        request.send_header("Content-Type", "application/octet-stream")
        request.send_header("Content-Length", str(len(found[0])))
        request.end_headers()
        request.wfile.write(found[0])

    def _fail_or(self, chat_id, result):
        failure = self._failure_for(chat_id)
        if failure is None:
            return 200, {"ok": True, "result": result()}
        body = {"ok": False, "error_code": failure.status, "description": failure.description}
        if failure.parameters:
            body["parameters"] = failure.parameters
        return failure.status, body

    def _api_getMe(self, params):  # noqa: N802
        return 200, {"ok": True, "result": BOT_USER}

    def _api_deleteWebhook(self, params):  # noqa: N802
        return 200, {"ok": True, "result": True}

    _api_setWebhook = _api_deleteWebhook  # noqa: N815
    _api_close = _api_deleteWebhook
    _api_logOut = _api_deleteWebhook  # noqa: N815

    def _api_setMyCommands(self, params):  # noqa: N802
        """Checked as Telegram checks it; a scoped list fails like a send to that chat (see fail())."""
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100 or not all(
                _COMMAND.match(c.get("command", "")) and 1 <= len(c.get("description", "")) <= 256
                for c in commands):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: BOT_COMMAND_INVALID"}
        if not re.fullmatch(r"(?:[a-z]{2})?", params.get("language_code") or ""):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid language code"}
        return self._fail_or((params.get("scope") or {}).get("chat_id"), lambda: True)

    def _api_deleteMyCommands(self, params):  # noqa: N802
        return self._fail_or((params.get("scope") or {}).get("chat_id"), lambda: True)

    def _api_getUpdates(self, params):  # noqa: N802
        offset = int(params.get("offset") or 0)
        # Long polling, kept short: tests poll for conditions and stop promptly.
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.5)
        with self._lock:
            if self._polling and self.refuse_concurrent_polls:  # as Telegram does when two processes poll
                self.conflicts += 1
                return 409, {"ok": False, "error_code": 409,
                             "description": "Conflict: terminated by other getUpdates request; make sure that "
                                            "only one bot instance is running"}
            self._polling += 1
            try:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                while not self._updates and time.monotonic() < deadline and self._httpd is not None:
                    self._lock.wait(deadline - time.monotonic())
                limit = int(params.get("limit") or 100)
                return 200, {"ok": True, "result": list(self._updates[:limit])}
            finally:
                self._polling -= 1

    def _retry_after(self, chat_id: int) -> int | None:
        """Whole seconds to wait if one more message to the chat now breaks a limit; else None, and it counts."""
        overall, per_chat, per_group = self.limits
        now = time.monotonic()
        with self._lock:
            windows = [(self._sent_overall, overall, 1.0),
                       (self._sent_per_chat.setdefault(chat_id, deque()), per_chat, 1.0)]
            if chat_id < 0:  # groups, supergroups and channels have negative ids
                windows.append((self._sent_per_group.setdefault(chat_id, deque()), per_group, 60.0))
            wait = 0.0
            for sent, limit, seconds in windows:
                while sent and sent[0] <= now - seconds:
                    sent.popleft()
                if len(sent) >= limit:
                    wait = max(wait, sent[-limit] + seconds - now)
            if wait > 0:
                self.rate_limited += 1
                return max(1, math.ceil(wait))
            for sent, _, _ in windows:
                sent.append(now)
            return None

    def _api_sendMessage(self, params):  # noqa: N802
        chat_id = params["chat_id"]
        if self.outage_status:
            return self.outage_status, {"ok": False, "error_code": self.outage_status,
                                        "description": "Internal Server Error"}
        if self.limits is not None and (retry_after := self._retry_after(chat_id)) is not None:
            if self.send_delay:
                time.sleep(self.send_delay)
            return 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {retry_after}",
                         "parameters": {"retry_after": retry_after}}

        def sent():
            message = {"message_id": next(self._message_ids), "date": int(time.time()),
                       "chat": self.chat(chat_id, "supergroup" if chat_id < -1_000_000_000_000 else
                                         ("private" if chat_id > 0 else "group")),
                       "from": BOT_USER, "text": params.get("text", "")}
            # Like Telegram, a message carries only an inline keyboard; a ForceReply is not echoed.
            if (params.get("reply_markup") or {}).get("inline_keyboard"):
                message["reply_markup"] = params["reply_markup"]
            with self._lock:
                self._messages[(chat_id, message["message_id"])] = message
            return message

        answer = self._fail_or(chat_id, sent)
        if self.send_delay:
            time.sleep(self.send_delay)  # accepted (and recorded) already: only the answer is late
        return answer

    def _api_sendDocument(self, params):  # noqa: N802
        chat_id = params["chat_id"]

        def sent():
            message = {"message_id": next(self._message_ids), "date": int(time.time()),
                       "chat": self.chat(chat_id), "from": BOT_USER,
                       "document": {"file_id": "f1", "file_unique_id": "u1",
                                    "file_name": params.get("document_name", "file")}}
            return message

        return self._fail_or(chat_id, sent)

    def _api_getFile(self, params):  # noqa: N802
        with self._lock:
            path, data = self._files[params["file_id"]]
        return 200, {"ok": True, "result": {"file_id": params["file_id"], "file_unique_id": f"u{params['file_id']}",
                                            "file_size": len(data), "file_path": path}}

    def _api_editMessageText(self, params):  # noqa: N802
        chat_id, message_id = params["chat_id"], int(params["message_id"])

        def edited():
            with self._lock:
                message = dict(self._messages[(chat_id, message_id)])
                message["text"] = params.get("text", "")
                message["edit_date"] = int(time.time())
                if params.get("reply_markup"):
                    message["reply_markup"] = params["reply_markup"]
                else:
                    message.pop("reply_markup", None)
                self._messages[(chat_id, message_id)] = message
                return message

        return self._fail_or(chat_id, edited)

    def _api_editMessageReplyMarkup(self, params):  # noqa: N802
        chat_id, message_id = params["chat_id"], int(params["message_id"])
        with self._lock:
            message = dict(self._messages[(chat_id, message_id)])
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            else:
                message.pop("reply_markup", None)
            self._messages[(chat_id, message_id)] = message
        return 200, {"ok": True, "result": message}

    def _api_answerCallbackQuery(self, params):  # noqa: N802
        return 200, {"ok": True, "result": True}


class _QuietServer(ThreadingHTTPServer):
    errors: list[BaseException]

    def handle_error(self, request, client_address) -> None:
        # A client hanging up (a cancelled long poll) is no failure; anything else is a server bug.
        import sys

        error = sys.exc_info()[1]
        if not isinstance(error, (BrokenPipeError, ConnectionResetError)):
            self.errors.append(error)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _read_params(request: BaseHTTPRequestHandler) -> dict:
    length = int(request.headers.get("Content-Length") or 0)
    raw = request.rfile.read(length) if length else b""
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        return json.loads(raw or b"{}")
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
        fields = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            if filename is not None:
                fields[f"{name}_name"] = filename
                fields[name] = part.get_payload(decode=True)
            else:
                fields[name] = part.get_payload(decode=True).decode("utf-8")
        return _decoded(fields)
    form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
    return _decoded({key: values[-1] for key, values in form.items()})


def _decoded(fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if key in _JSON_FIELDS and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                pass
        out[key] = value
    return out


def _reply(request: BaseHTTPRequestHandler, status: int, body: dict) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request.send_response(status)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", str(len(data)))
    request.end_headers()
    try:
        request.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):  # the client gave up (a cancelled long poll)
        pass
