"""Generalisation probes: documents from issuers, levels and numbering habits the
first corpus lacks, scored end to end like tests/test_eval.py.

- ct_huyen_uy: a district Party committee Chỉ thị ("1." with "-" bullets, a rule
  "-----" under the title, a new issuer code BTGDVTU, commas inside a centre's name);
- qd_ubnd_tinh: a provincial People's Committee Quyết định whose attached plan
  numbers its own tree, table-like "Cơ quan chủ trì: …; cơ quan phối hợp: …" lines;
- kh_so: a Department plan ("1.1." decimals, THPT/GDĐT abbreviations, school-year
  terms that are not deadlines);
- nq_tinh_uy: a provincial Party committee Nghị quyết (dash numbering "I-" / "1-",
  "Đến năm 2030: …" targets, Party delegations as owners);
- nq_hdnd_chinh_sach: a provincial People's Council policy resolution (articles of
  entitlements that assign nothing, the closing formula);
- kh_ubnd_huyen: a district People's Committee plan whose tasks are schedule lines
  "Nội dung: …; Cơ quan chủ trì: …; Thời gian: từ tháng … đến tháng …";
- third probe, golded blind by two other engineers: quy_che_ubnd (a decision and its attached
  coordination regulation), ctct_ubkt (a Party inspection programme, "2.1-" sub-items),
  tb_ket_luan_btv (a standing committee's conclusion notice), nq_hdnd_xa (a commune council
  resolution after the 2025 reform). Before their fixes: owner 0.67, segmentation 0.93, path
  0.76, deadlines 0.80–0.94, kind 0.90;
- fourth probe, also golded blind: kh_btg_slash ("I/", "1/", "a.", "1.1", "Bước 1:"), nq_bch_tinh
  (a provincial Party committee's thematic resolution), qd_chu_tich_huyen (a southern district
  chairman's decision: ấp, khóm), ctr_chi_bo (a Party cell's programme with "Tháng 1:" schedule
  lines). Before their fixes: segmentation 0.77, path 0.72, owner 0.25–0.90, support 0.33,
  deadlines 0.57–0.96.
- fifth probe (#17), written and golded blind by another engineer before any run, in the style of
  issuers the corpus lacked: probe5_huyen_uy_kh (a Huyện ủy plan), probe5_dang_uy_xa_nq (a Đảng ủy
  xã resolution), probe5_bo_ke_hoach (a Ministry plan), probe5_so_cong_van (a Department's
  letter), probe5_ban_chi_dao_kh (a steering committee's plan). Scored on the frozen baseline
  (score.py on the text): owner 0.94 / 0.88 / 0.63 / 0.41 / 0.55, support 1.00 / 1.00 / 0.33 /
  0.29 / 0.40. Blind after #17's bodies work (rendered PDF, before their gold was read): owner
  0.94 / 0.94 / 0.81 / 0.68 / 0.68, support 1.00 / 1.00 / 0.65 / 0.57 / 0.67. Reading their
  misses then showed general kinds (a field word closing a name, "Văn phòng Sở", committee heads
  "Phó Trưởng ban", "các thành viên …"), fixed as kinds: owner 0.79 on the Sở letter and on the
  steering committee's plan. The floors below sit under those figures.

Floors sit just under today's figures (printed on failure), so a regression shows.
Known gaps behind the lower floors are listed in the lead's report, not hidden here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import parse
from pipeline.evaluate import prf, score
from pipeline.render import render_pdf

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ["ct_huyen_uy", "qd_ubnd_tinh", "kh_so", "nq_tinh_uy", "nq_hdnd_chinh_sach", "kh_ubnd_huyen",
             "quy_che_ubnd", "ctct_ubkt", "tb_ket_luan_btv", "nq_hdnd_xa",
             "kh_btg_slash", "nq_bch_tinh", "qd_chu_tich_huyen", "ctr_chi_bo",
             "probe5_huyen_uy_kh", "probe5_dang_uy_xa_nq", "probe5_bo_ke_hoach", "probe5_so_cong_van",
             "probe5_ban_chi_dao_kh"]

FLOORS = {
    "ct_huyen_uy": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.99, "citations_numbered": 0.99},
    "qd_ubnd_tinh": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.99, "citations_numbered": 0.99},
    "kh_so": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.99, "citations_numbered": 0.99},
    "nq_tinh_uy": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.99, "citations_numbered": 0.99},
    "nq_hdnd_chinh_sach": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.99,
                           "citations_numbered": 0.99},
    "kh_ubnd_huyen": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.99, "citations_numbered": 0.99},
    # Third probe: owners left behind are "Thành phần: Đoàn kiểm tra do …" (a team as owner) and a
    # relative clause with "được" ("các cơ quan, đơn vị được lấy ý kiến có trách nhiệm …").
    "quy_che_ubnd": {"segmentation": 0.99, "owner": 0.98, "support": 0.99, "deadlines": 0.99, "citations_numbered": 0.99},
    "ctct_ubkt": {"segmentation": 0.99, "owner": 0.8, "support": 0.99, "deadlines": 0.99, "citations_numbered": 0.99},
    "tb_ket_luan_btv": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.99,
                        "citations_numbered": 0.99},
    # "định kỳ báo cáo … tại kỳ họp thường lệ": the gold reads six-monthly, we leave the period null.
    "nq_hdnd_xa": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.94, "citations_numbered": 0.99},
    # Fourth probe: every field 1.0 after its fixes.
    **{name: {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.99, "citations_numbered": 0.99}
       for name in ("kh_btg_slash", "nq_bch_tinh", "qd_chu_tich_huyen", "ctr_chi_bo")},
    # Fifth probe: floors under the figures measured after session 23's bodies work (relative
    # clauses, short names a document defines, "Chỉ đạo X chủ trì", blocks of each point).
    "probe5_huyen_uy_kh": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.95,
                           "citations_numbered": 0.99},
    "probe5_dang_uy_xa_nq": {"segmentation": 0.99, "owner": 0.99, "support": 0.99, "deadlines": 0.95,
                             "citations_numbered": 0.99},
    "probe5_bo_ke_hoach": {"segmentation": 0.99, "owner": 0.94, "support": 0.83, "deadlines": 0.9,
                           "citations_numbered": 0.99},
    "probe5_so_cong_van": {"segmentation": 0.99, "owner": 0.85, "support": 0.99, "deadlines": 0.9,
                           "citations_numbered": 0.99},
    "probe5_ban_chi_dao_kh": {"segmentation": 0.99, "owner": 0.88, "support": 0.99, "deadlines": 0.85,
                              "citations_numbered": 0.99},
}
PATH_ACC_FLOOR = 0.99


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("generalisation")
    scored = {}
    for name in DOCUMENTS:
        pdf = render_pdf(ROOT / "corpus" / f"{name}.txt", out / f"{name}_text.pdf")
        gold = json.loads((ROOT / "corpus" / f"{name}.gold.json").read_text(encoding="utf-8"))
        scored[name] = score(parse(pdf).to_json(), gold)
    return scored


@pytest.mark.parametrize("name,field", [(n, f) for n in DOCUMENTS for f in sorted(FLOORS[n])])
def test_f1_floor(results, name, field):
    figures = results[name].figures[field]
    assert figures["f1"] >= FLOORS[name][field], f"{name} {field}: {figures}; worst: " + json.dumps(
        results[name].worst[:5], ensure_ascii=False)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_attached_and_ruled_documents_nest_from_the_top(results, name):
    assert results[name].figures["path_acc"] >= PATH_ACC_FLOOR, results[name].figures["path_acc"]


def test_micro_owner_over_the_probes(results):
    tp = sum(r.figures["owner"]["tp"] for r in results.values())
    fp = sum(r.figures["owner"]["fp"] for r in results.values())
    fn = sum(r.figures["owner"]["fn"] for r in results.values())
    assert prf(tp, fp, fn)["f1"] >= 0.8, prf(tp, fp, fn)


# Sixth probe (#17), written and golded blind by another engineer in corpus/arrived/: documents kept
# as they arrive (no front matter, one markdown with a pipe table), parsed as they are and scored
# by the contract's own scorer (../shared/eval/score.py), as corpus/arrived/README.md says. Owner
# before session 23's bodies work: 0.884 / 0.452 / 0.727 / 0.813 / 0.651, support 1.00 / 0.94 /
# 1.00 / 0.80 / 0.55; floors sit under the figures after it.
ARRIVED = ROOT / "corpus" / "arrived"
SHARED_SCORER = ROOT.parent / "shared" / "eval" / "score.py"
ARRIVED_FLOORS = {
    "probe6_dang_uy_ubnd_tinh_ctr": {"owner": 0.99, "support": 0.99},
    # "Đoàn số 1 do … làm Trưởng đoàn" is golded "Đoàn giám sát số 1"; "Thời gian: các đoàn giám sát
    # làm việc …" owns its clause in the gold, against the rule that "Thời gian:" opens no subject.
    "probe6_mttq_giam_sat": {"owner": 0.84, "support": 0.99},
    "probe6_thanh_tra_tinh_kh": {"owner": 0.99, "support": 0.99},
    "probe6_ubnd_phuong_qd_kh": {"owner": 0.99, "support": 0.99},
    "probe6_vpcp_thong_bao": {"owner": 0.99, "support": 0.99},
}


@pytest.fixture(scope="module")
def arrived_results(tmp_path_factory):
    import importlib.util

    if not SHARED_SCORER.exists():
        pytest.skip(f"{SHARED_SCORER} is not beside the project")
    spec = importlib.util.spec_from_file_location("shared_score", SHARED_SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    scored = {}
    for name in ARRIVED_FLOORS:
        source = next(p for p in (ARRIVED / f"{name}.txt", ARRIVED / f"{name}.md") if p.exists())
        gold = json.loads((ARRIVED / f"{name}.gold.json").read_text(encoding="utf-8"))
        scored[name] = scorer.score_clause_gold(parse(source).to_json(), gold)
    return scored


@pytest.mark.parametrize("name,field", [(n, f) for n in ARRIVED_FLOORS for f in sorted(ARRIVED_FLOORS[n])])
def test_arrived_f1_floor(arrived_results, name, field):
    figures = arrived_results[name][field]
    assert figures["f1"] >= ARRIVED_FLOORS[name][field], f"{name} {field}: {figures}"
