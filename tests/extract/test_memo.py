"""What extraction memoises for one document is forgotten when the next one is read: a plan's
reading never leans on an earlier plan's, and the memos never grow with the number of plans."""
from __future__ import annotations

from extract.plan import extract_document
from extract.reading import read_document_bytes
from extract.responsibility import is_note, _line_notes, has_responsibility_note

PLAN = "\n".join(["2026年工作要点", "一、重点任务",
                  "（一）推进政务服务一网通办。2026年6月底前完成。（牵头单位：市政务服务中心；配合单位：市财政局）",
                  "（二）完善法规规章。市司法局牵头，市人大法工委配合。"]).encode("utf-8")


def test_a_document_reads_its_notes_once_and_the_next_document_forgets_them():
    extract_document(read_document_bytes(PLAN, "plan.txt"))
    assert _line_notes.cache_info().currsize > 0 and is_note.cache_info().currsize > 0
    read_document_bytes("另一份文件。".encode("utf-8"), "other.txt")
    assert _line_notes.cache_info().currsize == 0 and is_note.cache_info().currsize == 0


def test_the_same_plan_read_twice_gives_the_same_plan():
    first = extract_document(read_document_bytes(PLAN, "plan.txt"))
    second = extract_document(read_document_bytes(PLAN, "plan.txt"))
    assert first == second
    assert [t.lead_units for t in first.tasks] == [["市政务服务中心"], ["市司法局"]]
    assert has_responsibility_note("（二）完善法规规章。市司法局牵头，市人大法工委配合。")
