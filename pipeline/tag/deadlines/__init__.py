"""Deadlines: when a clause's own action is due, starts, recurs or runs. SPEC §4.

The vocabulary (prepositions, recurrence words, quarters, name heads…) lives in
models/deadline_phrases.yaml; this module holds the grammar that combines it:

    [lead verb] preposition time      "hoàn thành trong tháng 8/2025" → due 2025-08
    [lead verb] từ … đến …            "từ năm 2026 đến năm 2030"     → period 2026/2030
    giai đoạn Y - Y, trong nhiệm kỳ   "giai đoạn 2026-2030"          → period 2026/2030
    recurrence                        "định kỳ hằng năm"             → recurring R/P1Y
    ongoing                           "(thực hiện thường xuyên)"     → ongoing null
    feast                             "trước Tết Nguyên đán Bính Ngọ" → due 2026-02-17
    onward                            "năm 2026 và những năm tiếp theo" → from 2026/..
    schedule line                     "Quý II/2026: giám sát …"      → due 2026-Q2
    time limit                        "trong thời hạn 05 ngày làm việc kể từ …" → due null

and the checks that tell a deadline from a date that only sits in the sentence:
cited documents' dates and titles, plan names ("Quy hoạch … đến năm 2040"), past
findings ("đến hết tháng 6/2023 đã có…"), comparison baselines ("so với năm 2025",
"tính đến ngày 30/11"), an adopted document's scope ("Thông qua nhiệm vụ … 6 tháng
cuối năm 2026"), quoted slogans, and growth rates ("bình quân hằng năm").

Modules: grammar.py (the regex parts, from models/deadline_phrases.yaml), values.py
(ISO values against the document's date), checks.py (names, baselines, past events),
find.py (candidates judged and overlaps settled).
"""
from .find import find_deadlines, judge_deadlines
from .values import document_term, document_year, resolve_relative

__all__ = ["find_deadlines", "judge_deadlines", "resolve_relative", "document_year", "document_term"]
