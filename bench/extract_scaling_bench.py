"""Extraction time as the input doubles: is reading and extracting a plan linear in its size?

    python -m bench.extract_scaling_bench [--quick] [--json PATH]

Every case builds a plan of our own invention at size n and at 2n (a numbered .txt plan of
5,000 / 10,000 / 20,000 tasks; a ~10 MB and a ~20 MB .txt plan; task tables in .html, .docx and
.xlsx; a wrapped PDF; and the two hostile shapes that were quadratic on main: HTML nested 10k
and 20k deep, and 20k and 40k short wrapped lines). Each measurement runs in a child process of
its own: the file is generated there (untimed), then `read_document_bytes` + `extract_plan` are
timed together, best of `--repeats` runs (fewer for long cases); the child's peak RSS (VmHWM) is
reported with it. Linear means the ratio of 2n to n stays at or under 2.2, taken on the process's
CPU time (`time.process_time()`): on a shared machine the wall time of one run swings by 2x with
the neighbours' load, the CPU time far less. Wall time is shown beside it.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import time

from bench.measure import RESULT_PREFIX, markdown_table, mib, run_child, secs

MODULE = "bench.extract_scaling_bench"
HEADER = ["case", "n → 2n", "file", "tasks", "CPU time", "ratio", "≤ 2.2", "wall time", "peak RSS"]
LINEAR_RATIO = 2.2

# (case, n, 2n) in the order they are reported.
CASES = [
    ("tasks_txt", 5_000, 10_000),
    ("tasks_txt", 10_000, 20_000),
    ("plan_mb_txt", 10, 20),
    ("table_html", 5_000, 10_000),
    ("table_docx", 2_000, 4_000),
    ("ledger_xlsx", 5_000, 10_000),
    ("wrapped_pdf", 30, 60),
    ("nested_html", 10_000, 20_000),
    ("nested_html", 100_000, 200_000),
    ("short_lines_txt", 20_000, 40_000),
]
QUICK_CASES = [("tasks_txt", 2_000, 4_000), ("plan_mb_txt", 1, 2), ("nested_html", 10_000, 20_000),
               ("short_lines_txt", 20_000, 40_000)]

_UNITS = ["市司法局", "市财政局", "市发展改革委", "市市场监管局", "市数据局", "市住建局", "市人社局"]
_MONTHS = [3, 6, 9, 12]


def _task_line(n: int, body_sentences: int = 0) -> str:
    body = "".join(f"完善第{n}项工作的第{k}个环节，明确责任分工和办理时限，定期通报工作进展情况。"
                   for k in range(1, body_sentences + 1))
    return (f"{n}. 推进第{n}项重点工作落实。{body}"
            f"责任单位：{_UNITS[n % 7]}、{_UNITS[(n + 3) % 7]}；完成时限：2027年{_MONTHS[n % 4]}月底前。")


def _numbered_plan(tasks: int, body_sentences: int = 0) -> str:
    lines = ["某市2027年重点工作任务分工方案", "（2027年1月10日）"]
    for n in range(1, tasks + 1):
        if n % 20 == 1:
            lines.append(f"## 第{n // 20 + 1}组任务")
        lines.append(_task_line(n, body_sentences))
    return "\n".join(lines)


def _rows(tasks: int) -> list[list[str]]:
    return [[str(n), f"推进第{n}项重点工作落实。", _UNITS[n % 7], _UNITS[(n + 3) % 7], f"2027年{_MONTHS[n % 4]}月底前"]
            for n in range(1, tasks + 1)]


_HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]


def build(case: str, n: int) -> tuple[bytes, str]:
    """The input of one case at size n, and its file name."""
    if case == "tasks_txt":
        return _numbered_plan(n).encode(), "tasks.txt"
    if case == "plan_mb_txt":
        # ~1.9 KB of UTF-8 per task with 10 sentences of body each.
        one = len(_task_line(1, 10).encode()) + 1
        return _numbered_plan(n * 2**20 // one, 10).encode(), "plan.txt"
    if case == "table_html":
        cells = "".join(f"<th>{h}</th>" for h in _HEADER)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in _rows(n))
        return f"<html><body><h1>任务分工表</h1><table><tr>{cells}</tr>{body}</table></body></html>".encode(), "t.html"
    if case == "table_docx":
        import docx

        document = docx.Document()
        document.add_paragraph("某市2027年重点工作任务分工方案")
        table = document.add_table(rows=n + 1, cols=len(_HEADER))
        for row, texts in zip(table.rows, [_HEADER, *_rows(n)]):
            for cell, text in zip(row.cells, texts):
                cell.text = text
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue(), "t.docx"
    if case == "ledger_xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("台账")
        sheet.append(["某市2027年重点工作任务台账"])
        sheet.append(_HEADER)
        for row in _rows(n):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), "t.xlsx"
    if case == "wrapped_pdf":
        return _pdf(n), "t.pdf"
    if case == "nested_html":
        return ("<html><body>" + "<div>" * n + "最里层" + "</div>" * n + "</body></html>").encode(), "deep.html"
    if case == "short_lines_txt":
        lines = ["The council will"] + [f"publish part {k} of the register and" for k in range(n)] + ["finish."]
        return "\n".join(lines).encode(), "lines.txt"
    raise SystemExit(f"unknown case {case}")


def _pdf(pages: int) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    task = 1
    for page in range(1, pages + 1):
        pdf.setFont("STSong-Light", 9)
        pdf.drawString(72, 800, "某市人民政府办公室文件")
        pdf.drawString(290, 40, f"- {page} -")
        pdf.setFont("STSong-Light", 12)
        y = 760
        while y > 100:
            text, chunk, indent = _task_line(task, 1), "", 24
            for char in text + "\n":
                if char == "\n" or pdfmetrics.stringWidth(chunk + char, "STSong-Light", 12) > 432 - indent:
                    pdf.drawString(72 + indent, y, chunk)
                    y -= 18
                    chunk, indent = "", 0
                chunk += char.strip()
            task += 1
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# The large cases take minutes per run: one run each.
SINGLE_RUN = {"plan_mb_txt"}
# Further runs of a size stop once this much time has been spent on it.
REPEAT_BUDGET_S = 90


def child(case: str, n: int, repeats: int) -> None:
    from extract.plan import extract_plan
    from extract.reading import read_document_bytes

    data, name = build(case, n)
    best, tasks = None, 0
    spent = 0.0
    best_cpu = None
    for run in range(1 if case in SINGLE_RUN else repeats):
        if run and spent > REPEAT_BUDGET_S:
            break  # a long case's best of fewer runs; the machine's noise matters less there
        began, began_cpu = time.perf_counter(), time.process_time()
        document = read_document_bytes(data, name)
        plan = extract_plan(document.text, document.name)
        took, took_cpu = time.perf_counter() - began, time.process_time() - began_cpu
        spent += took
        best = took if best is None else min(best, took)
        best_cpu = took_cpu if best_cpu is None else min(best_cpu, took_cpu)
        tasks = len(plan.tasks)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
    print(RESULT_PREFIX + json.dumps({"case": case, "n": n, "bytes": len(data), "seconds": best, "cpu_seconds": best_cpu,
                                      "tasks": tasks, "peak_bytes": peak}), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=3, metavar=("CASE", "N", "REPEATS"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="small sizes only (a minute)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size, best kept (default 3)")
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--case", action="append", choices=sorted({case for case, _, _ in CASES}),
                        help="run only this case (repeatable); default every case")
    options = parser.parse_args(argv)
    if options.child:
        case, n, repeats = options.child
        child(case, int(n), int(repeats))
        return
    rows, raw = [], []
    cases = QUICK_CASES if options.quick else CASES
    if options.case:
        cases = [entry for entry in cases if entry[0] in options.case]
    for case, small, large in cases:
        one = run_child(MODULE, case, str(small), str(options.repeats))
        two = run_child(MODULE, case, str(large), str(options.repeats))
        ratio = two["cpu_seconds"] / one["cpu_seconds"]
        raw.append({"case": case, "n": one, "2n": two, "ratio": ratio})
        rows.append([case, f"{small:,} → {large:,}", f"{mib(one['bytes'])} → {mib(two['bytes'])}",
                     f"{one['tasks']:,} → {two['tasks']:,}",
                     f"{secs(one['cpu_seconds'])} → {secs(two['cpu_seconds'])}", f"{ratio:.2f}",
                     "yes" if ratio <= LINEAR_RATIO else "**no**",
                     f"{secs(one['seconds'])} → {secs(two['seconds'])}",
                     f"{mib(one['peak_bytes'])} → {mib(two['peak_bytes'])}"])
        print(markdown_table(HEADER,
                             rows[-1:]), file=sys.stderr, flush=True)
    print(markdown_table(HEADER, rows))
    if options.json:
        with open(options.json, "w") as out:
            json.dump(raw, out, indent=1)


if __name__ == "__main__":
    main()
