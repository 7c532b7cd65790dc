"""The closed-world audit: every rule that explains a time expression or a document number
has a row in tests/data/audit.tsv; the real corpus leaves no residue in a document we can
read quickly (the whole corpus is bench/audit_residue.py's job)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.audit import audit, residue
from pipeline.model import DocInfo, Document
from pipeline.segment import segment
from pipeline.tag import tag

DATA = Path(__file__).parent / "data"
REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
ROWS = [line.split("\t") for line in (DATA / "audit.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")]


def mentions(text: str, date: str):
    return audit(tag(segment(Document("x.txt", "", DocInfo(date=date or None), 1, text.replace("\\n", "\n")))))


@pytest.mark.parametrize("date,text,token,fate,why", ROWS, ids=[f"{r[3]}:{r[4][:30]}" for r in ROWS])
def test_audit_row(date, text, token, fate, why):
    found = [m for m in mentions(text, date) if m.text == token]
    assert found, f"{token!r} not among the mentions of {text!r}"
    assert (found[0].fate, why in found[0].why) == (fate, True), found[0]


def test_every_mention_slices_back_and_nothing_is_left_unexplained():
    text = ("Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh;\n"
            "1. Sở Nội vụ rà soát hồ sơ (hoàn thành trong quý II/2026).\n"
            "2. Các xã báo cáo kết quả trước ngày 15/12/2026.")
    found = mentions(text, "2026-03-01")
    assert [(m.text, m.fate) for m in found] == [
        ("12/KH-UBND", "citation"), ("ngày 05/01/2026", "citation"),
        ("quý II/2026", "deadline"), ("ngày 15/12/2026", "deadline")]
    assert residue(found) == {"time": 0, "number": 0}
    for m in found:
        assert text[m.start:m.end] == m.text


def test_a_label_and_its_first_word_are_no_document_number():
    found = mentions("1- Trong quá trình thực hiện;\n2.1- Đổi mới cơ chế quản lý.", "2026-03-01")
    assert [m for m in found if m.kind == "number"] == []


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is absent (the real corpus lives beside the project)")
def test_a_real_resolution_leaves_no_residue():
    from pipeline import parse

    left = residue(audit(parse(REAL / "ubtvqh_nq494_2012_giam_sat_nguoi_co_cong.md")))
    assert left == {"time": 0, "number": 0}


def test_the_audit_command(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    source = tmp_path / "kh.txt"
    source.write_text("KẾ HOẠCH\nThực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh;\n"
                      "1. Sở Nội vụ rà soát hồ sơ (hoàn thành trong quý II/2026).\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(source), "--json"])
    assert result.exit_code == 0, result.output
    assert "quý II/2026" in result.output and "12/KH-UBND" in result.output
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "missing.pdf")])
    assert result.exit_code == 2 and "Traceback" not in result.output
