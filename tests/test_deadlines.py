"""Deadlines tagger: table-driven cases (tests/data/deadlines.tsv, not_deadlines.tsv),
clause-level rules learned from the dev gold, relative resolution and offset invariants."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Deadline, DocContext, DocInfo
from pipeline.tag.deadlines import document_term, document_year, find_deadlines, resolve_relative

DATA = Path(__file__).parent / "data"


def context(spec: str) -> DocContext | None:
    """"2025-08-01;2025-2030" → a context with that date and a title naming that term."""
    if not spec:
        return None
    date, _, term = spec.partition(";")
    title = f"Chương trình hành động thực hiện Nghị quyết Đại hội, nhiệm kỳ {term.replace('-', ' - ')}" if term else None
    return DocContext(info=DocInfo(date=date or None, title=title))


def rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


DEADLINES = rows("deadlines.tsv")
NOT_DEADLINES = rows("not_deadlines.tsv")


def test_tables_are_big_enough():
    assert len(DEADLINES) >= 50 and len(NOT_DEADLINES) >= 20


@pytest.mark.parametrize("text,ctx,expected_text,kind,value", DEADLINES, ids=[r[0][:45] for r in DEADLINES])
def test_deadline(text, ctx, expected_text, kind, value):
    found = find_deadlines(text, context(ctx))
    assert [(d.text, d.kind, d.value) for d in found] == [(expected_text, kind, value or None)]
    assert text[found[0].start:found[0].end] == expected_text


@pytest.mark.parametrize("text,ctx", NOT_DEADLINES, ids=[r[0][:45] for r in NOT_DEADLINES])
def test_not_deadline(text, ctx):
    assert [(d.text, d.kind, d.value) for d in find_deadlines(text, context(ctx))] == []


def triples(text: str, ctx: DocContext | None = None) -> list[tuple[str, str, str | None]]:
    return [(d.text, d.kind, d.value) for d in find_deadlines(text, ctx)]


def test_explicit_note_subsumes_the_adverb_saying_the_same():
    # "Thường xuyên rà soát … (thực hiện thường xuyên)": the clause is ongoing once.
    text = "Thường xuyên rà soát, bổ sung quy chế làm việc; thường xuyên kiểm tra việc thực hiện (thực hiện thường xuyên)."
    assert triples(text) == [("thực hiện thường xuyên", "ongoing", None)]
    text = "Hằng năm, ban hành nghị quyết chuyên đề về quốc phòng (thực hiện định kỳ hằng năm)."
    assert triples(text) == [("thực hiện định kỳ hằng năm", "recurring", "R/P1Y")]


def test_separate_periodic_and_yearly_words_are_two_entries():
    text = "Thường xuyên theo dõi, đôn đốc; định kỳ tổ chức sơ kết, lấy kết quả làm tiêu chuẩn đánh giá cán bộ hàng năm."
    assert triples(text) == [("Thường xuyên", "ongoing", None), ("định kỳ", "recurring", None),
                             ("hàng năm", "recurring", "R/P1Y")]


def test_two_notes_with_the_same_value_are_both_kept():
    # Two tasks in one clause, each with its own note (the dev gold keeps both).
    text = ("Tổ chức hội nghị quán triệt (thực hiện trong tháng 9/2025). "
            "Hướng dẫn các chi bộ học tập Nghị quyết (hoàn thành trong tháng 9/2025).")
    assert triples(text) == [("thực hiện trong tháng 9/2025", "due", "2025-09"),
                             ("hoàn thành trong tháng 9/2025", "due", "2025-09")]


def test_growth_rate_is_not_recurring_but_its_period_is_a_period():
    text = "Tốc độ tăng giá trị sản xuất bình quân hằng năm giai đoạn 2026-2030 đạt từ 10%/năm trở lên."
    assert triples(text) == [("giai đoạn 2026-2030", "period", "2026/2030")]


def test_deadline_and_baseline_in_one_sentence():
    text = "Thu nhập bình quân đầu người đến năm 2030 tăng 40% so với năm 2025."
    assert triples(text) == [("đến năm 2030", "due", "2030")]


def test_dates_before_the_document_are_findings():
    ctx = context("2023-10-13")
    assert triples("Phấn đấu hoàn thành trong tháng 6/2023.", ctx) == []
    assert triples("Phấn đấu hoàn thành trong tháng 12/2023.", ctx) == [("hoàn thành trong tháng 12/2023", "due", "2023-12")]
    assert triples("Tập trung chỉ đạo trong giai đoạn 2016 - 2020.", ctx) == []


def test_avoid_spans_hold_no_deadline():
    text = "Thực hiện Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung ương trước ngày 30/9/2025."
    citation = (text.index("Kết luận"), text.index(" trước"))
    assert triples(text) == [("trước ngày 30/9/2025", "due", "2025-09-30")]
    assert find_deadlines(text, avoid=[(0, len(text))]) == []
    found = find_deadlines(text, avoid=[citation])
    assert [(d.text, d.start) for d in found] == [("trước ngày 30/9/2025", text.index("trước ngày"))]


def test_quoted_titles_are_not_deadlines():
    assert triples("Hưởng ứng cuộc vận động “Xây dựng đô thị văn minh đến năm 2030” trong Nhân dân.") == []


def test_resolve_relative_fills_the_year_and_term():
    ctx = context("2025-07-15;2025-2030")
    assert resolve_relative(Deadline("hoàn thành trong tháng 8", "due", None), ctx).value == "2025-08"
    assert resolve_relative(Deadline("trong quý IV", "due", None), ctx).value == "2025-Q4"
    assert resolve_relative(Deadline("trong nhiệm kỳ", "period", None), ctx).value == "2025/2030"
    assert resolve_relative(Deadline("đến hết nhiệm kỳ", "due", None), ctx).value == "2030"
    unresolved = Deadline("trong tháng 8", "due", None)
    assert resolve_relative(unresolved, None) == unresolved
    kept = Deadline("thực hiện thường xuyên", "ongoing", None)
    assert resolve_relative(kept, ctx) is kept


def test_document_year_and_term():
    assert document_year(context("2023-10-13")) == 2023
    assert document_year(DocContext(info=DocInfo(date="2025-08"))) == 2025
    assert document_year(None) is None
    assert document_term(context("2025-08-01;2025-2030")) == (2025, 2030)
    assert document_term(context("2025-08-01")) is None


ALPHABET = st.sampled_from(list("aăâđeêioôơuưy àáạảãễộờửữ0123456789/-–;:,.()“”\n")
                           + ["trong ", "tháng ", "năm ", "quý ", "giai đoạn ", "hằng năm", "định kỳ ",
                              "thường xuyên ", "thực hiện ", "đến ", "từ ", "nhiệm kỳ ", "2025", "III", "so với "])


@settings(max_examples=150, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_never_raises_and_offsets_slice_back(text):
    for ctx in (None, context("2025-08-01;2025-2030")):
        found = find_deadlines(text, ctx)
        for d in found:
            assert text[d.start:d.end] == d.text
            assert d.kind in {"due", "from", "period", "recurring", "ongoing"}
        spans = sorted((d.start, d.end) for d in found)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_relative_month_after_the_document_rolls_into_next_year():
    ctx = context("2025-12-10")
    assert triples("Tổng kết phong trào thi đua (hoàn thành trong tháng 1).", ctx) == [
        ("hoàn thành trong tháng 1", "due", "2026-01")]
    assert triples("Kiểm tra chéo giữa các chi bộ trong quý IV.", ctx) == [("trong quý IV", "due", "2025-Q4")]


def test_a_dated_target_may_say_da():
    # With the document's date known, "đã" after a future year is a target, not a finding.
    text = "Phấn đấu đến năm 2030 đã có 100% xã đạt chuẩn nông thôn mới nâng cao."
    assert triples(text, context("2025-08-01")) == [("đến năm 2030", "due", "2030")]
    assert triples(text) == []


def test_adopting_a_document_keeps_only_the_adoptions_own_deadline():
    # "Thông qua …": the bare time names the adopted document's scope; a preposition
    # after the first semicolon still dates the clause's own work.
    ctx = context("2026-07-08")
    assert triples("Thông qua chỉ tiêu thu ngân sách 6 tháng cuối năm 2026 như sau:", ctx) == []
    text = "Thông qua báo cáo kết quả giai đoạn 2021-2025; giao Ủy ban nhân dân xã thực hiện trong quý IV/2026."
    assert triples(text, ctx) == [("thực hiện trong quý IV/2026", "due", "2026-Q4")]


def test_tet_without_a_year_needs_the_documents_date():
    assert triples("Cấp đủ gạo cho các hộ khó khăn trước Tết Nguyên đán.") == [
        ("trước Tết Nguyên đán", "due", None)]
    # Each year's Tết is no due date of its own: it anchors the yearly recurrence.
    assert triples("Thăm hỏi cán bộ hưu trí trước Tết Nguyên đán hằng năm.", context("2026-01-06")) == [
        ("trước Tết Nguyên đán hằng năm", "recurring", "R/P1Y")]


def test_an_interval_value_is_always_a_period():
    found = find_deadlines("Phấn đấu tăng 5% thu ngân sách trong 6 tháng cuối năm.", context("2026-07-08"))
    assert [(d.kind, d.value) for d in found] == [("period", "2026-07/2026-12")]
    found = find_deadlines("Phấn đấu tăng 5% thu ngân sách trong 6 tháng cuối năm.")
    assert [(d.kind, d.value) for d in found] == [("period", None)]


def test_a_programmes_title_year_resolves_its_yearless_times():
    # Signed in December 2025 for 2026: "Quý II" and "6 tháng cuối năm" are 2026's.
    ctx = DocContext(info=DocInfo(date="2025-12-20", title="Chương trình công tác năm 2026"))
    assert document_year(ctx) == 2026
    assert triples("Quý II: sơ kết công tác tuyên truyền.", ctx) == [("Quý II", "due", "2026-Q2")]
    assert triples("6 tháng cuối năm: kiểm tra đảng viên.", ctx) == [("6 tháng cuối năm", "period", "2026-07/2026-12")]
    assert triples("Tháng 12: tổng kết năm.", ctx) == [("Tháng 12", "due", "2026-12")]


@pytest.mark.parametrize("title,year", [
    ("Kế hoạch tuyên truyền năm 2026", 2026),
    ("Chương trình công tác năm 2025 và nhiệm vụ năm 2026", 2026),
    # A limit, a span or a cited date in the title is no programme year: the date decides.
    ("Kế hoạch phát triển du lịch đến năm 2030", 2025),
    ("Kế hoạch thực hiện Chương trình giai đoạn năm 2026 - 2030", 2025),
    ("Kế hoạch thực hiện Nghị quyết số 09-NQ/TU ngày 05 tháng 3 năm 2024 của Tỉnh ủy", 2025),
    # A title year before the signing year names what is reviewed, not when work falls.
    ("Báo cáo tổng kết năm 2024", 2025),
])
def test_document_year_from_the_title(title, year):
    assert document_year(DocContext(info=DocInfo(date="2025-12-20", title=title))) == year


def test_schedule_line_time_is_each_following_points_own_deadline():
    from pipeline.model import Document
    from pipeline.segment import segment
    from pipeline.tag import tag

    text = ("I. LỊCH CÔNG TÁC\nTháng 1:\n- Chi bộ triển khai nhiệm vụ năm.\n- Chi ủy phân công đảng viên.\n"
            "Tháng 3 và tháng 4:\n- Chi đoàn ra quân trồng cây.\nQuý III:\n- Chi ủy sơ kết (hoàn thành trước ngày 15/9/2026).\n"
            "II. TỔ CHỨC THỰC HIỆN\n- Chi ủy theo dõi, đôn đốc.")
    info = DocInfo(date="2025-12-20", title="Chương trình công tác năm 2026")
    doc = tag(segment(Document("x.txt", "", info, 1, text)))
    got = [(c.text, [(d.text, d.value, d.inherited) for d in c.deadlines]) for c in doc.walk()]
    assert got == [
        ("LỊCH CÔNG TÁC", []),
        ("Chi bộ triển khai nhiệm vụ năm.", [("Tháng 1", "2026-01", False)]),
        ("Chi ủy phân công đảng viên.", [("Tháng 1", "2026-01", False)]),
        ("Chi đoàn ra quân trồng cây.", [("Tháng 3 và tháng 4", "2026-03/2026-04", False)]),
        # A point's own date says more than its schedule line.
        ("Chi ủy sơ kết (hoàn thành trước ngày 15/9/2026).", [("hoàn thành trước ngày 15/9/2026", "2026-09-15", False)]),
        ("TỔ CHỨC THỰC HIỆN", []),
        ("Chi ủy theo dõi, đôn đốc.", []),
    ]
    for clause in doc.walk():
        for d in clause.deadlines:
            assert text[d.start:d.end] == d.text


def test_a_second_date_after_va_shares_the_preposition():
    text = "Gửi kết quả về Sở Xây dựng trước ngày 10/7/2026 (kỳ 6 tháng đầu năm) và 10/01/2027 (kỳ cả năm)."
    assert triples(text, context("2026-03-01")) == [("trước ngày 10/7/2026", "due", "2026-07-10"),
                                                    ("10/01/2027", "due", "2027-01-10")]


def test_the_bare_times_lookahead_lets_every_match_through():
    """grammar.bare scans behind a lookahead of the characters its matches begin with
    (patterns.first_characters): on the text of every corpus document and every example row,
    it finds what the same pattern finds without the lookahead."""
    import regex

    from pipeline.patterns import first_characters
    from pipeline.tag.deadlines.grammar import grammar

    gated = grammar().bare
    gate_end = gated.pattern.index("])") + 3
    assert gated.pattern.startswith("(?=(?-i:[")
    plain = regex.compile(gated.pattern[gate_end:], gated.flags)
    assert gated.pattern[:gate_end] == f"(?={first_characters(plain)})"
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(shared.glob("*.txt")) + sorted((shared / "real").glob("*.md"))]
    texts += [line for p in (Path(__file__).parent / "data").glob("*deadlines.tsv")
              for line in p.read_text(encoding="utf-8").splitlines()]
    found = 0
    for text in texts:
        expected = [(m.span(), m.group()) for m in plain.finditer(text)]
        assert [(m.span(), m.group()) for m in gated.finditer(text)] == expected
        found += len(expected)
    assert found >= 50, found
    assert not gated.match("và"), "the lookahead refuses a word no bare time begins with"


def test_a_text_the_prefilters_pass_over_holds_no_recurrence_limit_or_time_list():
    """find._candidates scans for recurrences, time limits and time lists only in a text its
    prefilter passes (grammar.may_recur, may_limit, label_colon or a line start where a list
    begins); on every example row and corpus paragraph, where the scan finds one, so does the
    prefilter."""
    from pipeline.tag.deadlines.find import _line_starts
    from pipeline.tag.deadlines.grammar import grammar

    g = grammar()
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    texts = [line for p in (Path(__file__).parent / "data").glob("*deadlines.tsv")
             for line in p.read_text(encoding="utf-8").splitlines()]
    texts += [paragraph for p in sorted(shared.glob("*.txt")) + sorted((shared / "real").glob("*.md"))
              for paragraph in p.read_text(encoding="utf-8").split("\n\n")]
    texts += ["Rà soát hồ sơ.\nQuý III/2026, quý IV/2026", "Thời gian thực hiện: tháng 9, 10/2026; thường xuyên.",
              "Báo cáo kết quả.\n- Năm 2027"]
    seen = {"recurring": 0, "time_limit": 0, "time_list": 0}
    for text in texts:
        if g.recurring.search(text):
            seen["recurring"] += 1
            assert g.may_recur.search(text), text
        if g.time_limit.search(text):
            seen["time_limit"] += 1
            assert g.may_limit.search(text), text
        if g.time_list.search(text):
            seen["time_list"] += 1
            assert g.label_colon.search(text) or any(g.time_list.match(text, at) for at in _line_starts(text)), text
    assert min(seen.values()) >= 3, seen
    assert not g.may_recur.search("Sở Y tế chủ trì, phối hợp với các đơn vị triển khai thực hiện.")
