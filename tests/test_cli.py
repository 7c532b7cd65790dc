"""End to end through the real CLI: render → parse → ingest → query → export, and bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
NQGRAPH = [sys.executable, "-m", "pipeline.cli"]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run([*NQGRAPH, *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def corpus_pdfs(tmp_path_factory) -> Path:
    from pipeline.render import render_corpus

    out = tmp_path_factory.mktemp("pdf")
    render_corpus(ROOT / "corpus", out)
    return out


def test_help_lists_every_stage_command():
    result = run("--help")
    assert result.returncode == 0
    for command in ("parse", "ingest", "tasks", "ask", "export", "eval"):
        assert command in result.stdout


def test_parse_json_has_pages_and_clauses(corpus_pdfs):
    pdf = corpus_pdfs / "ctr_dang_uy_phuong_text.pdf"
    result = run("parse", str(pdf), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["source"] == "ctr_dang_uy_phuong_text.pdf"
    assert doc["pages"] >= 2
    assert len(doc["clauses"]) > 20
    assert all(isinstance(c["page"], int) and c["page"] >= 1 for c in doc["clauses"])
    assert any(b["name"] == "Ủy ban Kiểm tra Đảng ủy" for c in doc["clauses"] for b in c["bodies"])


def test_ingest_query_export_round_trip(corpus_pdfs, tmp_path):
    db = tmp_path / "store.sqlite"
    first = run("ingest", str(corpus_pdfs), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert first.stderr.count("added") == len(list(corpus_pdfs.glob("*.pdf")))
    again = run("ingest", str(corpus_pdfs / "ctr_dang_uy_phuong_text.pdf"), "--db", str(db))
    assert again.returncode == 0
    assert "unchanged" in again.stderr and "nothing to do" in again.stderr

    tasks = run("tasks", "--body", "Inspection Committee", "--json", "--db", str(db))
    assert tasks.returncode == 0, tasks.stderr
    rows = json.loads(tasks.stdout)
    # Any role unless --role says which: some corpus tasks have the Committee as support.
    assert rows and all(any("Kiểm tra" in b["name"] for b in r["bodies"]) for r in rows)
    assert any(b["role"] == "owner" and "Kiểm tra" in b["name"] for r in rows for b in r["bodies"])

    graphml = tmp_path / "graph.graphml"
    exported = run("export", "--format", "graphml", "-o", str(graphml), "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    graph = nx.read_graphml(graphml)
    types = {data.get("type") for _, data in graph.nodes(data=True)}
    assert {"document", "clause", "body", "directive"} <= types


def _encrypted_pdf(source: Path, target: Path) -> Path:
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


@pytest.mark.parametrize("case", ["missing", "renamed", "empty", "encrypted", "directory"])
def test_bad_input_is_one_line_exit_2_nothing_stored(case, corpus_pdfs, tmp_path):
    path = tmp_path / f"{case}.pdf"
    if case == "renamed":
        path.write_text("Đây không phải là tệp PDF mà là văn bản thường.", encoding="utf-8")
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "encrypted":
        _encrypted_pdf(corpus_pdfs / "nq_hdnd_thanh_pho_text.pdf", path)
    elif case == "directory":
        path.mkdir()
    db = tmp_path / "store.sqlite"
    for args in (("parse", str(path)), ("ingest", str(path), "--db", str(db))):
        result = run(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert str(path.name) in lines[0]
    if db.exists():
        import sqlite3

        with sqlite3.connect(db) as con:
            assert con.execute("select count(*) from documents").fetchone()[0] == 0


def test_export_choices_are_the_writers():
    """The CLI names the formats without importing the writers; the two lists must agree."""
    from pipeline.cli_graph import EXPORT_FORMATS
    from pipeline.export import FORMATS

    assert EXPORT_FORMATS == tuple(FORMATS)


def test_demo_runs_end_to_end(tmp_path):
    """README's first command: render the bundled corpus, ingest it, answer, export GraphML.
    demo calls the command functions directly, so every option they take must be passed."""
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    done = subprocess.run([sys.executable, "-c", "from pipeline.cli import app; app()", "demo"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=900,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "task(s)" in done.stdout and "Ủy ban Kiểm tra" in done.stdout
    graph = nx.read_graphml(tmp_path / "outputs" / "graph.graphml")
    assert graph.number_of_nodes() > 500
