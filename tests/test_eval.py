"""Accuracy on the project's own corpus, measured with `nqgraph eval`'s scorer.

Each synthetic document is rendered to an office-style PDF by pipeline/render/,
parsed through the whole pipeline, and scored against the gold file written by
hand with it. The floors sit just under what the pipeline achieves today, so a
regression in any stage fails here with the figures printed.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import parse
from pipeline.evaluate import prf, score
from pipeline.render import render_docx, render_pdf

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ["ctr_dang_uy_phuong", "nq_hdnd_thanh_pho", "kh_ubnd_xa", "qd_tinh_uy"]

# Floors over the four documents together (micro-averaged counts).
FLOORS = {
    "segmentation": 0.99, "citations_numbered": 0.97, "citations_unnumbered": 0.85,
    "deadlines": 0.95, "owner": 0.85, "support": 0.88,
}
ACCURACY_FLOORS = {"path_acc": 0.99, "kind_acc": 0.95}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("eval")
    scored = {}
    for name in DOCUMENTS:
        source = ROOT / "corpus" / f"{name}.txt"
        pdf = render_pdf(source, out / f"{name}_text.pdf")
        gold = json.loads((ROOT / "corpus" / f"{name}.gold.json").read_text(encoding="utf-8"))
        # The same document through every reader: the PDF's geometry, Word and the text file.
        scored[f"{name}.pdf"] = score(parse(pdf).to_json(), gold)
        scored[f"{name}.docx"] = score(parse(render_docx(source, out / f"{name}.docx")).to_json(), gold)
        scored[f"{name}.txt"] = score(parse(source).to_json(), gold)
    return scored


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_f1_floor(results, field):
    tp = sum(r.figures[field]["tp"] for r in results.values())
    fp = sum(r.figures[field]["fp"] for r in results.values())
    fn = sum(r.figures[field]["fn"] for r in results.values())
    figures = prf(tp, fp, fn)
    per_doc = {name: r.figures[field]["f1"] for name, r in results.items()}
    assert figures["f1"] >= FLOORS[field], f"{field}: {figures} per document {per_doc}; worst: " + json.dumps(
        {n: r.worst[:3] for n, r in results.items()}, ensure_ascii=False)


@pytest.mark.parametrize("field", sorted(ACCURACY_FLOORS))
def test_accuracy_floor(results, field):
    per_doc = {name: r.figures[field] for name, r in results.items()}
    assert min(per_doc.values()) >= ACCURACY_FLOORS[field], per_doc


def test_scorer_counts_a_missed_clause_and_its_tags():
    gold = {"clauses": [
        {"label": "1.", "path": ["1."], "kind": "task", "text_start": "Ban Tổ chức rà soát",
         "bodies": [{"name": "Ban Tổ chức", "role": "owner"}], "deadlines": [], "citations": []},
        {"label": "2.", "path": ["2."], "kind": "task", "text_start": "Văn phòng tổng hợp",
         "bodies": [{"name": "Văn phòng", "role": "owner"}], "deadlines": [], "citations": [{"id": "5-NQ/TW"}]},
    ]}
    system = {"clauses": [{"label": "1.", "path": ["1."], "kind": "task", "text": "Ban Tổ chức rà soát quy chế.",
                           "bodies": [{"name": "Ban Tổ chức", "role": "owner"}], "deadlines": [], "citations": []}]}
    figures = score(system, gold).figures
    assert figures["segmentation"] == prf(1, 0, 1)
    assert figures["owner"] == prf(1, 0, 1)
    assert figures["citations_numbered"] == prf(0, 0, 1)
    assert figures["kind_acc"] == 1.0
