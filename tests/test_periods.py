"""Time as staff say it ↔ ISO periods (pipeline/periods.py), table-driven."""
import csv
from datetime import date
from pathlib import Path

import pytest

from pipeline.periods import Words, period_bounds, read_period, say_deadline

TODAY = date(2026, 12, 6)
ROWS = list(csv.reader((Path(__file__).parent / "data" / "periods.tsv").open(encoding="utf-8"),
                       delimiter="\t"))[1:]


@pytest.mark.parametrize("text,value", ROWS, ids=[r[0] for r in ROWS])
def test_read_period(text, value):
    assert read_period(text, TODAY) == (value or None)


@pytest.mark.parametrize("value,bounds", [
    ("2026", ("2026-01-01", "2026-12-31")), ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2025-02", ("2025-02-01", "2025-02-28")), ("2026-Q1", ("2026-01-01", "2026-03-31")),
    ("2026-03-31", ("2026-03-31", "2026-03-31")), ("2026-07/2026-12", ("2026-07-01", "2026-12-31")),
    ("2026/2030", ("2026-01-01", "2030-12-31")), ("soon", None)])
def test_period_bounds(value, bounds):
    assert period_bounds(value) == bounds


@pytest.mark.parametrize("kind,value,words", [
    ("recurring", "R/P1Y", "hằng năm"), ("recurring", "R/P3M", "hằng quý"), ("recurring", "R/P1M", "hằng tháng"),
    ("ongoing", None, "thường xuyên"), ("period", "2018-01/2018-06", "6 tháng đầu năm 2018"),
    ("period", "2026-07/2026-12", "6 tháng cuối năm 2026"), ("period", "2026/2030", "giai đoạn 2026 - 2030"),
    ("period", "2026-03/2026-05", "từ tháng 3/2026 đến tháng 5/2026"), ("from", "2025/..", "từ năm 2025"),
    ("due", "2025-08", "tháng 8/2025"), ("due", "2025-Q3", "quý III/2025"), ("due", "2030", "năm 2030"),
    ("due", "2026-09-11", "ngày 11/9/2026"), ("due", None, "trong thời hạn quy định")])
def test_deadlines_print_as_staff_say_them(kind, value, words):
    assert say_deadline(kind, value) == words


@pytest.mark.parametrize("text,i,phrase,words", [
    ("Phòng Giáo dục", 1, "giao", 0),      # typed with its marks, "Giáo" is not the cue "giao"
    ("phong giao duc", 1, "giao", 1),      # typed without, it might be: folded words match
    ("Ban Tổ chức", 1, "to", 0), ("đến hạn trong quý này", 0, "đến hạn trong", 3),
    ("den han trong quy nay", 0, "đến hạn trong", 3), ("Uỷ ban", 0, "ủy ban", 2)])
def test_words_match_marked_words_exactly_and_plain_words_folded(text, i, phrase, words):
    assert Words.of(text).starts(i, phrase) == words
