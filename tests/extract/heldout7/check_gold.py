"""Self-consistency check for heldout7 gold files (not a scorer; no extractor).

For every gold file: required keys present, seq contiguous, dates valid ISO,
freq in the allowed set, and every copied string (title, text_start, units,
deadline phrase/quote, recurrence phrase/quote) found in a plain-text dump of
the source after whitespace is removed.
Run: /work/main/.venv/bin/python check_gold.py
"""
import datetime as dt
import glob
import html
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FREQS = {"yearly", "semiannual", "quarterly", "monthly", "periodic", "term"}
TASK_KEYS = ["seq", "label", "section", "title", "text_start", "lead_units", "responsible_units",
             "cooperating_units", "deadlines", "recurrences"]


def dump(path):
    ext = path.rsplit(".", 1)[1]
    if ext in ("txt", "md"):
        return open(path, encoding="utf-8").read()
    if ext == "html":
        s = open(path, encoding="utf-8").read()
        return html.unescape(re.sub(r"<[^>]+>", " ", s))
    if ext == "docx":
        from docx import Document
        d = Document(path)
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for r in t.rows:
                parts += [c.text for c in r.cells]
        return "\n".join(parts)
    if ext == "xlsx":
        import openpyxl
        wb = openpyxl.load_workbook(path)
        parts = []
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    v = c.value
                    if isinstance(v, dt.datetime):
                        if "年" in c.number_format:
                            v = f"{v.year}年{v.month}月{v.day}日"
                        else:
                            v = f"{v.year}/{v.month}/{v.day}"
                    if v is not None:
                        parts.append(str(v))
        return "\n".join(parts)
    if ext == "pdf":
        from pdfminer.high_level import extract_text
        return extract_text(path)
    raise ValueError(path)


def norm(s):
    s = re.sub(r"\s+", "", s.replace("\u3000", ""))
    s = s.replace("**", "")
    return s


def main():
    bad = 0
    for g in sorted(glob.glob(os.path.join(HERE, "gold", "*.json"))):
        d = json.load(open(g, encoding="utf-8"))
        errs = []
        src = os.path.join(HERE, d["source"])
        if os.path.splitext(os.path.basename(g))[0] != os.path.splitext(d["source"])[0]:
            errs.append("stem mismatch")
        text = norm(dump(src))
        for k in ("title", "issuer", "doc_number", "issued_on", "period_end"):
            if k not in d["document"]:
                errs.append(f"document.{k} missing")
        for k in ("issued_on", "period_end"):
            v = d["document"].get(k)
            if v:
                dt.date.fromisoformat(v)
        for k in ("title", "issuer", "doc_number"):
            v = d["document"].get(k)
            if v and norm(v) not in text:
                errs.append(f"document.{k} not in source: {v}")
        for i, t in enumerate(d["tasks"], 1):
            if list(t.keys()) != TASK_KEYS:
                errs.append(f"task {i} keys {list(t.keys())}")
            if t["seq"] != i:
                errs.append(f"task {i} seq {t['seq']}")
            strings = [t["title"], t["text_start"]] + t["lead_units"] + t["responsible_units"] + t["cooperating_units"]
            units = t["lead_units"] + t["responsible_units"] + t["cooperating_units"]
            if len(units) != len(set(units)):
                errs.append(f"task {i} duplicate unit")
            for x in t["deadlines"]:
                assert set(x) == {"phrase", "due", "quote"}, x
                if x["due"] is not None:
                    dt.date.fromisoformat(x["due"])
                strings += [x["phrase"], x["quote"]]
            for x in t["recurrences"]:
                assert set(x) == {"phrase", "freq", "quote"}, x
                if x["freq"] not in FREQS:
                    errs.append(f"task {i} freq {x['freq']}")
                strings += [x["phrase"], x["quote"]]
            for s in strings:
                if not s or norm(s) not in text:
                    errs.append(f"task {i} ({t['label']}) string not in source: {s!r}")
        n_units = sum(len(t[k]) for t in d["tasks"] for k in ("lead_units", "responsible_units", "cooperating_units"))
        n_dl = sum(len(t["deadlines"]) for t in d["tasks"])
        n_null = sum(1 for t in d["tasks"] for x in t["deadlines"] if x["due"] is None)
        n_rec = sum(len(t["recurrences"]) for t in d["tasks"])
        print(f"{os.path.basename(g):34s} tasks={len(d['tasks']):2d} units={n_units:2d} "
              f"(L{sum(len(t['lead_units']) for t in d['tasks'])}/R{sum(len(t['responsible_units']) for t in d['tasks'])}/"
              f"C{sum(len(t['cooperating_units']) for t in d['tasks'])}) deadlines={n_dl:2d} (null {n_null}) recurrences={n_rec}")
        for e in errs:
            print("   !!", e)
        bad += len(errs)
    print("errors:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
