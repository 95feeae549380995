"""The command line, end to end: real files, a real database (SQLite file or PostgreSQL), real output."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import inspect, text


REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
EXAMPLE = next(REPO.glob("examples/*.txt"))

PLAN = """关于印发《2031年样例县依法行政工作要点》的通知

样例县人民政府办公室
2031年2月3日

2031年样例县依法行政工作要点

一、完善制度

1. 清理规范性文件。2031年6月底前完成现行规范性文件全面清理。（牵头单位：县司法局；责任单位：县直各部门）

2. 推进政务公开。年内建成政务公开专区。（责任单位：县政务服务中心）

二、强化监督

3. 加强执法监督。开展行政执法案卷评查。（县司法局牵头，县财政局配合）
"""


def plan_file(tmp_path: Path, name: str = "plan.txt", content: str = PLAN, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {table: connection.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
                for table in inspect(connection).get_table_names() if table != "alembic_version"}


def test_example_plan_ingests_and_lists_what_is_due(cli):
    result = cli("ingest", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    listed = cli("due", "--within", "365d", "--as-of", "2026-01-01", "--format", "json")
    tasks = json.loads(listed.stdout)
    assert len(tasks) >= 10
    assert all(t["effective_due"] and "2026-01-01" <= t["effective_due"] <= "2026-12-31" for t in tasks)
    assert any(t["due_source"] == "explicit" for t in tasks) and any(t["due_source"] == "period_end" for t in tasks)
    assert all(t["units"] for t in tasks)


def test_due_json_has_one_object_per_task_with_units_and_due_source(cli, tmp_path):
    assert cli("ingest", str(plan_file(tmp_path))).exit_code == 0
    tasks = json.loads(cli("due", "--within", "365d", "--as-of", "2031-03-01", "--format", "json").stdout)
    by_label = {t["label"]: t for t in tasks}
    assert set(by_label) == {"1", "2", "3"}
    first = by_label["1"]
    assert first["effective_due"] == "2031-06-30" and first["due_source"] == "explicit"
    assert {"name": "县司法局", "role": "lead"} in first["units"]
    assert {"name": "县直各部门", "role": "responsible"} in first["units"]
    assert by_label["3"]["due_source"] == "period_end" and by_label["3"]["effective_due"] == "2031-12-31"
    assert first["status"] == "open" and first["document"]["title"] == "2031年样例县依法行政工作要点"


def test_due_window_excludes_later_deadlines(cli, tmp_path):
    cli("ingest", str(plan_file(tmp_path)))
    tasks = json.loads(cli("due", "--within", "30d", "--as-of", "2031-06-15", "--format", "json").stdout)
    assert [t["label"] for t in tasks] == ["1"]


def test_due_filters_by_unit(cli, tmp_path):
    cli("ingest", str(plan_file(tmp_path)))
    tasks = json.loads(cli("due", "--within", "365d", "--as-of", "2031-01-01", "--unit", "县财政局",
                           "--format", "json").stdout)
    assert [t["label"] for t in tasks] == ["3"]


def test_overdue_lists_open_tasks_past_their_date(cli, tmp_path):
    cli("ingest", str(plan_file(tmp_path)))
    tasks = json.loads(cli("overdue", "--as-of", "2031-07-01", "--format", "json").stdout)
    assert [t["label"] for t in tasks] == ["1"]
    assert json.loads(cli("overdue", "--as-of", "2031-06-30", "--format", "json").stdout) == []


def test_csv_and_table_formats_show_the_tasks(cli, tmp_path):
    cli("ingest", str(plan_file(tmp_path)))
    csv_out = cli("due", "--within", "365d", "--as-of", "2031-01-01", "--format", "csv").stdout
    # A byte-order mark first, so that Excel and WPS open the Chinese cells as UTF-8.
    assert csv_out.startswith("\ufeff编号,截止日期") and len(csv_out.splitlines()) == 4
    table = cli("due", "--within", "365d", "--as-of", "2031-01-01").stdout
    assert "清理规范性文件" in table and "2031-06-30" in table


def test_ingesting_the_same_file_twice_changes_nothing(cli, tmp_path, engine):
    path = plan_file(tmp_path)
    cli("ingest", str(path))
    before = row_counts(engine)
    second = cli("ingest", str(path))
    assert second.exit_code == 0 and "未变化" in second.stdout
    assert row_counts(engine) == before


def test_gbk_file_is_read_and_matches_its_utf8_twin(cli, tmp_path, engine):
    assert cli("ingest", str(plan_file(tmp_path, "gbk.txt", encoding="gbk"))).exit_code == 0
    before = row_counts(engine)
    assert before["task"] == 3
    cli("ingest", str(plan_file(tmp_path, "utf8.txt")))
    assert row_counts(engine) == before


def test_bad_files_are_named_and_the_good_one_still_ingests(cli, tmp_path, engine):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    missing = tmp_path / "missing.txt"
    good = plan_file(tmp_path)
    result = cli("ingest", str(empty), str(binary), str(missing), str(good))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    for path in (empty, binary, missing):
        assert sum(str(path.name) in line for line in errors) >= 1, (path, errors)
    assert row_counts(engine)["task"] == 3
    assert row_counts(engine)["document"] == 1


def test_file_without_tasks_is_a_warning_not_an_import(cli, tmp_path, engine):
    prose = plan_file(tmp_path, "letter.txt", "各位同事：\n\n下周二上午召开例会，请准时参加。\n")
    result = cli("ingest", str(prose))
    assert result.exit_code == 0
    assert "letter.txt" in result.stderr and "没有找到任务" in result.stderr
    assert row_counts(engine)["document"] == 0


def test_unknown_unit_gives_one_line_and_exit_2(cli, tmp_path):
    cli("ingest", str(plan_file(tmp_path)))
    result = cli("due", "--unit", "不存在的局")
    assert result.exit_code == 2
    assert "不存在的局" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bad_within_gives_exit_2(cli):
    result = cli("due", "--within", "soon")
    assert result.exit_code == 2 and "--within" in result.stderr


def test_bad_config_names_the_key_and_exits_2(cli, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[general]\ntimezone = "Nowhere/Atlantis"\n', encoding="utf-8")
    result = cli("--config", str(config), "units")
    assert result.exit_code == 2
    assert "general.timezone" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_config_is_read_after_the_subcommand_too(tmp_path):
    import subprocess
    import sys

    config = tmp_path / "bad.toml"
    config.write_text('[general]\ntimezone = "Nowhere/Atlantis"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", "from bot.cli import main; main()", "units", "--config", str(config)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env={**os.environ, "DEADLINE_BOT_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert run.returncode == 2 and "general.timezone" in run.stderr


def test_global_options_move_to_the_front_and_nothing_else_moves():
    from bot.cli import global_options_first

    assert global_options_first(["due", "--config", "a.toml", "--within", "7d"]) == [
        "--config", "a.toml", "due", "--within", "7d"]
    assert global_options_first(["tasks", "--config=b.toml"]) == ["--config=b.toml", "tasks"]
    assert global_options_first(["extract", "--", "--config", "x"]) == ["extract", "--", "--config", "x"]
    assert global_options_first(["--config", "a.toml", "units"]) == ["--config", "a.toml", "units"]


def test_english_language_setting_translates_output(cli, tmp_path):
    config = tmp_path / "en.toml"
    config.write_text('[general]\nlanguage = "en"\n', encoding="utf-8")
    cli("ingest", str(plan_file(tmp_path)))
    out = cli("--config", str(config), "due", "--within", "365d", "--as-of", "2031-01-01", "--format", "csv").stdout
    assert out.splitlines()[0].startswith("\ufeffID,Due")


def test_units_lists_each_unit_once_with_roles(cli, tmp_path):
    cli("ingest", str(plan_file(tmp_path)))
    units = json.loads(cli("units", "--format", "json").stdout)
    by_name = {u["name"]: u for u in units}
    assert by_name["县司法局"]["lead"] == 2
    assert by_name["县财政局"]["cooperating"] == 1
    assert by_name["县直各部门"]["kind"] == "collective"


def test_extract_writes_one_json_per_input_named_after_it(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("extract", str(plan_file(tmp_path, "sample.txt")), "--out", str(out))
    assert result.exit_code == 0
    data = json.loads((out / "sample.json").read_text(encoding="utf-8"))
    assert set(data) == {"source", "language", "document", "tasks"}
    assert data["document"]["period_end"] == "2031-12-31"
    assert [t["label"] for t in data["tasks"]] == ["1", "2", "3"]


def test_extract_refuses_two_inputs_that_would_write_one_output(cli, tmp_path):
    out = tmp_path / "out"
    first = plan_file(tmp_path, "plan.txt")
    second = tmp_path / "plan.md"
    second.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("extract", str(first), str(second), "--out", str(out))
    assert result.exit_code == 2
    assert "plan.txt" in result.stderr and "plan.md" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (out / "plan.json").exists()


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not beside the clone")
def test_corpus_ingested_twice_leaves_row_counts_unchanged(cli, engine):
    corpus = sorted(str(p) for p in (SHARED / "corpus").glob("*.txt"))
    assert cli("ingest", *corpus).exit_code == 0
    before = row_counts(engine)
    assert before["document"] == len(corpus)
    assert cli("ingest", *corpus).exit_code == 0
    assert row_counts(engine) == before


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not beside the clone")
def test_corpus_2017_plan_is_due_then_overdue(cli):
    corpus = sorted(str(p) for p in (SHARED / "corpus").glob("*.txt"))
    cli("ingest", *corpus)
    due = json.loads(cli("due", "--within", "365d", "--as-of", "2017-07-01", "--format", "json").stdout)
    assert len(due) >= 20 and all(t["effective_due"].startswith("2017") for t in due)
    assert all(t["units"] for t in due)
    late = json.loads(cli("overdue", "--as-of", "2018-01-02", "--format", "json").stdout)
    assert {t["document"]["id"] for t in late} == {due[0]["document"]["id"]}
    assert len(late) == len(due)
