"""Hostile input on the command line (odd file names, ids beyond any row, a busy SQLite file) and
the holiday notices: one line and an exit code, never a traceback, and the other files go on."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.cli.test_commands import PLAN, plan_file

NOTICE = """国务院办公厅关于2027年部分节假日安排的通知

一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。1月31日（周日）、2月20日（周六）上班。
"""

NOTICE_HTML = """<html><head><title>国务院办公厅关于2027年部分节假日安排的通知</title></head><body>
<h1>国务院办公厅关于2027年部分节假日安排的通知</h1>
<p>一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。</p>
<p>二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。1月31日（周日）、2月20日（周六）上班。</p>
</body></html>"""


def gbk_named(tmp_path: Path, stem: str, content: str) -> str:
    """A file whose name is GBK bytes (a Windows zip unpacked on Linux), as argv hands it over."""
    raw = os.path.join(os.fsencode(tmp_path), f"{stem}.txt".encode("gbk"))
    with open(raw, "wb") as handle:
        handle.write(content.encode("utf-8"))
    return os.fsdecode(raw)


@pytest.mark.parametrize("args", [
    ("tasks", "--document", "99999999999999999999"),
    ("due", "--document", "2147483648"),
    ("overdue", "--document", "0"),
    ("schedule", "--from", "2031-01-01", "--to", "2031-02-01", "--document", "-1"),
    ("revoke-invite", "99999999999"),
])
def test_an_id_beyond_any_row_is_one_line_and_exit_2(cli, args):
    result = cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "2147483647" in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_the_largest_id_reaches_the_query_and_is_a_plain_not_found(cli):
    result = cli("tasks", "--document", "2147483647", "--format", "json")
    assert result.exit_code == 1 and "2147483647" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_file_name_that_is_not_utf8_is_ingested_and_the_files_after_it_too(cli, tmp_path):
    odd = gbk_named(tmp_path, "工作要点", PLAN)
    later = plan_file(tmp_path, "later.txt", PLAN.replace("2031年样例县", "2032年样例县"))
    result = cli("ingest", odd, str(later))
    assert result.exit_code == 0, result.output
    documents = json.loads(cli("documents", "--format", "json").stdout)
    assert len(documents) == 2
    sources = {d["source"] for d in documents}
    assert "later.txt" in sources and any("\ufffd" in s and s.endswith(".txt") for s in sources)


def test_extract_writes_every_file_whatever_its_name(cli, tmp_path):
    odd = gbk_named(tmp_path, "要点", PLAN)
    later = plan_file(tmp_path, "later.txt")
    out = tmp_path / "out"
    result = cli("extract", odd, str(later), "--out", str(out))
    assert result.exit_code == 0, result.output
    written = sorted(os.listdir(os.fsencode(out)))
    assert len(written) == 2
    for name in written:
        with open(os.path.join(os.fsencode(out), name), encoding="utf-8") as handle:
            assert json.load(handle)["tasks"]


def test_an_unreadable_file_with_an_odd_name_is_one_line_and_the_rest_go_on(cli, tmp_path):
    odd = gbk_named(tmp_path, "空", "")
    later = plan_file(tmp_path, "later.txt")
    result = cli("ingest", odd, str(later))
    assert result.exit_code == 1
    assert len(json.loads(cli("documents", "--format", "json").stdout)) == 1
    assert "\ufffd" in result.stderr and "Traceback" not in result.output


def test_an_ingest_waits_for_another_writer_instead_of_failing(cli, tmp_path, database_backend, database_url):
    if database_backend != "sqlite":
        pytest.skip("SQLite's file lock")
    assert cli("db", "upgrade").exit_code == 0
    path = database_url.removeprefix("sqlite:///")
    locked, release = threading.Event(), threading.Event()

    def hold_the_write_lock():
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(30)
        time.sleep(6)  # longer than the driver's default five seconds, which used to end the import
        connection.execute("COMMIT")
        connection.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    locked.wait(10)
    release.set()
    try:
        result = cli("ingest", str(plan_file(tmp_path)))
    finally:
        holder.join()
    assert result.exit_code == 0, result.output
    assert len(json.loads(cli("documents", "--format", "json").stdout)) == 1


@pytest.mark.parametrize("name, content", [("notice.txt", NOTICE), ("notice.html", NOTICE_HTML)])
def test_holidays_import_then_list(cli, tmp_path, name, content):
    notice = tmp_path / name
    notice.write_text(content, encoding="utf-8")
    result = cli("holidays", "import", str(notice))
    assert result.exit_code == 0, result.output
    assert "2027" in result.stdout and "10" in result.stdout and "2" in result.stdout
    listed = json.loads(cli("holidays", "list", "--year", "2027", "--format", "json").stdout)
    assert listed["source"] == "notice" and listed["official"] is True
    days = {d["day"]: d for d in listed["days"]}
    assert days["2027-01-31"]["working"] is True and days["2027-01-31"]["festival"] == "春节"
    assert days["2027-02-08"]["working"] is False
    assert "2027-05-03" not in days  # no 劳动节 item in this notice: an ordinary Monday


def test_holidays_list_says_where_a_year_without_a_notice_comes_from(cli):
    listed = json.loads(cli("holidays", "list", "--year", "2027", "--format", "json").stdout)
    assert listed["source"] == "holidays_estimate" and listed["official"] is False
    assert "2027-01-01" in {d["day"] for d in listed["days"]}
    assert json.loads(cli("holidays", "list", "--year", "2025", "--format", "json").stdout)["source"] == \
        "chinese_calendar"
    table = cli("holidays", "list", "--year", "2027")
    assert table.exit_code == 0 and "2027-01-01" in table.stdout


def test_a_text_that_is_no_notice_is_refused_in_one_line_and_stores_nothing(cli, tmp_path):
    bad = plan_file(tmp_path, "plan.txt")
    result = cli("holidays", "import", str(bad))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "plan.txt" in result.stderr
    assert json.loads(cli("holidays", "list", "--year", "2027", "--format", "json").stdout)["source"] != "notice"
